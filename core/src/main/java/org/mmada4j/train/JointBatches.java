package org.mmada4j.train;

import java.util.List;
import org.mmada4j.data.DataFormatException;
import org.mmada4j.data.ImageTokenCache;
import org.mmada4j.data.ShuffledStream;
import org.mmada4j.data.TrainingExample;
import org.mmada4j.prompt.ChatTemplate;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.text.TextTokenizer;

/**
 * The joint batch of MMaDA's unified pretraining (training/train_mmada.py; spec §6.1): rows
 * {@code [t2i | lm | mmu]} of one length {@code L = T + N + 3}, noised in the reference's order of
 * random draws (t2i timesteps, scores, condition dropout; lm t, uniforms; mmu t, uniforms) — the
 * order the golden batch was built in. t2i rows come from image–caption pairs (caption = condition,
 * image = target), mmu rows from captions (the image is the prompt) or VQA conversations (the prompt
 * runs through the last {@code <|end_header_id|>}); images are tokenized once through the cache.
 *
 * <p>Mixed Long-CoT SFT can append r2i rows ({@link R2iRows}: reasoning then image, predicted
 * jointly), noised after everything else so that batches without them keep the reference's draws:
 * one t per row, p = (1−ε)t + ε, every non-prompt position (reasoning text, its EOS padding, image
 * tokens) masked with probability p — the text noising of chat SFT applied to the whole result, the
 * paper's Eq. 2 for reasoning-then-result, rather than the t2i cosine schedule over the image alone.
 *
 * <p>The attention bias is the reference's training quirk: a float bias of ones with the t2i rows'
 * {@code m_i·m_j}, added to the scores ({@link #attentionBias}).
 */
public final class JointBatches {
    private final ShuffledStream t2iStream;
    private final TextBatches lmBatches;
    private final ShuffledStream mmuStream;
    private final ImageTokenCache images;
    private final TextTokenizer tokenizer;
    private final SpecialTokens tokens;
    private final TrainingSequences seq;
    private final MaskedNoising noising;
    private final int t2iRows;
    private final int lmRows;
    private final int mmuRows;
    private final float condDropout;
    private final int numImageTokens;
    private final R2iRows r2i;
    private final int r2iRows;
    private float[] lastBias;

    public JointBatches(ShuffledStream t2iStream, TextBatches lmBatches, ShuffledStream mmuStream, ImageTokenCache images,
                        TextTokenizer tokenizer, SpecialTokens tokens, int maxTextLength, int t2iRows, int lmRows,
                        int mmuRows, float condDropout, float maskEps) {
        this(t2iStream, lmBatches, mmuStream, images, tokenizer, tokens, maxTextLength, t2iRows, lmRows, mmuRows, condDropout,
                maskEps, null, 0);
    }

    /** With {@code r2iRows} r2i rows per batch from {@code r2i} (null when 0). */
    public JointBatches(ShuffledStream t2iStream, TextBatches lmBatches, ShuffledStream mmuStream, ImageTokenCache images,
                        TextTokenizer tokenizer, SpecialTokens tokens, int maxTextLength, int t2iRows, int lmRows,
                        int mmuRows, float condDropout, float maskEps, R2iRows r2i, int r2iRows) {
        if (r2iRows > 0 && r2i == null) {
            throw new IllegalArgumentException(r2iRows + " r2i rows per batch but no r2i data");
        }
        this.r2i = r2i;
        this.r2iRows = r2iRows;
        this.t2iStream = t2iStream;
        this.lmBatches = lmBatches;
        this.mmuStream = mmuStream;
        this.images = images;
        this.tokenizer = tokenizer;
        this.tokens = tokens;
        this.seq = new TrainingSequences(tokens, maxTextLength);
        this.noising = new MaskedNoising(tokens.mask(), maskEps, 0f);
        this.t2iRows = t2iRows;
        this.lmRows = lmRows;
        this.mmuRows = mmuRows;
        this.condDropout = condDropout;
        this.numImageTokens = tokens.numVqTokens();
    }

    /** Row length L = T + N + 3 of every row. */
    public int length() {
        return seq.rowLength(numImageTokens);
    }

    /** The float attention bias [B, L, L] of the last batch (see the class comment). */
    public AttentionMask attentionBias() {
        int rows = t2iRows + lmRows + mmuRows + r2iRows;
        return AttentionMask.additive(lastBias, rows, length());
    }

    public DiffusionLoss.Batch next(RandomSource rng) {
        int len = length();
        int rows = t2iRows + lmRows + mmuRows + r2iRows;
        int[] ids = new int[rows * len];
        int[] labels = new int[rows * len];
        float[] bias = new float[rows * len * len];
        java.util.Arrays.fill(bias, 1f);
        // t2i rows: timesteps, scores, then condition dropout (as the reference draws them)
        int[][] imageIds = new int[t2iRows][];
        String[] captions = new String[t2iRows];
        for (int r = 0; r < t2iRows; r++) {
            TrainingExample e = t2iStream.next();
            if (!(e instanceof TrainingExample.Caption c)) {
                throw new DataFormatException(e.source() + ": t2i data must be image-caption pairs");
            }
            imageIds[r] = imageTokens(images.codes(c.image(), c.source()), c.source());
            captions[r] = c.caption();
        }
        MaskedNoising.ImageNoise img = noising.noiseImages(imageIds, rng);
        boolean[] drop = MaskedNoising.conditionDropout(t2iRows, condDropout, rng);
        int img0 = seq.t2iSoiIndex() + 1;
        for (int r = 0; r < t2iRows; r++) {
            TrainingSequences.Row row = seq.t2i(tokens.withBos(tokenizer.encode(captions[r])), imageIds[r], drop[r]);
            System.arraycopy(row.ids(), 0, ids, r * len, len);
            System.arraycopy(row.labels(), 0, labels, r * len, len);
            System.arraycopy(img.ids()[r], 0, ids, r * len + img0, numImageTokens);
            System.arraycopy(img.labels()[r], 0, labels, r * len + img0, numImageTokens);
            for (int i = 0; i < len; i++) {
                for (int j = 0; j < len; j++) {
                    bias[(r * len + i) * len + j] = row.mask()[i] * row.mask()[j];
                }
            }
        }
        // lm rows
        DiffusionLoss.Batch lm = lmBatches.next(lmRows, rng);
        System.arraycopy(lm.inputIds(), 0, ids, t2iRows * len, lmRows * len);
        System.arraycopy(lm.labels(), 0, labels, t2iRows * len, lmRows * len);
        // mmu rows: the image part (and the question) is the prompt
        int[][] clean = new int[mmuRows][];
        int[][] prompt = new int[mmuRows][];
        int[] answer = new int[mmuRows];
        int from = (t2iRows + lmRows) * len;
        for (int r = 0; r < mmuRows; r++) {
            TrainingExample e = mmuStream.next();
            TrainingSequences.Row row = mmuRow(e);
            clean[r] = row.ids();
            prompt[r] = row.mask();
            System.arraycopy(row.labels(), 0, labels, from + r * len, len);
            for (int v : row.mask()) {
                answer[r] += 1 - v;
            }
        }
        MaskedNoising.TextNoise mmu = mmuRows == 0 ? new MaskedNoising.TextNoise(new int[0][], new float[0])
                : noising.noiseText(clean, prompt, rng);
        for (int r = 0; r < mmuRows; r++) {
            System.arraycopy(mmu.ids()[r], 0, ids, from + r * len, len);
        }
        // r2i rows: everything after the prompt (reasoning and image) is the answer, noised as one
        int[][] r2iClean = new int[r2iRows][];
        int[][] r2iPrompt = new int[r2iRows][];
        int[] r2iAnswer = new int[r2iRows];
        int r2iFrom = from + mmuRows * len;
        for (int r = 0; r < r2iRows; r++) {
            TrainingSequences.Row row = r2i.next();
            r2iClean[r] = row.ids();
            r2iPrompt[r] = row.mask();
            System.arraycopy(row.labels(), 0, labels, r2iFrom + r * len, len);
            for (int v : row.mask()) {
                r2iAnswer[r] += 1 - v;
            }
        }
        MaskedNoising.TextNoise r2iNoise = r2iRows == 0 ? new MaskedNoising.TextNoise(new int[0][], new float[0])
                : noising.noiseText(r2iClean, r2iPrompt, rng);
        for (int r = 0; r < r2iRows; r++) {
            System.arraycopy(r2iNoise.ids()[r], 0, ids, r2iFrom + r * len, len);
        }
        lastBias = bias;
        return new DiffusionLoss.Batch(ids, labels, len, t2iRows, lmRows, mmuRows, lm.lmP(), lm.lmAnswerLengths(),
                mmu.p(), answer, seq.t2iSoiIndex(), r2iRows, r2iNoise.p(), r2iAnswer);
    }

    private TrainingSequences.Row mmuRow(TrainingExample e) {
        if (e instanceof TrainingExample.Caption c) {
            return seq.mmu(imageTokens(images.codes(c.image(), c.source()), c.source()), tokens.withBos(tokenizer.encode(c.caption())));
        }
        if (e instanceof TrainingExample.Vqa v) {
            List<ChatTemplate.Message> msgs = v.messages().stream().map(m -> new ChatTemplate.Message(m.role(), m.content())).toList();
            String text = ChatTemplate.render(msgs, false);
            if (text.endsWith("<|eot_id|>")) {
                text = text.substring(0, text.length() - "<|eot_id|>".length());
            }
            return seq.mmu(imageTokens(images.codes(v.image(), v.source()), v.source()), tokens.withBos(tokenizer.encode(text)));
        }
        throw new DataFormatException(e.source() + ": mmu data must be image-caption pairs or VQA conversations");
    }

    private int[] imageTokens(int[] codes, String source) {
        if (codes.length != numImageTokens) {
            throw new DataFormatException(source + ": the image tokenizes to " + codes.length + " codes, the model expects "
                    + numImageTokens + " (check the resolution)");
        }
        int[] ids = new int[codes.length];
        for (int i = 0; i < codes.length; i++) {
            ids[i] = tokens.imageToken(codes[i]);
        }
        return ids;
    }
}
