package org.mmada4j.prompt;

import java.util.List;
import org.mmada4j.text.TextTokenizer;

/**
 * The chat template MMaDA's scripts install on the tokenizer ({@code generate.py}, {@code app.py}):
 * {@code BOS + Σ "<|start_header_id|>" + role + "<|end_header_id|>\n" + content.strip() + "<|eot_id|>"},
 * then the generation prompt {@code "<|start_header_id|>assistant<|end_header_id|>\n"} — a single
 * {@code \n}, unlike LLaDA's own template.
 */
public final class ChatTemplate {
    /**
     * The "thinking" instruction prefixed to the user's content (app.py, training/data.py, mmu_validation);
     * {@code <think>}/{@code </think>} are ordinary text.
     */
    public static final String THINKING_INSTRUCTION = "You should first think about the reasoning process in the mind "
            + "and then provide the user with the answer. The reasoning process is enclosed within <think> </think> "
            + "tags, i.e. <think> reasoning process here </think> answer here\n";

    private static final String START_HEADER = "<|start_header_id|>";
    private static final String END_HEADER = "<|end_header_id|>";
    private static final String EOT = "<|eot_id|>";

    /** One chat turn. */
    public record Message(String role, String content) {
        public Message {
            if (role == null || role.isBlank()) {
                throw new IllegalArgumentException("chat message role must be non-empty");
            }
            if (content == null) {
                throw new IllegalArgumentException("chat message content must not be null");
            }
        }

        public static Message user(String content) {
            return new Message("user", content);
        }

        public static Message assistant(String content) {
            return new Message("assistant", content);
        }
    }

    private ChatTemplate() {
    }

    /** The template's text without the leading BOS (which is an id, added by {@link #encode}). */
    public static String render(List<Message> messages, boolean addGenerationPrompt) {
        StringBuilder sb = new StringBuilder();
        for (Message m : messages) {
            // Jinja's `| trim` strips surrounding whitespace (Python str.strip)
            sb.append(START_HEADER).append(m.role()).append(END_HEADER).append('\n')
                    .append(m.content().strip()).append(EOT);
        }
        if (addGenerationPrompt) {
            sb.append(START_HEADER).append("assistant").append(END_HEADER).append('\n');
        }
        return sb.toString();
    }

    /** {@code [BOS] + encode(render(messages))}: the ids generate.py feeds the model. */
    public static int[] encode(TextTokenizer tokenizer, SpecialTokens tokens, List<Message> messages,
                               boolean addGenerationPrompt) {
        int[] body = tokenizer.encode(render(messages, addGenerationPrompt));
        int[] out = new int[body.length + 1];
        out[0] = tokens.bos();
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /** A single user question, optionally with the thinking instruction, and the generation prompt. */
    public static int[] encodeQuestion(TextTokenizer tokenizer, SpecialTokens tokens, String question, boolean think) {
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("empty prompt: the question/prompt text is empty");
        }
        String content = think ? THINKING_INSTRUCTION + question : question;
        return encode(tokenizer, tokens, List.of(Message.user(content)), true);
    }
}
