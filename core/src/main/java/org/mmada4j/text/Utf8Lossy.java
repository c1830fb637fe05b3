package org.mmada4j.text;

/**
 * UTF-8 decoding with Rust's {@code String::from_utf8_lossy} replacement rule (the Unicode "maximal
 * subpart" practice): each invalid or truncated sequence becomes one U+FFFD, and decoding resumes at
 * the first byte that broke it. Java's decoder groups bad bytes differently, so decoded text of cut
 * byte-level tokens would not match the Rust library.
 */
final class Utf8Lossy {
    private Utf8Lossy() {}

    static String decode(byte[] b, int len) {
        StringBuilder out = new StringBuilder(len);
        int i = 0;
        while (i < len) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                out.append((char) c);
                i++;
                continue;
            }
            int need;
            int lo = 0x80, hi = 0xBF; // allowed range of the second byte
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                if (c == 0xE0) {
                    lo = 0xA0;
                } else if (c == 0xED) {
                    hi = 0x9F;
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                if (c == 0xF0) {
                    lo = 0x90;
                } else if (c == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                out.append('\uFFFD');
                i++;
                continue;
            }
            int cp = c & (0x3F >> need);
            int j = i + 1;
            boolean ok = true;
            for (int k = 0; k < need; k++, j++) {
                int lower = k == 0 ? lo : 0x80, upper = k == 0 ? hi : 0xBF;
                if (j >= len || (b[j] & 0xFF) < lower || (b[j] & 0xFF) > upper) {
                    ok = false;
                    break;
                }
                cp = (cp << 6) | (b[j] & 0x3F);
            }
            if (ok) {
                out.appendCodePoint(cp);
            } else {
                out.append('\uFFFD');
            }
            i = j;
        }
        return out.toString();
    }
}
