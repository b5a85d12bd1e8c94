package io.friendliflink.emulator.model;

import java.util.Arrays;

/** A growable list of primitive ints, so token ids on the hot path are not boxed. */
final class IntList {
    private int[] values;
    private int size;

    IntList(int capacity) {
        values = new int[Math.max(4, capacity)];
    }

    static IntList of(int[] ids) {
        IntList list = new IntList(ids.length + 16);
        list.addAll(ids, 0, ids.length);
        return list;
    }

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    void addAll(int[] source, int from, int to) {
        for (int i = from; i < to; i++) {
            add(source[i]);
        }
    }

    void addAll(IntList other) {
        addAll(other.values, 0, other.size);
    }

    int get(int index) {
        return values[index];
    }

    int size() {
        return size;
    }

    void truncate(int newSize) {
        size = newSize;
    }

    int last() {
        return values[size - 1];
    }

    /** The backing array; only {@code [0, size())} is meaningful. */
    int[] rawArray() {
        return values;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
