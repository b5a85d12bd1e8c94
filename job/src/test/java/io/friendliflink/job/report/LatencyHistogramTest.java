package io.friendliflink.job.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    private static Map<String, Long> counted(long... latenciesMs) {
        Map<String, Long> counters = new HashMap<>();
        for (long ms : latenciesMs) {
            counters.merge(LatencyHistogram.counterName(ms), 1L, Long::sum);
        }
        return counters;
    }

    private static long[] repeat(long value, int times) {
        long[] values = new long[times];
        java.util.Arrays.fill(values, value);
        return values;
    }

    @Test
    void eachLatencyIsCountedInTheBucketWhoseUpperBoundHoldsIt() {
        assertThat(LatencyHistogram.counterName(0)).isEqualTo("latency_ms.1");
        assertThat(LatencyHistogram.counterName(1)).isEqualTo("latency_ms.1");
        assertThat(LatencyHistogram.counterName(4)).isEqualTo("latency_ms.5");
        assertThat(LatencyHistogram.counterName(10)).isEqualTo("latency_ms.10");
        assertThat(LatencyHistogram.counterName(11)).isEqualTo("latency_ms.15");
        assertThat(LatencyHistogram.counterName(101)).isEqualTo("latency_ms.150");
        assertThat(LatencyHistogram.counterName(2_500)).isEqualTo("latency_ms.3000");
        assertThat(LatencyHistogram.counterName(700_000)).isEqualTo("latency_ms.700000");
        assertThat(LatencyHistogram.counterName(700_001)).isEqualTo("latency_ms.inf");
        assertThat(LatencyHistogram.counterName(-5)).isEqualTo("latency_ms.1");
    }

    @Test
    void percentilesInterpolateWithinTheBucketTheRankFallsIn() {
        Map<String, Long> counters = new HashMap<>(counted(repeat(12, 50)));
        counters.putAll(counted(repeat(120, 50)));
        LatencyHistogram h = LatencyHistogram.of(counters);

        assertThat(h.total()).isEqualTo(100);
        // 50 answers in (10, 15] and 50 in (100, 150]: the 50th is the last of the first bucket.
        assertThat(h.percentile(0.50)).isCloseTo(15, within(1e-9));
        assertThat(h.percentile(0.90)).isCloseTo(100 + 50 * 40 / 50.0, within(1e-9));
        assertThat(h.percentile(0.99)).isCloseTo(100 + 50 * 49 / 50.0, within(1e-9));
        assertThat(h.percentile(1.0)).isCloseTo(150, within(1e-9));
        assertThat(h.percentile(0.0)).isCloseTo(10, within(1e-9));
    }

    @Test
    void theDifferenceOfTwoReadingsIsTheHistogramOfTheTimeBetweenThem() {
        Map<String, Long> earlier = counted(repeat(40, 30));
        Map<String, Long> later = new HashMap<>(earlier);
        counted(repeat(1_800, 10)).forEach((k, v) -> later.merge(k, v, Long::sum));

        LatencyHistogram between = LatencyHistogram.of(later).minus(LatencyHistogram.of(earlier));

        assertThat(between.total()).isEqualTo(10);
        assertThat(between.percentile(0.5)).isBetween(1_500.0, 2_000.0);
        assertThat(LatencyHistogram.of(later).percentile(0.5)).isBetween(30.0, 50.0);
    }

    @Test
    void aBucketThatWentDownCountsNothingAndAnEmptyHistogramHasNoPercentile() {
        LatencyHistogram more = LatencyHistogram.of(counted(repeat(40, 5)));
        LatencyHistogram fewer = LatencyHistogram.of(counted(repeat(40, 2)));

        assertThat(fewer.minus(more).total()).isZero();
        assertThat(fewer.minus(more).percentile(0.5)).isNaN();
        assertThat(LatencyHistogram.of(Map.of("succeeded", 3L)).total()).isZero();
        assertThat(LatencyHistogram.of(counted(900_000)).percentile(0.99)).isEqualTo(700_000);
        assertThatThrownBy(() -> more.percentile(1.5)).hasMessageContaining("q must be within [0, 1], was 1.5");
    }
}
