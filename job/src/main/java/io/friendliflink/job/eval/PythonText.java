package io.friendliflink.job.eval;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The few Python {@code str} operations the harness's task definitions use, with Python's rules where
 * Java's differ: {@code len} counts code points (not UTF-16 units), and {@code strip}/{@code isspace}
 * treat every character Python calls whitespace as such (Java's {@code String.strip} misses U+00A0,
 * U+2007, U+202F and U+0085).
 */
final class PythonText {
    private PythonText() {}

    /** {@code len(s)}: code points. */
    static int len(String s) {
        return s.codePointCount(0, s.length());
    }

    /** {@code len(s.encode("utf-8"))}. */
    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** {@code str.isspace()} of one code point: Unicode bidi classes WS, B, S or category Zs. */
    static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    /** {@code s.strip()}. */
    static String strip(String s) {
        return rstrip(lstrip(s));
    }

    static String lstrip(String s) {
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (!isSpace(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        return s.substring(i);
    }

    /** {@code s.rstrip()}. */
    static String rstrip(String s) {
        int end = s.length();
        while (end > 0) {
            int cp = s.codePointBefore(end);
            if (!isSpace(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    /**
     * {@code s.capitalize()}: the first character in title case, the rest in lower case. Java maps the
     * first character with its simple title-case mapping; Python uses the full one, which differs only for
     * ligatures and a few letters that title-case to two characters ({@code ß} gives {@code Ss} in Python).
     */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        int n = Character.charCount(first);
        return new StringBuilder().appendCodePoint(Character.toTitleCase(first))
                .append(s.substring(n).toLowerCase(Locale.ROOT)).toString();
    }
}
