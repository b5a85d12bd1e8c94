package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.client.RateLimitHeaders;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A greedy client drives a fake endpoint that allows R requests in any sliding minute and answers 429 beyond,
 * through the adaptive limiter, for 30 simulated minutes on a virtual clock.
 */
class AdaptiveRateLimiterSimulationTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;

    /** Starts ten times below the hidden limit, with the default configuration. */
    @Test
    void probingWithoutBeingToldTheLimitReachesMostOfItWithFew429s() {
        for (int perMinute : new int[] {600, 6_000}) {
            AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(
                    new AimdRateLimit(AimdRateLimitConfig.probing(perMinute / 600.0)), 1);
            Result result = simulate(perMinute, limiter, null, 30);
            System.out.println("probing R=" + perMinute + ": " + result);
            assertThat(result.shareOfLimit()).as("share of R reached, R=%d", perMinute).isGreaterThanOrEqualTo(0.80);
            assertThat(result.shareRateLimited()).as("share of 429s, R=%d", perMinute).isLessThan(0.05);
        }
    }

    /** Told R: the limiter paces at R and a sliding-window budget of R holds every minute to it. */
    @Test
    void toldTheLimitReachesAlmostAllOfItWithAlmostNo429s() {
        for (int perMinute : new int[] {100, 600, 10_000}) {
            AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(
                    new AimdRateLimit(AimdRateLimitConfig.toldLimit(perMinute / 60.0)), 1);
            SlidingWindowBudget budget = new SlidingWindowBudget(BudgetConfig.perMinute(perMinute));
            Result result = simulate(perMinute, limiter, budget, 30);
            System.out.println("told R=" + perMinute + ": " + result);
            assertThat(result.shareOfLimit()).as("share of R reached, R=%d", perMinute).isGreaterThanOrEqualTo(0.95);
            assertThat(result.shareRateLimited()).as("share of 429s, R=%d", perMinute).isLessThan(0.01);
        }
    }

    record Result(long sent, long accepted, long rateLimited, long perMinute, int minutes) {
        double shareOfLimit() {
            return (double) accepted / (perMinute * minutes);
        }

        double shareRateLimited() {
            return (double) rateLimited / sent;
        }

        @Override
        public String toString() {
            return String.format("sent=%d accepted=%d (%.1f%% of R) 429=%d (%.2f%%)", sent, accepted,
                    100 * shareOfLimit(), rateLimited, 100 * shareRateLimited());
        }
    }

    private record Response(long atNanos, long sentAtNanos, int status) {
    }

    /** The endpoint: at most {@code perMinute} accepted requests in any window (t - 1 min, t]. */
    private static final class SlidingWindowEndpoint {
        private final int perMinute;
        private final ArrayDeque<Long> accepted = new ArrayDeque<>();

        SlidingWindowEndpoint(int perMinute) {
            this.perMinute = perMinute;
        }

        int handle(long atNanos) {
            while (!accepted.isEmpty() && accepted.peekFirst() <= atNanos - MINUTE) {
                accepted.pollFirst();
            }
            if (accepted.size() >= perMinute) {
                return 429;
            }
            accepted.addLast(atNanos);
            return 200;
        }
    }

    private static Result simulate(int perMinute, AdaptiveRateLimiter limiter, SlidingWindowBudget budget,
            int minutes) {
        SplittableRandom random = new SplittableRandom(perMinute);
        SlidingWindowEndpoint endpoint = new SlidingWindowEndpoint(perMinute);
        PriorityQueue<Response> inFlight = new PriorityQueue<>((a, b) -> Long.compare(a.atNanos, b.atNanos));
        long start = 5_000 * SECOND;
        long end = start + minutes * MINUTE;
        long sent = 0;
        long accepted = 0;
        long rateLimited = 0;
        long t = start;
        while (true) {
            long sendAt = t + limiter.reserve(t);
            if (budget != null) {
                sendAt += budget.reserve(1, sendAt);
            }
            while (!inFlight.isEmpty() && inFlight.peek().atNanos <= sendAt) {
                Response r = inFlight.poll();
                limiter.onResponse(r.status, r.sentAtNanos, RateLimitHeaders.NONE, r.atNanos);
            }
            if (sendAt >= end) {
                break;
            }
            int status = endpoint.handle(sendAt);
            sent++;
            if (status == 429) {
                rateLimited++;
            } else {
                accepted++;
            }
            long latency = 200_000_000L + random.nextLong(1_800_000_000L);
            inFlight.add(new Response(sendAt + latency, sendAt, status));
            t = sendAt;
        }
        return new Result(sent, accepted, rateLimited, perMinute, minutes);
    }
}
