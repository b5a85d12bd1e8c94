package io.friendliflink.emulator.model;

import java.nio.charset.StandardCharsets;

/**
 * Splits decoded output text over its tokens so that the pieces concatenate to the whole text.
 *
 * <p>A token whose bytes end inside a multi-byte UTF-8 character gets the text completed so far and
 * hands the unfinished bytes on; the token that completes the character carries it. So a byte token
 * that is the first half of {@code é} has text {@code ""} and the next one has {@code "é"}, which is what
 * a stream must send. Bytes still unfinished after the last token decode as U+FFFD, as in the full text.
 */
final class TokenTexts {
    private TokenTexts() {}

    static String[] split(Vocabulary vocabulary, int[] ids, int from, int to) {
        String[] out = new String[to - from];
        byte[] pending = new byte[8];
        int pendingLength = 0;
        for (int i = from; i < to; i++) {
            byte[] piece = vocabulary.bytes(ids[i]);
            if (pendingLength == 0 && (i == to - 1 || completePrefix(piece) == piece.length)) {
                out[i - from] = new String(piece, StandardCharsets.UTF_8);
                continue;
            }
            byte[] joined = new byte[pendingLength + piece.length];
            System.arraycopy(pending, 0, joined, 0, pendingLength);
            System.arraycopy(piece, 0, joined, pendingLength, piece.length);
            int cut = i == to - 1 ? joined.length : completePrefix(joined);
            out[i - from] = new String(joined, 0, cut, StandardCharsets.UTF_8);
            pendingLength = joined.length - cut;
            if (pending.length < pendingLength) {
                pending = new byte[pendingLength];
            }
            System.arraycopy(joined, cut, pending, 0, pendingLength);
        }
        return out;
    }

    /**
     * The length of the longest prefix that does not end inside a character, i.e. everything but a
     * trailing lead byte whose continuation bytes have not all arrived yet.
     */
    static int completePrefix(byte[] raw) {
        int n = raw.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int b = raw[n - back] & 0xFF;
            if (b < 0x80) {
                return n;
            }
            if (b >= 0xC0) {
                int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return back < needed ? n - back : n;
            }
        }
        return n;
    }
}
