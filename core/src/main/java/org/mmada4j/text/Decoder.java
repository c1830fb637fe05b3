package org.mmada4j.text;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code decoder} of a {@code tokenizer.json} (tokenizers' decoders/*.rs): a chain that maps the
 * list of token strings to a list of strings, joined at the end.
 */
interface Decoder {
    List<String> decodeChain(List<String> tokens);

    /** {@code ByteLevel}: alphabet characters back to bytes, UTF-8 decoded with U+FFFD for bad bytes. */
    record ByteLevel() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (String t : tokens) {
                byte[] mapped = new byte[t.length()];
                boolean all = true;
                for (int i = 0; i < t.length() && all; i++) {
                    int b = ByteLevelAlphabet.byteOf(t.charAt(i));
                    all = b >= 0;
                    if (all) {
                        mapped[i] = (byte) b;
                    }
                }
                // A token with a character outside the alphabet (an added token) contributes its own UTF-8.
                bytes.writeBytes(all ? mapped : t.getBytes(StandardCharsets.UTF_8));
            }
            return List.of(Utf8Lossy.decode(bytes.toByteArray(), bytes.size()));
        }
    }

    /** {@code ByteFallback}: runs of {@code <0xXX>} tokens become their UTF-8 text, or one U+FFFD per byte. */
    record ByteFallback() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            for (String t : tokens) {
                int b = byteToken(t);
                if (b >= 0) {
                    pending.write(b);
                } else {
                    flush(pending, out);
                    out.add(t);
                }
            }
            flush(pending, out);
            return out;
        }

        private static int byteToken(String t) {
            if (t.length() == 6 && t.startsWith("<0x") && t.endsWith(">")) {
                try {
                    return Integer.parseInt(t.substring(3, 5), 16);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            return -1;
        }

        private static void flush(ByteArrayOutputStream pending, List<String> out) {
            if (pending.size() == 0) {
                return;
            }
            byte[] b = pending.toByteArray();
            pending.reset();
            try {
                out.add(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString());
            } catch (CharacterCodingException e) {
                for (int i = 0; i < b.length; i++) {
                    out.add("\uFFFD");
                }
            }
        }
    }

    /** {@code Fuse}: all tokens into one string. */
    record Fuse() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            return List.of(String.join("", tokens));
        }
    }

    /** {@code Strip}: removes up to {@code start} leading and {@code stop} trailing {@code content} chars per token. */
    record Strip(char content, int start, int stop) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (String t : tokens) {
                int s = 0, e = t.length();
                for (int i = 0; i < start && s < e && t.charAt(s) == content; i++) {
                    s++;
                }
                for (int i = 0; i < stop && e > s && t.charAt(e - 1) == content; i++) {
                    e--;
                }
                out.add(t.substring(s, e));
            }
            return out;
        }
    }

    /** {@code Replace}: literal or regex pattern replaced in each token. */
    record Replace(Pattern pattern, String content) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (String t : tokens) {
                out.add(pattern.matcher(t).replaceAll(Matcher.quoteReplacement(content)));
            }
            return out;
        }
    }

    /**
     * {@code Metaspace}: the replacement character back to spaces. In the first token it is dropped
     * instead (unless prepend_scheme is never) — every occurrence, as decoders/metaspace.rs does.
     */
    record Metaspace(char replacement, boolean stripFirst) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                out.add(i == 0 && stripFirst ? t.replace(String.valueOf(replacement), "") : t.replace(replacement, ' '));
            }
            return out;
        }
    }

    /**
     * {@code BPEDecoder} (CLIP): the end-of-word suffix becomes a space, except in the last token, where
     * it is dropped (decoders/bpe.rs).
     */
    record Bpe(String suffix) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                out.add(tokens.get(i).replace(suffix, i == tokens.size() - 1 ? "" : " "));
            }
            return out;
        }
    }

    record Sequence(List<Decoder> steps) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            for (Decoder d : steps) {
                tokens = d.decodeChain(tokens);
            }
            return tokens;
        }
    }
}
