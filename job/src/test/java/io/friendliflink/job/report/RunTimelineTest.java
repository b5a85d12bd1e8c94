package io.friendliflink.job.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunTimelineTest {
    private static final Instant START = Instant.parse("2026-12-07T12:00:00Z");

    private static Map<String, Object> counters(long succeeded, long retried429, long failed429, long retriedOther) {
        Map<String, Object> c = new HashMap<>();
        c.put("succeeded", succeeded);
        c.put("failed", failed429);
        c.put("retries.rate_limited", retried429);
        c.put("errors.rate_limited", failed429);
        c.put("retries.server_error", retriedOther);
        c.put("total_tokens", 10 * succeeded);
        c.put(LatencyHistogram.counterName(120), succeeded);
        c.put("a text accumulator", "ignored");
        return c;
    }

    @Test
    void intervalsHoldWhatHappenedBetweenReadingsAndAddUpToTheTotals() {
        RunTimeline timeline = new RunTimeline(START);
        timeline.add(START.plusMillis(1_000), counters(10, 2, 0, 1));
        timeline.add(START.plusMillis(1_500), counters(10, 2, 0, 1)); // nothing new since the last heartbeat
        timeline.add(START.plusMillis(2_000), counters(30, 5, 1, 1));
        timeline.add(START.plusMillis(4_000), counters(40, 5, 1, 3));

        List<RunTimeline.Interval> intervals = timeline.intervals(100);

        assertThat(timeline.samples()).hasSize(4);
        assertThat(intervals).extracting(RunTimeline.Interval::requests).containsExactly(10L, 21L, 10L);
        assertThat(intervals).extracting(RunTimeline.Interval::rateLimited).containsExactly(2L, 4L, 0L);
        assertThat(intervals).extracting(RunTimeline.Interval::retries).containsExactly(3L, 3L, 2L);
        assertThat(intervals).extracting(RunTimeline.Interval::tokens).containsExactly(100L, 200L, 100L);
        assertThat(intervals).extracting(i -> i.latency().total()).containsExactly(10L, 20L, 10L);
        assertThat(intervals.get(1).startSeconds()).isCloseTo(1.0, within(1e-9));
        assertThat(intervals.get(2).seconds()).isCloseTo(2.0, within(1e-9));
        assertThat(intervals.get(2).endSeconds()).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void theEndIsKeptEvenWhenNothingChangedSoTheTimelineSpansTheRun() {
        RunTimeline timeline = new RunTimeline(START);
        timeline.add(START.plusSeconds(1), counters(10, 0, 0, 0));
        timeline.end(START.plusSeconds(3), counters(10, 0, 0, 0));

        List<RunTimeline.Interval> intervals = timeline.intervals(100);

        assertThat(intervals).extracting(RunTimeline.Interval::requests).containsExactly(10L, 0L);
        assertThat(intervals.get(1).endSeconds()).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void fewerIntervalsThanReadingsStillCoverTheWholeRunAndItsCounts() {
        RunTimeline timeline = new RunTimeline(START);
        for (int s = 1; s <= 50; s++) {
            timeline.add(START.plusSeconds(s), counters(s * 3L, s, 0, 0));
        }

        List<RunTimeline.Interval> intervals = timeline.intervals(7);

        assertThat(intervals).hasSize(7);
        assertThat(intervals.get(0).startSeconds()).isZero();
        assertThat(intervals.get(6).endSeconds()).isCloseTo(50, within(1e-9));
        assertThat(intervals.stream().mapToLong(RunTimeline.Interval::requests).sum()).isEqualTo(150);
        assertThat(intervals.stream().mapToLong(RunTimeline.Interval::rateLimited).sum()).isEqualTo(50);
    }

    @Test
    void aFullTimelineDropsEveryOtherReadingKeepingTheFirstAndTheNewest() {
        RunTimeline timeline = new RunTimeline(START);
        int readings = RunTimeline.MAX_SAMPLES + 10;
        for (int s = 1; s <= readings; s++) {
            timeline.add(START.plusSeconds(s), counters(s, 0, 0, 0));
        }

        List<RunTimeline.Sample> samples = timeline.samples();

        assertThat(samples.size()).isLessThanOrEqualTo(RunTimeline.MAX_SAMPLES);
        assertThat(samples.get(0).at()).isEqualTo(START);
        assertThat(samples.get(samples.size() - 1).at()).isEqualTo(START.plusSeconds(readings));
        assertThat(timeline.lastCounters()).containsEntry("succeeded", (long) readings);
        assertThat(timeline.intervals(RunReport.MAX_INTERVALS).stream().mapToLong(RunTimeline.Interval::requests)
                .sum()).isEqualTo(readings);
    }
}
