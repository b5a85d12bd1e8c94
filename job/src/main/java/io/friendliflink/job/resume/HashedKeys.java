package io.friendliflink.job.resume;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A set of strings kept as 128-bit hashes (SHA-256, cut) in an open-addressing table, each with one flag bit:
 * about 33 bytes an entry instead of a few hundred for strings. The chance that two of a billion keys share a
 * hash is below 10^-20, so in practice a key is never taken for another.
 *
 * <p>Not thread-safe: each subtask loads and reads its own.
 */
public final class HashedKeys {
    private long[] high = new long[16];
    private long[] low = new long[16];
    private byte[] slot = new byte[16]; // 0 empty, 1 present, 2 present and flagged
    private int size;
    private final MessageDigest sha256;

    public HashedKeys() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public int size() {
        return size;
    }

    /** Adds {@code key}; a key added twice keeps the flag it was given first. */
    public void add(String key, boolean flagged) {
        byte[] h = hash(key);
        insert(toLong(h, 0), toLong(h, 8), flagged ? (byte) 2 : (byte) 1);
    }

    /** 0 when {@code key} is absent, 1 when present, 2 when present and flagged. */
    public int lookup(String key) {
        if (size == 0) {
            return 0;
        }
        byte[] h = hash(key);
        long hi = toLong(h, 0);
        long lo = toLong(h, 8);
        int mask = slot.length - 1;
        for (int i = (int) lo & mask; slot[i] != 0; i = (i + 1) & mask) {
            if (high[i] == hi && low[i] == lo) {
                return slot[i];
            }
        }
        return 0;
    }

    private void insert(long hi, long lo, byte value) {
        if ((size + 1) * 2 > slot.length) {
            grow();
        }
        int mask = slot.length - 1;
        int i = (int) lo & mask;
        for (; slot[i] != 0; i = (i + 1) & mask) {
            if (high[i] == hi && low[i] == lo) {
                return;
            }
        }
        slot[i] = value;
        high[i] = hi;
        low[i] = lo;
        size++;
    }

    private void grow() {
        long[] oldHigh = high;
        long[] oldLow = low;
        byte[] oldSlot = slot;
        high = new long[oldSlot.length * 2];
        low = new long[oldSlot.length * 2];
        slot = new byte[oldSlot.length * 2];
        size = 0;
        for (int i = 0; i < oldSlot.length; i++) {
            if (oldSlot[i] != 0) {
                insert(oldHigh[i], oldLow[i], oldSlot[i]);
            }
        }
    }

    private byte[] hash(String key) {
        return sha256.digest(key.getBytes(StandardCharsets.UTF_8));
    }

    private static long toLong(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[offset + i] & 0xFF);
        }
        return v;
    }
}
