package org.mmada4j.data;

import java.nio.file.Path;
import java.util.List;

/** One parsed dataset line; {@code source} is "file:line" for error messages. */
public sealed interface TrainingExample {
    String source();

    /** A chat message (role "system", "user" or "assistant"). */
    record Message(String role, String content) {
    }

    /** An image given by a path (resolved) or by embedded bytes. */
    record ImageRef(Path path, byte[] bytes) {
        public static ImageRef ofPath(Path p) {
            return new ImageRef(p, null);
        }

        public static ImageRef ofBytes(byte[] b) {
            return new ImageRef(null, b);
        }
    }

    record Text(String source, String text) implements TrainingExample {
    }

    record Chat(String source, List<Message> messages) implements TrainingExample {
    }

    record Caption(String source, ImageRef image, String caption) implements TrainingExample {
    }

    record Vqa(String source, ImageRef image, List<Message> messages) implements TrainingExample {
    }

    /** Reasoning before an image (Mixed Long-CoT r2i): the user's prompt, the reasoning, the target image. */
    record R2i(String source, ImageRef image, String prompt, String reasoning) implements TrainingExample {
    }
}
