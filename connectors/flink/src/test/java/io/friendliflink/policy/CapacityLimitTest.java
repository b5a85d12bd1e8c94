package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Drives the limit against a simulated endpoint in virtual time: {@code slots} generations at once, the rest
 * waiting first come, first served, as the emulator's {@code --concurrency} and a dedicated endpoint do.
 */
class CapacityLimitTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    @Test
    void convergesOnTheEndpointsCapacityWithinSecondsAndKeepsItBusyWithFewWaiting() {
        for (int slots : new int[] {4, 32, 256}) {
            Endpoint endpoint = new Endpoint(slots, () -> 490 * MS);
            Run run = new Run(new CapacityLimit(8, 1_024), endpoint).simulate(120 * SECOND);

            assertThat(run.limitAt(10 * SECOND)).as("limit after 10 s, %d slots", slots)
                    .isBetween(slots, (int) Math.ceil(slots * 1.5) + 2);
            assertThat(run.throughput(10 * SECOND, 120 * SECOND)).as("%d slots", slots)
                    .isGreaterThanOrEqualTo(0.95 * slots / 0.49);
            assertThat(run.meanWaitNanos(10 * SECOND, 120 * SECOND)).as("%d slots", slots)
                    .isLessThan(0.3 * 490 * MS);
        }
    }

    @Test
    void reachesAtLeast95PercentOfTheBestFixedLimit() {
        Endpoint endpoint = new Endpoint(32, () -> 490 * MS);
        double adaptive = new Run(new CapacityLimit(8, 256), endpoint).simulate(60 * SECOND)
                .throughput(0, 60 * SECOND);
        double best = 0;
        for (int fixed : new int[] {24, 32, 40, 48, 64, 128, 256}) {
            best = Math.max(best, new Run(fixed, new Endpoint(32, () -> 490 * MS)).simulate(60 * SECOND)
                    .throughput(0, 60 * SECOND));
        }
        assertThat(adaptive).isGreaterThanOrEqualTo(0.95 * best);
    }

    @Test
    void keepsQueueTimeoutsRareWhenRequestsSetATimeoutOfTwiceAGeneration() {
        Endpoint endpoint = new Endpoint(32, () -> 490 * MS).timeout(980 * MS);
        Run run = new Run(new CapacityLimit(8, 256), endpoint).simulate(120 * SECOND);

        assertThat(run.queueTimeouts).isLessThan(run.answered / 100);
        assertThat(run.throughput(10 * SECOND, 120 * SECOND)).isGreaterThanOrEqualTo(0.95 * 32 / 0.49);
    }

    @Test
    void aLimitFarAboveTheCapacityComesDownOnQueueTimeouts() {
        // Without a measurable queue signal (every request waits about as long), the timeouts alone bring it down.
        Endpoint endpoint = new Endpoint(16, () -> 500 * MS).timeout(300 * MS);
        CapacityLimit limit = new CapacityLimit(256, 256);
        Run run = new Run(limit, endpoint).simulate(60 * SECOND);

        assertThat(run.limitAt(60 * SECOND)).isLessThanOrEqualTo(24);
        assertThat(run.queueTimeoutsBetween(20 * SECOND, 60 * SECOND))
                .isLessThan(run.answeredBetween(20 * SECOND, 60 * SECOND) / 100);
    }

    @Test
    void anEndpointThatBecomesSlowerIsNotTakenForAQueue() {
        // Answers twice as long after a minute (longer outputs in the second half of the input): the probe
        // windows re-measure the unloaded latency, so the limit stays at the capacity instead of halving.
        long[] now = {0};
        Endpoint endpoint = new Endpoint(32, () -> now[0] < 60 * SECOND ? 400 * MS : 800 * MS);
        Run run = new Run(new CapacityLimit(8, 256), endpoint).clock(now).simulate(180 * SECOND);

        assertThat(run.limitAt(180 * SECOND)).isGreaterThanOrEqualTo(32);
        assertThat(run.throughput(120 * SECOND, 180 * SECOND)).isGreaterThanOrEqualTo(0.95 * 32 / 0.8);
    }

    @Test
    void answersOfVaryingLengthStillFindTheCapacity() {
        SplittableRandom random = new SplittableRandom(5);
        Endpoint endpoint = new Endpoint(32, () -> 200 * MS + random.nextLong(800 * MS));
        Run run = new Run(new CapacityLimit(8, 256), endpoint).simulate(180 * SECOND);
        double best = 0;
        for (int fixed : new int[] {32, 40, 48, 64}) {
            SplittableRandom same = new SplittableRandom(5);
            best = Math.max(best, new Run(fixed, new Endpoint(32, () -> 200 * MS + same.nextLong(800 * MS)))
                    .simulate(180 * SECOND).throughput(10 * SECOND, 180 * SECOND));
        }
        assertThat(run.throughput(10 * SECOND, 180 * SECOND)).isGreaterThanOrEqualTo(0.9 * best);
    }

    @Test
    void streamsAreJudgedByTheirTimeToFirstTokenWhateverTheirLength() {
        SplittableRandom random = new SplittableRandom(9);
        // 200 ms to the first token, then 10 ms a token for 10 to 300 tokens
        Endpoint endpoint = new Endpoint(32, () -> 200 * MS + (10 + random.nextLong(291)) * 10 * MS).streaming(200 * MS);
        Run run = new Run(new CapacityLimit(8, 256), endpoint).simulate(180 * SECOND);

        assertThat(run.limitAt(180 * SECOND)).isBetween(32, 48);
        assertThat(run.meanWaitNanos(10 * SECOND, 180 * SECOND)).isLessThan(400 * MS);
    }

    @Test
    void aCallerThatDoesNotUseTheLimitDoesNotRaiseIt() {
        Endpoint endpoint = new Endpoint(256, () -> 100 * MS);
        CapacityLimit limit = new CapacityLimit(20, 256);
        new Run(limit, endpoint).backlog(5).simulate(60 * SECOND);

        assertThat(limit.limit()).isEqualTo(20);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new CapacityLimit(1, 0)).hasMessageContaining("max");
        assertThatThrownBy(() -> new CapacityLimit(0, 5)).hasMessageContaining("initial");
        assertThatThrownBy(() -> new CapacityLimit(6, 5)).hasMessageContaining("initial");
    }

    /** A FIFO endpoint with a number of generation slots; a request waits for a slot, then generates. */
    private static final class Endpoint {
        final int slots;
        final LongSupplier generation;
        long timeoutNanos;
        long firstTokenNanos = -1;

        Endpoint(int slots, LongSupplier generation) {
            this.slots = slots;
            this.generation = generation;
        }

        /** Requests set {@code timeout_microseconds}: one still waiting for a slot after it is refused. */
        Endpoint timeout(long nanos) {
            this.timeoutNanos = nanos;
            return this;
        }

        /** Answers are streamed, their first token this long after generation starts. */
        Endpoint streaming(long firstToken) {
            this.firstTokenNanos = firstToken;
            return this;
        }
    }

    /** A caller that keeps as many requests in flight as the limit (or a fixed number) allows. */
    private static final class Run {
        /** From an answer to the next send, on the caller's side: 0.5 to 2 ms, so that sends do not go in lockstep. */
        private final SplittableRandom turnaround = new SplittableRandom(1);
        final CapacityLimit limit;
        final int fixed;
        final Endpoint endpoint;
        long[] clock = {0};
        int backlog = Integer.MAX_VALUE;
        int inFlight;
        int busy;
        long answered;
        long queueTimeouts;
        final ArrayDeque<Request> queue = new ArrayDeque<>();
        final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
        final java.util.List<long[]> limits = new java.util.ArrayList<>(); // {time, limit}
        final java.util.List<long[]> done = new java.util.ArrayList<>(); // {answered at, waited}
        final java.util.List<Long> timeouts = new java.util.ArrayList<>();

        Run(CapacityLimit limit, Endpoint endpoint) {
            this.limit = limit;
            this.fixed = 0;
            this.endpoint = endpoint;
        }

        Run(int fixed, Endpoint endpoint) {
            this.limit = null;
            this.fixed = fixed;
            this.endpoint = endpoint;
        }

        Run clock(long[] shared) {
            this.clock = shared;
            return this;
        }

        /** Only this many requests ever exist at once (the input is thin). */
        Run backlog(int requests) {
            this.backlog = requests;
            return this;
        }

        int currentLimit() {
            return Math.min(backlog, limit == null ? fixed : limit.limit());
        }

        Run simulate(long duration) {
            fill(0);
            while (!events.isEmpty()) {
                Event e = events.poll();
                if (e.at > duration) {
                    break;
                }
                clock[0] = e.at;
                e.action.run();
            }
            return this;
        }

        private void fill(long now) {
            while (inFlight < currentLimit()) {
                inFlight++;
                Request r = new Request(now + MS / 2 + turnaround.nextLong(3 * MS / 2), inFlight);
                if (limit != null) {
                    r.tag = limit.onSend();
                }
                events.add(new Event(r.sentAt, () -> arrive(r)));
            }
            limits.add(new long[] {now, currentLimit()});
        }

        private void arrive(Request r) {
            if (busy < endpoint.slots) {
                start(r, r.sentAt);
                return;
            }
            queue.addLast(r);
            if (endpoint.timeoutNanos > 0) {
                events.add(new Event(r.sentAt + endpoint.timeoutNanos, () -> {
                    if (queue.remove(r)) {
                        answer(r, r.sentAt + endpoint.timeoutNanos, true);
                    }
                }));
            }
        }

        private void start(Request r, long at) {
            busy++;
            r.startedAt = at;
            long end = at + endpoint.generation.getAsLong();
            events.add(new Event(end, () -> {
                busy--;
                Request next = queue.pollFirst();
                if (next != null) {
                    start(next, end);
                }
                answer(r, end, false);
            }));
        }

        private void answer(Request r, long at, boolean timedOut) {
            inFlight--;
            answered++;
            if (limit != null) {
                if (timedOut) {
                    queueTimeouts++;
                    limit.onQueueTimeout(r.tag, r.sentAt, at);
                } else {
                    long queueSignal = endpoint.firstTokenNanos < 0 ? at - r.sentAt
                            : r.startedAt + endpoint.firstTokenNanos - r.sentAt;
                    limit.onAnswer(r.tag, at - r.sentAt, queueSignal, r.inFlightAtSend, endpoint.timeoutNanos);
                }
            } else if (timedOut) {
                queueTimeouts++;
            }
            if (!timedOut) {
                done.add(new long[] {at, r.startedAt - r.sentAt});
            } else {
                timeouts.add(at);
            }
            fill(at);
        }

        int limitAt(long at) {
            long value = 0;
            for (long[] l : limits) {
                if (l[0] > at) {
                    break;
                }
                value = l[1];
            }
            return (int) value;
        }

        /** Answers per second in [from, to). */
        double throughput(long from, long to) {
            return done.stream().filter(d -> d[0] >= from && d[0] < to).count() * (double) SECOND / (to - from);
        }

        long queueTimeoutsBetween(long from, long to) {
            return timeouts.stream().filter(t -> t >= from && t < to).count();
        }

        long answeredBetween(long from, long to) {
            return done.stream().filter(d -> d[0] >= from && d[0] < to).count() + queueTimeoutsBetween(from, to);
        }

        double meanWaitNanos(long from, long to) {
            return done.stream().filter(d -> d[0] >= from && d[0] < to).mapToLong(d -> d[1]).average().orElse(0);
        }
    }

    private static final class Request {
        final long sentAt;
        final int inFlightAtSend;
        long startedAt;
        int tag;

        Request(long sentAt, int inFlightAtSend) {
            this.sentAt = sentAt;
            this.inFlightAtSend = inFlightAtSend;
        }
    }

    private record Event(long at, Runnable action) {}
}
