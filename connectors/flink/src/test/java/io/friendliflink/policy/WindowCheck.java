package io.friendliflink.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** TEST FIXTURE: records permits at instants and finds the most permits any window {@code [a, a + length)} holds. */
public final class WindowCheck {

    private record Mark(long atNanos, long permits) {
    }

    private final List<Mark> marks = new ArrayList<>();

    public void record(long atNanos, long permits) {
        marks.add(new Mark(atNanos, permits));
    }

    int size() {
        return marks.size();
    }

    long total() {
        return marks.stream().mapToLong(Mark::permits).sum();
    }

    long first() {
        return marks.stream().mapToLong(Mark::atNanos).min().orElseThrow();
    }

    long last() {
        return marks.stream().mapToLong(Mark::atNanos).max().orElseThrow();
    }

    /**
     * The largest sum over all windows of the given length. Any window's content is also the content of a
     * window starting at its first mark, so windows starting at each mark cover every window.
     */
    public long maxOverAnyWindow(long lengthNanos) {
        List<Mark> sorted = new ArrayList<>(marks);
        sorted.sort(Comparator.comparingLong(Mark::atNanos));
        long max = 0;
        long sum = 0;
        int end = 0;
        for (int start = 0; start < sorted.size(); start++) {
            long windowEnd = sorted.get(start).atNanos() + lengthNanos;
            while (end < sorted.size() && sorted.get(end).atNanos() < windowEnd) {
                sum += sorted.get(end).permits();
                end++;
            }
            max = Math.max(max, sum);
            sum -= sorted.get(start).permits();
        }
        return max;
    }
}
