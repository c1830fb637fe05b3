package org.mmada4j.app;

import picocli.CommandLine.Command;

/** {@code mmada4j debug ...}: reference-semantics entry points that read and write .npy, for parity checks. */
@Command(name = "debug", mixinStandardHelpOptions = true,
        description = "Reference-semantics entry points over .npy files (parity checks against PyTorch).",
        subcommands = {ForwardDebugCommand.class, GenerateDebugCommand.class, VqEncodeDebugCommand.class, VqDecodeDebugCommand.class, GrpoToyCommand.class})
public final class DebugCommand {
}
