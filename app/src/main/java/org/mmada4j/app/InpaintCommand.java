package org.mmada4j.app;

import picocli.CommandLine.Command;

/** {@code mmada4j inpaint ...}: fill masked parts of a text, an answer about an image, or an image. */
@Command(name = "inpaint", mixinStandardHelpOptions = true,
        description = "Fill the masked parts of a text, of an answer about an image, or of an image (in/outpainting).",
        subcommands = {InpaintTextCommand.class, InpaintAnswerCommand.class, InpaintImageCommand.class})
public final class InpaintCommand {
}
