package org.mmada4j.train;

import java.util.ArrayList;
import java.util.List;
import org.mmada4j.data.DataFormatException;
import org.mmada4j.data.ImageLoader;
import org.mmada4j.data.ImageTokenCache;
import org.mmada4j.data.TrainingExample;
import org.mmada4j.prompt.ChatTemplate;
import org.mmada4j.prompt.Prompting;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.text.TextTokenizer;
import org.mmada4j.vq.RgbImage;

/**
 * UniGRPO prompts of dataset examples whose last assistant message is the reference answer (its text
 * after {@code </think>}, {@link MathAnswerReward#extractAnswer}); the turns before it are the prompt.
 */
public final class GrpoPrompts {
    private GrpoPrompts() {
    }

    /**
     * A chat prompt: the chat template of the turns before the answer, with the generation header; the last
     * user turn prefixed with the thinking instruction when {@code think}.
     */
    public static UniGrpo.Prompt chat(TrainingExample e, TextTokenizer tokenizer, SpecialTokens tokens, boolean think) {
        if (!(e instanceof TrainingExample.Chat c)) {
            throw new DataFormatException(e.source() + ": GRPO prompts must be chat examples");
        }
        return new UniGrpo.Prompt(ChatTemplate.encode(tokenizer, tokens, turns(c.messages(), think, e.source()), true),
                reference(c.messages()));
    }

    /**
     * An image-understanding prompt (inference_mmu.py's layout): {@code <|mmu|> <|soi|> image <|eoi|>} + the
     * chat template of the turns before the answer, the last user turn prefixed with the thinking
     * instruction when {@code think}. Codes come from the image token cache; with {@code withImage} the
     * pre-processed image (resolution², as MAGVIT saw it) rides along for caption rewards.
     */
    public static UniGrpo.Prompt mmu(TrainingExample e, TextTokenizer tokenizer, SpecialTokens tokens, ImageTokenCache cache,
                                     int resolution, boolean think, boolean withImage) {
        if (!(e instanceof TrainingExample.Vqa v)) {
            throw new DataFormatException(e.source() + ": mmu GRPO prompts must be VQA examples (image + messages)");
        }
        int[] codes = cache.codes(v.image(), v.source());
        if (codes.length != tokens.numVqTokens()) {
            throw new DataFormatException(v.source() + ": the image tokenizes to " + codes.length + " codes at resolution "
                    + resolution + ", the model expects " + tokens.numVqTokens() + " (check resolution)");
        }
        Prompting prompting = new Prompting(tokens);
        int[] chat = ChatTemplate.encode(tokenizer, tokens, turns(v.messages(), think, v.source()), true);
        int[] ids = prompting.mmuGen(prompting.imageTokens(codes), chat).ids();
        RgbImage image = withImage ? ImageLoader.loadRgb(ImageLoader.bytes(v.image(), v.source()), resolution, v.source())
                : null;
        return new UniGrpo.Prompt(ids, reference(v.messages()), image);
    }

    private static List<ChatTemplate.Message> turns(List<TrainingExample.Message> messages, boolean think, String source) {
        List<ChatTemplate.Message> msgs = new ArrayList<>();
        for (TrainingExample.Message m : messages.subList(0, messages.size() - 1)) {
            msgs.add(new ChatTemplate.Message(m.role(), m.content()));
        }
        int lastUser = -1;
        for (int i = 0; i < msgs.size(); i++) {
            if (msgs.get(i).role().equals("user")) {
                lastUser = i;
            }
        }
        if (lastUser < 0) {
            throw new DataFormatException(source + ": a GRPO prompt needs a user message before the reference answer");
        }
        if (think) {
            msgs.set(lastUser, ChatTemplate.Message.user(ChatTemplate.THINKING_INSTRUCTION + msgs.get(lastUser).content()));
        }
        return msgs;
    }

    private static String reference(List<TrainingExample.Message> messages) {
        return MathAnswerReward.extractAnswer(messages.get(messages.size() - 1).content());
    }
}
