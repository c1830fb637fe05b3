package org.mmada4j.app;

import picocli.CommandLine.Command;

/** {@code mmada4j image ...}: images to MAGVIT-v2 codes and back. */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "MAGVIT-v2 image tokenizer: encode PNG/JPEG to codes, decode codes to PNG.",
        subcommands = {ImageEncodeCommand.class, ImageDecodeCommand.class})
public final class ImageCommand {
}
