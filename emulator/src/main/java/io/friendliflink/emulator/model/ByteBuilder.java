package io.friendliflink.emulator.model;

import java.util.Arrays;

/** A growable byte array for the output text of one choice. */
final class ByteBuilder {
    private byte[] raw = new byte[64];
    private int length;

    void append(byte[] piece) {
        if (length + piece.length > raw.length) {
            raw = Arrays.copyOf(raw, Math.max(raw.length * 2, length + piece.length));
        }
        System.arraycopy(piece, 0, raw, length, piece.length);
        length += piece.length;
    }

    int length() {
        return length;
    }

    /** The backing array; only {@code [0, length())} is meaningful. */
    byte[] raw() {
        return raw;
    }
}
