package org.mmada4j.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code mmada4j} command line. */
@Command(name = "mmada4j", mixinStandardHelpOptions = true, version = "mmada4j 0.1.0",
        description = "MMaDA, the multimodal large diffusion language model, on the JVM.",
        subcommands = {DemoCommand.class, InspectCommand.class, InitCommand.class, ImageCommand.class, TokenizeCommand.class,
                TrainCommand.class, GenerateCommand.class, DescribeCommand.class, ImagineCommand.class, InpaintCommand.class,
                DebugCommand.class, BenchCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command tree with the project's error reporting (also what tests execute). */
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(new ErrorReport());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
