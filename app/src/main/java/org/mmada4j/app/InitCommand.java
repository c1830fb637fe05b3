package org.mmada4j.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mmada4j.io.AtomicFiles;
import org.mmada4j.io.SafetensorsWriter;
import org.mmada4j.model.ModelConfig;
import org.mmada4j.model.RandomInit;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j init}: writes a randomly initialised checkpoint of the shape a config.json
 * describes (the starting point of training; the way to benchmark the 8B shape without its
 * weights). Streams through a fixed buffer, so any size is written with a small heap; checkpoints
 * larger than one shard are split as Hugging Face does (index + shards). Init scheme: {@link RandomInit}.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Write a randomly initialised checkpoint (config.json + safetensors) for a config.")
public final class InitCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "MMaDA/LLaDA config.json.")
    Path config;

    @Option(names = "--dtype", defaultValue = "bf16", description = "bf16 | f32 | f16 (default ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--output", required = true, description = "Output model directory.")
    Path output;

    @Option(names = "--max-shard-gb", defaultValue = "5",
            description = "Largest shard in GB of tensor data (default ${DEFAULT-VALUE}, as save_pretrained).")
    double maxShardGb;

    @Override
    public Integer call() throws Exception {
        ModelConfig c = ModelConfig.load(config);
        DType dt = switch (dtype.toLowerCase()) {
            case "bf16", "bfloat16" -> DType.BF16;
            case "f32", "fp32", "float32" -> DType.F32;
            case "f16", "fp16", "float16" -> DType.F16;
            default -> throw new IllegalArgumentException("--dtype must be bf16, f32 or f16, got " + dtype);
        };
        RandomInit init = new RandomInit(c, dt, seed);
        Files.createDirectories(output);
        long t0 = System.nanoTime();
        List<Path> files = SafetensorsWriter.writeSharded(output, init.specs(), Map.of("format", "pt"),
                (long) (maxShardGb * 1e9), init.filler(ComputePool.shared()));
        AtomicFiles.write(output.resolve("config.json"), Files.readAllBytes(config));
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        System.out.printf("wrote %s: %,d parameters in %s, %d file(s), %s, seed %d, %.1f s%n", output,
                c.parameterCount(), dt, files.size(), InspectCommand.human(bytes, "B"), seed,
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
