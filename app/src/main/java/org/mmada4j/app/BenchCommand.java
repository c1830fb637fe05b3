package org.mmada4j.app;

import picocli.CommandLine.Command;

/** {@code mmada4j bench ...}: whole-pass benchmarks printing one JSON line each. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks of whole passes; each prints one JSON line.",
        subcommands = {ForwardBenchCommand.class, GenerateBenchCommand.class, ImagineBenchCommand.class, VqBenchCommand.class, TrainBenchCommand.class, ClipBenchCommand.class})
public final class BenchCommand {
}
