package io.friendliflink.emulator.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Greedy longest-match tokenization over UTF-8 bytes, with byte fallback, so every string round-trips.
 *
 * <p>The vocabulary's token texts are stored in a byte trie whose edges live in one open-addressing
 * hash table (key = node and byte), which keeps the whole trie in a few flat arrays. At each position
 * the longest token that matches is taken; when no longer token matches, the byte token of the current
 * byte always does. Decoding joins the tokens' bytes and decodes them as UTF-8, so a character split
 * over byte tokens comes back whole. Java strings with unpaired surrogates are not valid Unicode; like
 * {@link String#getBytes}, they encode as {@code ?}.
 */
final class Tokenizer {

    private final Vocabulary vocabulary;
    private final long[] edgeKeys;
    private final int[] edgeChildren;
    private final int mask;
    private int[] tokenAtNode;
    private int nodeCount;

    Tokenizer(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
        int totalBytes = 0;
        for (int id = 0; id < vocabulary.size(); id++) {
            totalBytes += vocabulary.bytes(id).length;
        }
        int capacity = Integer.highestOneBit(Math.max(16, totalBytes * 2)) * 2;
        this.edgeKeys = new long[capacity];
        Arrays.fill(edgeKeys, -1L);
        this.edgeChildren = new int[capacity];
        this.mask = capacity - 1;
        this.tokenAtNode = new int[totalBytes + 1];
        Arrays.fill(tokenAtNode, -1);
        this.nodeCount = 1;
        for (int id = 0; id < vocabulary.size(); id++) {
            insert(vocabulary.bytes(id), id);
        }
    }

    private void insert(byte[] text, int id) {
        int node = 0;
        for (byte b : text) {
            int child = child(node, b);
            if (child < 0) {
                child = nodeCount++;
                put(node, b, child);
            }
            node = child;
        }
        if (tokenAtNode[node] < 0) {
            tokenAtNode[node] = id;
        }
    }

    private static long key(int node, byte b) {
        return ((long) node << 8) | (b & 0xFF);
    }

    private static int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    private void put(int node, byte b, int child) {
        long key = key(node, b);
        int i = slot(key) & mask;
        while (edgeKeys[i] != -1L) {
            i = (i + 1) & mask;
        }
        edgeKeys[i] = key;
        edgeChildren[i] = child;
    }

    private int child(int node, byte b) {
        long key = key(node, b);
        int i = slot(key) & mask;
        while (true) {
            long k = edgeKeys[i];
            if (k == key) {
                return edgeChildren[i];
            }
            if (k == -1L) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    IntList encode(String text) {
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        IntList out = new IntList(raw.length / 3 + 4);
        encode(raw, 0, raw.length, out);
        return out;
    }

    void encode(String text, IntList out) {
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        encode(raw, 0, raw.length, out);
    }

    /** Appends the tokens of {@code raw[from, to)} to {@code out}. */
    void encode(byte[] raw, int from, int to, IntList out) {
        int pos = from;
        while (pos < to) {
            int node = 0;
            int bestId = raw[pos] & 0xFF;
            int bestEnd = pos + 1;
            for (int i = pos; i < to; i++) {
                node = child(node, raw[i]);
                if (node < 0) {
                    break;
                }
                int id = tokenAtNode[node];
                if (id >= 0) {
                    bestId = id;
                    bestEnd = i + 1;
                }
            }
            out.add(bestId);
            pos = bestEnd;
        }
    }

    String decode(int[] ids, int from, int to) {
        int length = 0;
        for (int i = from; i < to; i++) {
            length += vocabulary.bytes(checkId(ids[i])).length;
        }
        byte[] raw = new byte[length];
        int pos = 0;
        for (int i = from; i < to; i++) {
            byte[] piece = vocabulary.bytes(ids[i]);
            System.arraycopy(piece, 0, raw, pos, piece.length);
            pos += piece.length;
        }
        return new String(raw, StandardCharsets.UTF_8);
    }

    int checkId(int id) {
        if (id < 0 || id >= vocabulary.size()) {
            throw new IllegalArgumentException(
                    "token id " + id + " is outside the vocabulary [0, " + vocabulary.size() + ")");
        }
        return id;
    }
}
