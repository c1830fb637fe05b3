package org.mmada4j.train;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.mmada4j.data.ExampleKind;
import org.mmada4j.data.LengthPolicy;
import org.mmada4j.data.MalformedPolicy;

/**
 * A training run's settings, read from a plain {@code key = value} file (blank lines and {@code #}
 * comments allowed; relative paths resolved against the file's directory). Unknown keys are errors,
 * so a typo never silently falls back to a default. Keys and defaults: see {@link #KEYS} and the README.
 *
 * @param stage           pretrain (LM rows, 1/p-weighted, ÷ B·L) or sft (chat rows, prompt never masked)
 * @param seqLength       row length L of every training sequence
 * @param batchSize       sequences per micro-batch
 * @param gradAccum       micro-batches per optimizer step
 */
public record TrainConfig(String stage, Path model, long initSeed, Path data, ExampleKind dataKind, Path output,
                          long steps, int batchSize, int seqLength, int gradAccum, double lr, long warmupSteps,
                          double minLrScale, double weightDecay, double beta1, double beta2, double adamEps,
                          double maxGradNorm, long seed, long checkpointEvery, int keepCheckpoints,
                          MalformedPolicy malformed, LengthPolicy tooLong, float maskEps, String exportDtype, boolean recomputeActivations, Joint joint, Grpo grpo) {

    /**
     * The joint [t2i | lm | mmu] stage (present when {@code t2i_data} is set): image–caption data for
     * t2i rows, captions or VQA for mmu rows, the image tokenizer and its cache, row counts, T
     * ({@code max_text_length}; rows have length T + N + 3) and the task coefficients; in the sft stage
     * optionally r2i rows (Mixed Long-CoT reasoning before an image: {@code r2iData}, null when unset).
     */
    public record Joint(Path t2iData, Path mmuData, ExampleKind mmuKind, Path vqModel, Path imageCache, int resolution,
                        int maxTextLength, int t2iBatch, int mmuBatch, double t2iCoeff, double lmCoeff, double mmuCoeff,
                        float condDropout, Path r2iData, int r2iBatch, double r2iCoeff) {
    }

    /**
     * UniGRPO settings (stage {@code grpo}); see {@link UniGrpo.Config}. {@code task}: {@code text} (chat
     * prompts), {@code mmu} (VQA prompts: image tokens + question, text answers; needs {@code vqModel}) or
     * {@code t2i} (text prompts, image answers; needs {@code vqModel}). {@code captionRewards} (mmu, may be
     * null) and {@code t2iRewards} are {@code kind[:argument]:weight,…} specs resolved against
     * {@code configFile}'s directory ({@link org.mmada4j.score.WeightedScorers#parse}).
     */
    public record Grpo(String task, int groupSize, int innerIterations, double clipEps, double klBeta, String maskRatios,
                       int genLength, int blockLength, int samplingSteps, double temperature, boolean think,
                       Path vqModel, int resolution, Path imageCache, int maxTextLength, String captionRewards,
                       String t2iRewards, int imageSteps, double imageGuidance, double imageTemperature,
                       String imageSchedule, Path configFile) {
        public static final List<String> TASKS = List.of("text", "mmu", "t2i");
    }



    public static final Set<String> KEYS = Set.of("stage", "model", "init_seed", "data", "data_kind", "output", "steps",
            "batch_size", "seq_length", "grad_accum", "lr", "warmup_steps", "min_lr_scale", "weight_decay", "beta1",
            "beta2", "adam_eps", "max_grad_norm", "seed", "checkpoint_every", "keep_checkpoints", "malformed",
            "too_long", "mask_eps", "export_dtype", "recompute_activations",
            "t2i_data", "mmu_data", "mmu_data_kind", "vq_model", "image_cache", "resolution", "max_text_length",
            "t2i_batch_size", "mmu_batch_size", "t2i_coeff", "lm_coeff", "mmu_coeff", "cond_dropout",
            "r2i_data", "r2i_batch_size", "r2i_coeff",
            "group_size", "inner_iterations", "clip_eps", "kl_beta", "mask_ratios", "gen_length", "block_length",
            "sampling_steps", "temperature", "grpo_task", "think", "caption_rewards", "t2i_rewards", "image_steps",
            "image_guidance", "image_temperature", "image_schedule");

    public static TrainConfig load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        TreeSet<String> unknown = new TreeSet<>(p.stringPropertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(file + ": unknown keys " + unknown + " (known: " + new TreeSet<>(KEYS) + ")");
        }
        Path base = file.toAbsolutePath().getParent();
        if (p.getProperty("r2i_data") != null && p.getProperty("t2i_data") == null) {
            throw new IllegalArgumentException(file + ": r2i_data needs the joint batch (t2i_data, mmu_data, vq_model): r2i rows"
                    + " hold image tokens and share the joint rows' length T + N + 3");
        }
        Fields f = new Fields(p, file);
        checkTaskKeys(p, file);
        String stage = f.str("stage", "pretrain").toLowerCase(Locale.ROOT);
        if (!stage.equals("pretrain") && !stage.equals("sft") && !stage.equals("grpo")) {
            throw new IllegalArgumentException(file + ": stage must be pretrain, sft or grpo, got '" + stage + "'");
        }
        String task = f.str("grpo_task", "text").toLowerCase(Locale.ROOT);
        String defaultKind = stage.equals("pretrain") ? "text" : !stage.equals("grpo") ? "chat"
                : switch (task) {
                    case "mmu" -> "vqa";
                    case "t2i" -> "text";
                    default -> "chat";
                };
        String vq = f.str("vq_model", null);
        TrainConfig c = new TrainConfig(stage,
                base.resolve(f.required("model")), f.lng("init_seed", -1),
                base.resolve(f.required("data")),
                ExampleKind.parse(f.str("data_kind", defaultKind)),
                base.resolve(f.str("output", "runs/" + stage)),
                f.lng("steps", 1000), (int) f.lng("batch_size", 4), (int) f.lng("seq_length", 128),
                (int) f.lng("grad_accum", 1), f.dbl("lr", 5e-5), f.lng("warmup_steps", 0), f.dbl("min_lr_scale", 0.1),
                f.dbl("weight_decay", 0.01), f.dbl("beta1", 0.9), f.dbl("beta2", 0.999), f.dbl("adam_eps", 1e-8),
                f.dbl("max_grad_norm", 1.0), f.lng("seed", 10086), f.lng("checkpoint_every", 100),
                (int) f.lng("keep_checkpoints", 2),
                MalformedPolicy.valueOf(f.str("malformed", "fail").toUpperCase(Locale.ROOT)),
                LengthPolicy.valueOf(f.str("too_long", "truncate").toUpperCase(Locale.ROOT)),
                (float) f.dbl("mask_eps", 1e-3), f.str("export_dtype", "f32").toLowerCase(Locale.ROOT),
                Boolean.parseBoolean(f.str("recompute_activations", "false")),
                p.getProperty("t2i_data") == null ? null : new Joint(base.resolve(f.required("t2i_data")),
                        base.resolve(f.required("mmu_data")), ExampleKind.parse(f.str("mmu_data_kind", "caption")),
                        base.resolve(f.required("vq_model")), base.resolve(f.str("image_cache", "image-cache")),
                        (int) f.lng("resolution", 256), (int) f.lng("max_text_length", 128),
                        (int) f.lng("t2i_batch_size", 1), (int) f.lng("mmu_batch_size", 1), f.dbl("t2i_coeff", 1.0),
                        f.dbl("lm_coeff", 0.1), f.dbl("mmu_coeff", 1.0), (float) f.dbl("cond_dropout", 0.1),
                        p.getProperty("r2i_data") == null ? null : base.resolve(f.required("r2i_data")),
                        (int) f.lng("r2i_batch_size", p.getProperty("r2i_data") == null ? 0 : 1), f.dbl("r2i_coeff", 1.0)),
                new Grpo(task, (int) f.lng("group_size", 8), (int) f.lng("inner_iterations", 2), f.dbl("clip_eps", 0.2),
                        f.dbl("kl_beta", 0.01), f.str("mask_ratios", "uniform"), (int) f.lng("gen_length", 64),
                        (int) f.lng("block_length", 32), (int) f.lng("sampling_steps", 64), f.dbl("temperature", 1.0),
                        f.bool("think", false), vq == null || vq.isBlank() ? null : base.resolve(vq),
                        (int) f.lng("resolution", 256), base.resolve(f.str("image_cache", "image-cache")),
                        (int) f.lng("max_text_length", 128), f.str("caption_rewards", null),
                        f.str("t2i_rewards", "color:1.0"), (int) f.lng("image_steps", 15), f.dbl("image_guidance", 3.5),
                        f.dbl("image_temperature", 1.0), f.str("image_schedule", "cosine"), file.toAbsolutePath()));
        c.validate(file.toString());
        return c;
    }

    /** Keys that only one or two grpo tasks read: setting one for another task is a mistake, not a no-op. */
    private static final java.util.Map<String, List<String>> TASK_KEYS = java.util.Map.ofEntries(
            java.util.Map.entry("caption_rewards", List.of("mmu")), java.util.Map.entry("t2i_rewards", List.of("t2i")),
            java.util.Map.entry("image_steps", List.of("t2i")), java.util.Map.entry("image_guidance", List.of("t2i")),
            java.util.Map.entry("image_temperature", List.of("t2i")), java.util.Map.entry("image_schedule", List.of("t2i")),
            java.util.Map.entry("gen_length", List.of("text", "mmu")), java.util.Map.entry("block_length", List.of("text", "mmu")),
            java.util.Map.entry("sampling_steps", List.of("text", "mmu")), java.util.Map.entry("temperature", List.of("text", "mmu")),
            java.util.Map.entry("think", List.of("text", "mmu")));

    private static void checkTaskKeys(Properties p, Path file) {
        String stage = p.getProperty("stage", "pretrain").trim().toLowerCase(Locale.ROOT);
        String task = p.getProperty("grpo_task", "text").trim().toLowerCase(Locale.ROOT);
        for (String k : new TreeSet<>(p.stringPropertyNames())) {
            List<String> tasks = TASK_KEYS.get(k);
            if (tasks != null && (!stage.equals("grpo") || !tasks.contains(task))) {
                throw new IllegalArgumentException(file + ": key '" + k + "' applies to stage grpo with grpo_task "
                        + String.join(" or ", tasks) + " only (stage " + stage + ", grpo_task " + task + ")");
            }
        }
    }

    void validate(String source) {
        if (steps < 1 || batchSize < 1 || seqLength < 2 || gradAccum < 1 || checkpointEvery < 1 || keepCheckpoints < 1) {
            throw new IllegalArgumentException(source + ": steps, batch_size, grad_accum, checkpoint_every, keep_checkpoints"
                    + " must be ≥ 1 and seq_length ≥ 2");
        }
        if (!exportDtype.equals("f32") && !exportDtype.equals("bf16") && !exportDtype.equals("none")) {
            throw new IllegalArgumentException(source + ": export_dtype must be f32, bf16 or none, got '" + exportDtype + "'");
        }
        if (!Grpo.TASKS.contains(grpo.task())) {
            throw new IllegalArgumentException(source + ": grpo_task must be text, mmu or t2i, got '" + grpo.task() + "'");
        }
        if (!stage.equals("grpo") && !grpo.task().equals("text")) {
            throw new IllegalArgumentException(source + ": grpo_task = " + grpo.task() + " needs stage = grpo, stage is " + stage);
        }
        List<ExampleKind> kinds = stage.equals("pretrain") ? List.of(ExampleKind.TEXT) : !stage.equals("grpo")
                ? List.of(ExampleKind.CHAT) : switch (grpo.task()) {
                    case "mmu" -> List.of(ExampleKind.VQA);
                    case "t2i" -> List.of(ExampleKind.TEXT, ExampleKind.CAPTION);
                    default -> List.of(ExampleKind.CHAT);
                };
        if (!kinds.contains(dataKind)) {
            throw new IllegalArgumentException(source + ": stage " + stage + (stage.equals("grpo") ? " (grpo_task "
                    + grpo.task() + ")" : "") + " trains on " + kinds.stream().map(k -> k.name().toLowerCase(Locale.ROOT))
                    .toList() + " data, data_kind is " + dataKind);
        }
        if (joint != null && (joint.r2iData() != null) != (joint.r2iBatch() > 0)) {
            throw new IllegalArgumentException(source + ": r2i_data and r2i_batch_size ≥ 1 go together (r2i_batch_size is "
                    + joint.r2iBatch() + ", r2i_data " + (joint.r2iData() == null ? "unset" : "set") + ")");
        }
        if (joint != null && joint.r2iData() != null && !stage.equals("sft")) {
            throw new IllegalArgumentException(source + ": r2i rows (r2i_data) belong to the sft stage (Mixed Long-CoT), stage is "
                    + stage);
        }
        if (!List.of("uniform", "random", "d1").contains(grpo.maskRatios())) {
            throw new IllegalArgumentException(source + ": mask_ratios must be uniform, random or d1, got '" + grpo.maskRatios() + "'");
        }
        if (stage.equals("grpo") && !grpo.task().equals("text") && grpo.vqModel() == null) {
            throw new IllegalArgumentException(source + ": grpo_task = " + grpo.task()
                    + " needs vq_model (the MAGVIT-v2 directory)");
        }
        if (grpo.imageSteps() < 1 || !(grpo.imageGuidance() >= 0) || !(grpo.imageTemperature() >= 0)) {
            throw new IllegalArgumentException(source + ": image_steps must be ≥ 1, image_guidance and image_temperature ≥ 0");
        }
        try {
            org.mmada4j.sample.MaskSchedule.parse(grpo.imageSchedule());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": image_schedule: " + e.getMessage(), e);
        }
        if (grpo.resolution() < 1 || grpo.maxTextLength() < 2) {
            throw new IllegalArgumentException(source + ": resolution must be ≥ 1 and max_text_length ≥ 2");
        }
    }

    private record Fields(Properties p, Path file) {
        String required(String k) {
            String v = p.getProperty(k);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(file + ": missing required key '" + k + "'");
            }
            return v.trim();
        }

        String str(String k, String d) {
            String v = p.getProperty(k);
            return v == null ? d : v.trim();
        }

        boolean bool(String k, boolean d) {
            String v = p.getProperty(k);
            if (v == null) {
                return d;
            }
            return switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException(file + ": key '" + k + "' must be true or false, got '" + v + "'");
            };
        }

        long lng(String k, long d) {
            String v = p.getProperty(k);
            try {
                return v == null ? d : Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": key '" + k + "' must be an integer, got '" + v + "'");
            }
        }

        double dbl(String k, double d) {
            String v = p.getProperty(k);
            try {
                return v == null ? d : Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": key '" + k + "' must be a number, got '" + v + "'");
            }
        }
    }
}
