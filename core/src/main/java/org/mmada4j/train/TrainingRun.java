package org.mmada4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.mmada4j.data.ByteLevelTokenizer;
import org.mmada4j.data.ExampleKind;
import org.mmada4j.data.ImageTokenCache;
import org.mmada4j.data.JsonlDataset;
import org.mmada4j.data.ShuffledStream;
import org.mmada4j.io.Checkpoint;
import org.mmada4j.model.CheckpointNames;
import org.mmada4j.model.ModelConfig;
import org.mmada4j.model.RandomInit;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;
import org.mmada4j.text.BpeTokenizer;
import org.mmada4j.text.TextTokenizer;
import org.mmada4j.vq.Magvit;
import org.mmada4j.vq.MagvitLoader;

/**
 * Assembles a run from a {@link TrainConfig}: the model's config, weights (the model directory's
 * checkpoint, or a random init when {@code init_seed ≥ 0}) as fp32 master weights, its tokenizer
 * ({@code tokenizer.json}, else the tiny models' byte-level stand-in), the dataset stream and the
 * optimizer — or all of them from a checkpoint when resuming.
 */
public final class TrainingRun implements AutoCloseable {
    private final List<JsonlDataset> datasets;
    private final TrainingLoop trainer;
    private final ModelConfig modelConfig;

    private TrainingRun(List<JsonlDataset> datasets, TrainingLoop trainer, ModelConfig modelConfig) {
        this.datasets = datasets;
        this.trainer = trainer;
        this.modelConfig = modelConfig;
    }

    /** @param resume a checkpoint directory, or a run's checkpoints root (its {@code latest}), or null */
    public static TrainingRun open(TrainConfig cfg, Path resume, ComputePool pool) throws IOException {
        Path modelDir = cfg.model();
        ModelConfig mc = ModelConfig.load(modelDir.resolve("config.json"));
        TextTokenizer tokenizer;
        SpecialTokens tokens;
        if (Files.exists(modelDir.resolve("tokenizer.json"))) {
            tokenizer = BpeTokenizer.load(modelDir.resolve("tokenizer.json"));
            tokens = SpecialTokens.load(modelDir, OptionalInt.of(tokenizer.size()));
        } else {
            tokens = SpecialTokens.load(modelDir, OptionalInt.empty());
            Map<String, Integer> specials = new java.util.HashMap<>();
            tokens.toMap().forEach((k, v) -> {
                if (k.startsWith("<|") || k.startsWith("[")) {
                    specials.put(k, v);
                }
            });
            tokenizer = new ByteLevelTokenizer(0, tokens.imageOffset(), specials);
        }
        ParameterSet params;
        AdamW.Hyper hyper = new AdamW.Hyper(cfg.beta1(), cfg.beta2(), cfg.adamEps(), cfg.weightDecay());
        AdamW optimizer;
        TrainingState state;
        if (resume != null) {
            TrainingCheckpoint.Loaded l = Files.exists(resume.resolve(TrainingCheckpoint.LATEST))
                    ? TrainingCheckpoint.loadLatest(resume) : TrainingCheckpoint.load(resume);
            params = l.params();
            optimizer = l.optimizer();
            state = l.state();
        } else {
            params = cfg.initSeed() >= 0 ? fromTensors(mc, new RandomInit(mc, DType.F32, cfg.initSeed()).materialize())
                    : load(mc, modelDir);
            optimizer = new AdamW(hyper, params);
            state = Trainer.initialState(cfg.seed());
        }
        JsonlDataset ds = JsonlDataset.open(cfg.data(), cfg.dataKind());
        ShuffledStream stream = new ShuffledStream(ds, cfg.seed(), cfg.malformed());
        ModelTrainer mt = new ModelTrainer(mc, params, pool).recomputeActivations(cfg.recomputeActivations());
        if (cfg.stage().equals("grpo")) {
            // the frozen reference policy: the weights the run started from — rebuilt from the config when
            // resuming, so a resumed run's KL penalty measures against the same policy as an uninterrupted one
            ParameterSet initial = resume == null && cfg.initSeed() >= 0 ? params.copy()
                    : cfg.initSeed() >= 0 ? fromTensors(mc, new RandomInit(mc, DType.F32, cfg.initSeed()).materialize())
                    : load(mc, modelDir);
            ModelTrainer ref = new ModelTrainer(mc, initial, pool);
            GrpoTask task = GrpoTasks.create(cfg, mt, ref, optimizer, tokenizer, tokens, pool);
            return new TrainingRun(List.of(ds), new GrpoTrainer(cfg, mt, optimizer, stream, task, state), mc);
        }
        TrainConfig.Joint j = cfg.joint();
        if (j == null) {
            TextBatches batches = new TextBatches(stream, tokenizer, tokens, cfg.stage().equals("sft"), cfg.seqLength(),
                    cfg.tooLong(), cfg.maskEps());
            return new TrainingRun(List.of(ds), new Trainer(cfg, mt, optimizer, stream, List.of(),
                    Trainer.BatchSource.text(batches, cfg.batchSize()), tokens.mask(),
                    new DiffusionLoss.Coefficients(0, 1, 0), state), mc);
        }
        // joint [t2i | lm | mmu] batches: every row has length T + N + 3
        Magvit vq = MagvitLoader.load(j.vqModel());
        ImageTokenCache cache = new ImageTokenCache(j.imageCache(), ImageTokenCache.ImageTokenizer.magvit(vq, j.vqModel(), pool),
                j.resolution());
        JsonlDataset t2i = JsonlDataset.open(j.t2iData(), ExampleKind.CAPTION);
        JsonlDataset mmu = JsonlDataset.open(j.mmuData(), j.mmuKind());
        ShuffledStream t2iStream = new ShuffledStream(t2i, cfg.seed() + 1, cfg.malformed());
        ShuffledStream mmuStream = new ShuffledStream(mmu, cfg.seed() + 2, cfg.malformed());
        int length = j.maxTextLength() + tokens.numVqTokens() + 3;
        TextBatches lm = new TextBatches(stream, tokenizer, tokens, cfg.stage().equals("sft"), length, cfg.tooLong(),
                cfg.maskEps());
        List<JsonlDataset> all = new java.util.ArrayList<>(List.of(ds, t2i, mmu));
        List<ShuffledStream> others = new java.util.ArrayList<>(List.of(t2iStream, mmuStream));
        R2iRows r2i = null;
        if (j.r2iData() != null) {
            JsonlDataset r2iData = JsonlDataset.open(j.r2iData(), ExampleKind.R2I);
            ShuffledStream r2iStream = new ShuffledStream(r2iData, cfg.seed() + 3, cfg.malformed());
            all.add(r2iData);
            others.add(r2iStream);
            r2i = new R2iRows(r2iStream, cache, tokenizer, tokens, new TrainingSequences(tokens, j.maxTextLength()),
                    cfg.tooLong());
        }
        JointBatches joint = new JointBatches(t2iStream, lm, mmuStream, cache, tokenizer, tokens, j.maxTextLength(),
                j.t2iBatch(), cfg.batchSize(), j.mmuBatch(), j.condDropout(), cfg.maskEps(), r2i, j.r2iBatch());
        return new TrainingRun(all, new Trainer(cfg, mt, optimizer, stream, others,
                Trainer.BatchSource.joint(joint, lm, r2i), tokens.mask(),
                new DiffusionLoss.Coefficients(j.t2iCoeff(), j.lmCoeff(), j.mmuCoeff(), j.r2iCoeff()), state), mc);
    }

    public TrainingLoop trainer() {
        return trainer;
    }

    public ModelConfig modelConfig() {
        return modelConfig;
    }

    /** The model directory's weights, widened to fp32 master weights in checkpoint order. */
    static ParameterSet load(ModelConfig mc, Path dir) throws IOException {
        try (Checkpoint ck = Checkpoint.open(dir)) {
            Map<String, Tensor> tensors = new java.util.HashMap<>();
            for (String name : ck.names()) {
                tensors.put(name, ck.get(name));
            }
            return fromTensors(mc, tensors);
        }
    }

    static ParameterSet fromTensors(ModelConfig mc, Map<String, Tensor> tensors) {
        ParameterSet p = new ParameterSet();
        for (Map.Entry<String, long[]> e : CheckpointNames.expectedShapes(mc).entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException("model weights lack tensor " + e.getKey());
            }
            p.add(e.getKey(), e.getValue(), t.toFloatArray());
        }
        return p;
    }

    @Override
    public void close() throws IOException {
        for (JsonlDataset d : datasets) {
            d.close();
        }
    }
}
