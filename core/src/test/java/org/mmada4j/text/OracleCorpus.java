package org.mmada4j.text;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic corpus of varied strings for comparing the tokenizer with its oracle: many scripts,
 * accents and combining marks, emoji (skin tones, ZWJ sequences, flags, keycaps), whitespace runs
 * and exotic spaces, digit runs in several number systems, code, contractions (ASCII, upper case,
 * curly, long s), special-token names whole and cut, and a few very long pieces.
 */
final class OracleCorpus {
    private static final String[] LATIN = {"Hello", "world", "the", "quick", "brown", "fox", "naïve", "café", "façade",
        "Straße", "Übermensch", "größer", "año", "niño", "Ñandú", "łódź", "Żółć", "tiếng", "Việt", "ĳssel", "Œuvre",
        "déjà-vu", "coöperate", "smörgåsbord", "İstanbul", "ǅemal", "ﬁnance", "Ångström", "e\u0301te\u0301", "ſtraße",
        "A\u030A", "O\u0308", "CAPS", "MiXeD", "x", "I", "a", "Ω", "µ"};
    private static final String[] OTHER = {"Привет", "мир", "Київ", "ёжик", "Ἀθῆναι", "λόγος", "ΣΊΣΥΦΟΣ", "σοφός",
        "東京", "漢字", "中文分词测试", "ひらがな", "カタカナ", "日本語のテキスト", "한국어", "안녕하세요", "\u1100\u1161\u11A8",
        "مرحبا", "العربية", "שלום", "עברית", "नमस्ते", "हिन्दी", "ภาษาไทย", "สวัสดีครับ", "ქართული", "Հայերեն", "ትግርኛ",
        "தமிழ்", "বাংলা", "ꙮ"};
    private static final String[] EMOJI = {"😀", "👍", "👍🏽", "👍🏿", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇫🇷", "🇯🇵", "1️⃣", "❤️",
        "🧑🏾‍💻", "👩‍❤️‍💋‍👨", "✨", "🤖", "🫠", "☃", "\u200D", "\uFE0F"};
    private static final String[] SPACES = {" ", "  ", "   ", "    ", "\t", "\t\t", "\n", "\n\n", "\r\n", " \n", "\n ",
        "\u00A0", "\u3000", "\u2009", "\u202F", "\u2028", "\u000B", "\f", " \t \n", "        "};
    private static final String[] DIGITS = {"0123456789", "٠١٢٣٤٥٦٧٨٩", "０１２３", "²³", "½", "Ⅻ", "१२३", "๓๔"};
    private static final String[] CODE = {"public static void main(String[] args) {", "    return x + y;", "}",
        "def f(x):\n    return x**2", "if (a && b || !c) { i++; }", "{\"key\": [1, 2.5, -3e10, null]}",
        "<div class=\"x\">&amp;</div>", "SELECT * FROM t WHERE id = 42;", "#include <stdio.h>", "x <<= 2; y >>= 3;",
        "λx. x → y", "a_b_c = __init__", "https://example.com/path?q=1&r=2#frag", "C:\\Users\\me\\file.txt",
        "$HOME/.cache", "// comment", "/* block */", "s/foo/bar/g", "`backticks`", "~~~", "...", "!!!", "???", "—", "…"};
    private static final String[] CONTRACTIONS = {"don't", "DON'T", "I'm", "I'M", "we'll", "WE'LL", "they've", "she'd",
        "it's", "It'S", "you're", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'ſ", "don’t", "rock'n'roll", "''",
        "' s", "'S", "'X"};

    private OracleCorpus() {}

    /** {@code n} strings from seed {@code seed}; {@code specials} are names of added tokens to embed. */
    static List<String> generate(int n, long seed, List<String> specials) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(n);
        out.add("");
        out.add(" ");
        out.add("Hello world! The quick brown fox jumps over 1234567 lazy dogs.");
        while (out.size() < n) {
            int kind = r.nextInt(100);
            if (kind < 2) {
                out.add(longString(r));
                continue;
            }
            StringBuilder b = new StringBuilder();
            int parts = 1 + r.nextInt(kind < 50 ? 6 : 14);
            for (int p = 0; p < parts; p++) {
                b.append(fragment(r, specials));
                int sep = r.nextInt(10);
                if (sep < 5) {
                    b.append(' ');
                } else if (sep < 7) {
                    b.append(pick(r, SPACES));
                } else if (sep < 8) {
                    b.append(pick(r, new String[] {",", ".", ", ", ". ", "!", "?", ":", ";", "-", "(", ")"}));
                }
            }
            out.add(b.toString());
        }
        return out;
    }

    private static String fragment(SplittableRandom r, List<String> specials) {
        return switch (r.nextInt(12)) {
            case 0, 1, 2 -> pick(r, LATIN);
            case 3, 4 -> pick(r, OTHER);
            case 5 -> pick(r, EMOJI);
            case 6 -> pick(r, SPACES);
            case 7 -> digits(r);
            case 8 -> pick(r, CODE);
            case 9 -> pick(r, CONTRACTIONS);
            case 10 -> special(r, specials);
            default -> randomChars(r, 1 + r.nextInt(8));
        };
    }

    private static String digits(SplittableRandom r) {
        String set = r.nextInt(4) == 0 ? pick(r, DIGITS) : "0123456789";
        int len = 1 + r.nextInt(r.nextInt(3) == 0 ? 20 : 6);
        StringBuilder b = new StringBuilder();
        int[] cps = set.codePoints().toArray();
        for (int i = 0; i < len; i++) {
            b.appendCodePoint(cps[r.nextInt(cps.length)]);
            if (r.nextInt(12) == 0) {
                b.append(r.nextBoolean() ? "," : ".");
            }
        }
        return b.toString();
    }

    private static String special(SplittableRandom r, List<String> specials) {
        if (specials.isEmpty()) {
            return "<|x|>";
        }
        String s = specials.get(r.nextInt(specials.size()));
        return switch (r.nextInt(6)) {
            case 0 -> s.substring(0, 1 + r.nextInt(s.length())); // a cut name: must stay ordinary text
            case 1 -> s + s;
            case 2 -> "x" + s + "y";
            default -> s;
        };
    }

    /** Random code points from long-assigned blocks (no Unicode-version-dependent characters). */
    private static String randomChars(SplittableRandom r, int n) {
        int[][] blocks = {{0x21, 0x7E}, {0xA1, 0xFF}, {0x100, 0x17F}, {0x300, 0x36F}, {0x391, 0x3C9}, {0x410, 0x44F},
            {0x5D0, 0x5EA}, {0x621, 0x64A}, {0x905, 0x939}, {0xE01, 0xE3A}, {0x2010, 0x2027}, {0x2190, 0x21FF},
            {0x2200, 0x22FF}, {0x2500, 0x257F}, {0x3041, 0x3096}, {0x30A1, 0x30FA}, {0x4E00, 0x9FA5}, {0xAC00, 0xD7A3},
            {0xFF01, 0xFF5E}, {0x1F600, 0x1F64F}, {0x1F300, 0x1F5FF}};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int[] bl = blocks[r.nextInt(blocks.length)];
            b.appendCodePoint(bl[0] + r.nextInt(bl[1] - bl[0] + 1));
        }
        return b.toString();
    }

    private static String longString(SplittableRandom r) {
        StringBuilder b = new StringBuilder();
        switch (r.nextInt(5)) {
            case 0 -> b.repeat("a", 500 + r.nextInt(3000));
            case 1 -> b.repeat(" ", 100 + r.nextInt(900)).append("end");
            case 2 -> {
                for (int i = 0; i < 2000; i++) {
                    b.append((char) ('0' + r.nextInt(10)));
                }
            }
            case 3 -> b.append(randomChars(r, 1500));
            default -> {
                for (int i = 0; i < 300; i++) {
                    b.append(pick(r, LATIN)).append(pick(r, CONTRACTIONS));
                }
            }
        }
        return b.toString();
    }

    private static String pick(SplittableRandom r, String[] a) {
        return a[r.nextInt(a.length)];
    }
}
