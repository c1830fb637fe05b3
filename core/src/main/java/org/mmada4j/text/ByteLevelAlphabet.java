package org.mmada4j.text;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible byte-to-character map ({@code bytes_to_unicode} in openai/gpt-2 encoder.py,
 * {@code bytes_char} in tokenizers' byte_level.rs): printable Latin-1 bytes map to themselves, the
 * other 68 bytes to U+0100.. in byte order, so every byte string becomes a string of visible chars.
 */
final class ByteLevelAlphabet {
    /** byte (0..255) to its character. */
    static final char[] BYTE_TO_CHAR = new char[256];
    /** character to its byte, -1 if the character is not in the alphabet (index = char, up to U+0143). */
    private static final int[] CHAR_TO_BYTE = new int[0x144];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + n++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevelAlphabet() {}

    /** Byte of {@code c}, or -1 when {@code c} is not one of the 256 alphabet characters. */
    static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The UTF-8 bytes of {@code s}, each replaced by its alphabet character. */
    static String encode(String s) {
        // ASCII fast path: no UTF-8 encoder round trip.
        int n = s.length();
        char[] out = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                out = null;
                break;
            }
            if (out == null) {
                out = new char[n];
            }
            out[i] = BYTE_TO_CHAR[c];
        }
        if (out != null) {
            return new String(out);
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(chars);
    }
}
