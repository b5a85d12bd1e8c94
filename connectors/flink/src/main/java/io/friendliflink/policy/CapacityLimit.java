package io.friendliflink.policy;

/**
 * An adaptive limit on requests in flight for an endpoint whose limit is capacity (how many generations run at
 * once, the rest queueing): it settles a little above the capacity it measures, so that the endpoint always
 * has its next request waiting and no request waits long.
 *
 * <p>How, following Netflix concurrency-limits ({@code concurrency-limits-core/.../limit/Gradient2Limit.java},
 * {@code VegasLimit.java}, {@code WindowedLimit.java}, {@code AIMDLimit.java}) and TCP BBR's idea of measuring
 * the bottleneck and the unloaded delay separately:
 * <ul>
 *   <li>Samples are taken in windows ({@code WindowedLimit}): a window is the first {@code max(10, limit)}
 *       requests sent after it opened, so it measures the limit in force over a whole round of the endpoint's
 *       slots, and it closes once all of them have ended (closing at its first answers would count only the
 *       quick ones, those that did not queue).
 *   <li>Per window: the mean in-flight at send {@code L}, the mean latency {@code R}, and the mean queue signal
 *       {@code q}: a stream's time to first token (queueing and prefill, not the decode, whose length varies
 *       with the answer), else the whole latency.
 *   <li>The unloaded queue signal {@code q0} (BBR's round-trip propagation time): the lowest window mean while
 *       the limit is still doubling, then re-measured in probe windows whose limit is 3/4 of the capacity
 *       estimate, so that nothing waits: {@value #FIRST_PROBE_AFTER} windows after slow start, then at twice
 *       the interval while probes agree (up to every {@value #PROBE_EVERY} windows), and whenever the limit has
 *       fallen by a quarter since the last probe. A slower endpoint (longer answers) is thus re-measured instead
 *       of being taken for a queue.
 *   <li>Requests waiting ({@code VegasLimit}'s queue size, by Little's law): {@code (q - q0) * L / R}; the
 *       capacity estimate {@code C = L - waiting}.
 *   <li>The new limit ({@code Gradient2Limit}'s {@code limit * gradient + queueSize}, smoothed by half):
 *       {@code C + headroom}, the headroom 20% of {@code C} (at least 1), and never more than keeps the
 *       expected wait ({@code headroom * R / L}) under half the requests' {@code timeout_microseconds}.
 *   <li>Slow start: while no window shows requests waiting (under a tenth of {@code L}), the limit doubles per
 *       window, so a capacity of hundreds is reached in a few round trips.
 *   <li>A queue-timeout {@code 429} (the endpoint's queue outlasted {@code timeout_microseconds}) cuts the limit
 *       by 20% at once ({@code AIMDLimit}'s multiplicative decrease on a drop), once per congestion: not again
 *       for requests sent before the cut.
 *   <li>A window whose in-flight stayed under half the limit changes nothing: the caller is not using the limit
 *       ({@code Gradient2Limit}: "don't grow the limit if we are app limited").
 * </ul>
 *
 * <p>A server whose per-token time grows with its batch, without queueing (continuous batching), looks the same
 * through non-streamed latency: the limit then stops where latency is about a fifth above the unloaded one.
 * Through streams it does not: their time to first token does not grow with the batch.
 *
 * <p>Never reads a clock: every sample carries its times. Not thread-safe: its owner serializes calls.
 */
public final class CapacityLimit {
    static final int PROBE_EVERY = 30;
    private static final int FIRST_PROBE_AFTER = 3;
    private static final double HEADROOM = 0.2;
    private static final double DROP_RATIO = 0.8;
    private static final double PROBE_RATIO = 0.75;
    private static final double SETTLED_PROBE_RATIO = 0.9;
    private static final double SMOOTHING = 0.5;
    private static final int MIN_SAMPLES = 10;
    /** The tag of a request sent once its window was full: its answer is not a sample. */
    public static final int NOT_SAMPLED = -1;

    private final int max;
    private double limit;
    private boolean slowStart = true;
    /** The unloaded queue signal, in nanoseconds; NaN until the first window. */
    private double unloaded = Double.NaN;
    private long timeoutNanos;

    /** The window: the first {@code windowSize} requests sent after it opened, until all have ended. */
    private int window;
    private int windowSize;
    private int sent;
    private int ended;
    private int count;
    private double sumLatency;
    private double sumQueue;
    private double sumInFlight;
    /** Queue timeouts of requests sent before this cut the limit for a congestion already. */
    private long lastCutAt = Long.MIN_VALUE;
    private boolean cut;
    private int windows;
    private boolean probing;
    private double limitBeforeProbe;
    private double limitAfterProbe;
    private int probeInterval = FIRST_PROBE_AFTER;
    private boolean probesAgree;
    private double lastCapacity = Double.NaN;

    /**
     * @param initial the limit to start from (slow start doubles it)
     * @param max the most requests in flight ever allowed (the caller's own capacity)
     */
    public CapacityLimit(int initial, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1 but was " + max);
        }
        if (initial < 1 || initial > max) {
            throw new IllegalArgumentException("initial must be in [1, max (" + max + ")] but was " + initial);
        }
        this.max = max;
        this.limit = initial;
        startWindow();
    }

    /** How many requests may be in flight now. */
    public int limit() {
        return (int) Math.max(1, Math.floor(limit));
    }

    /**
     * A request is sent (or booked to be sent): returns the tag to give back when it ends, in
     * {@link #onAnswer}, {@link #onQueueTimeout} or {@link #onOtherEnd}, which every request sent must reach.
     */
    public int onSend() {
        if (sent < windowSize) {
            sent++;
            return window;
        }
        return NOT_SAMPLED;
    }

    /**
     * One answered request.
     *
     * @param tag what {@link #onSend} returned for it
     * @param latencyNanos from sending to the whole answer
     * @param queueSignalNanos its time to first token when streamed, else {@code latencyNanos}
     * @param inFlightAtSend requests in flight when it was sent, itself included
     * @param timeoutNanos the request's {@code timeout_microseconds} in nanoseconds, or 0 when it set none
     */
    public void onAnswer(int tag, long latencyNanos, long queueSignalNanos, int inFlightAtSend, long timeoutNanos) {
        if (timeoutNanos > 0) {
            this.timeoutNanos = timeoutNanos;
        }
        if (tag != window) {
            return; // not sampled, or sent under an earlier limit: it says nothing of this one
        }
        count++;
        sumLatency += Math.max(1, latencyNanos);
        sumQueue += Math.max(1, queueSignalNanos);
        sumInFlight += inFlightAtSend;
        ended();
    }

    /** A request ended without telling anything of the queue (refused for a rate, failed, never sent). */
    public void onOtherEnd(int tag) {
        if (tag == window) {
            ended();
        }
    }

    /**
     * A request sent at {@code sentAtNanos} waited in the endpoint's queue longer than its
     * {@code timeout_microseconds} and was refused: the limit is cut at once, once per congestion.
     */
    public void onQueueTimeout(int tag, long sentAtNanos, long nowNanos) {
        if (cut && sentAtNanos - lastCutAt < 0) {
            onOtherEnd(tag);
            return; // sent before the last cut: this congestion has been answered
        }
        slowStart = false;
        if (probing) {
            probing = false;
            limit = limitBeforeProbe;
        }
        limit = Math.max(1, limit * DROP_RATIO);
        limitAfterProbe = limit;
        cut = true;
        lastCutAt = nowNanos;
        startWindow();
    }

    /**
     * The window closes once every request of it has ended: closing at the first answers would measure only the
     * quick ones, those that did not queue.
     */
    private void ended() {
        ended++;
        if (ended >= windowSize) {
            if (count > 0) {
                closeWindow();
            } else {
                startWindow();
            }
        }
    }

    private void closeWindow() {
        double inFlight = sumInFlight / count;
        double latency = sumLatency / count;
        double queue = sumQueue / count;
        decide(inFlight, latency, queue);
        startWindow();
    }

    private void decide(double inFlight, double latency, double queue) {
        if (probing) {
            endProbe(queue);
            return;
        }
        if (Double.isNaN(unloaded) || (slowStart && queue < unloaded)) {
            unloaded = queue;
        }
        double waiting = Math.max(0, queue - unloaded) * inFlight / latency;
        double capacity = Math.max(1, inFlight - waiting);
        lastCapacity = capacity;
        if (inFlight < limit / 2) {
            return; // not using the limit: no news about it
        }
        if (slowStart) {
            if (waiting < Math.max(1, 0.1 * inFlight)) {
                limit = Math.min(max, limit * 2);
                return;
            }
            slowStart = false;
            limit = clamp(target(capacity, inFlight, latency));
            limitAfterProbe = limit;
        } else {
            limit = clamp((1 - SMOOTHING) * limit + SMOOTHING * target(capacity, inFlight, latency));
        }
        windows++;
        if (windows >= probeInterval || limit < PROBE_RATIO * limitAfterProbe) {
            startProbe(capacity);
        }
    }

    /**
     * Cuts the limit below the capacity for one window to measure the unloaded queue signal. Due every
     * {@code probeInterval} windows: a few after slow start (which may have measured it with a queue already
     * there), then less often while successive probes agree. Also due when the limit has fallen by a quarter
     * since the last probe: a queue that does not shrink with the limit is no queue, but a slower endpoint.
     */
    private void startProbe(double capacity) {
        windows = 0;
        probing = true;
        limitBeforeProbe = limit;
        // Deep while the estimates still move; once probes agree, just below the capacity, which drains the queue
        // as well and leaves fewer slots idle.
        limit = Math.max(1, (probesAgree ? SETTLED_PROBE_RATIO : PROBE_RATIO) * Math.min(capacity, limit));
    }

    private void endProbe(double queue) {
        probing = false;
        probesAgree = Math.abs(queue - unloaded) <= 0.1 * unloaded;
        probeInterval = probesAgree ? Math.min(PROBE_EVERY, 2 * probeInterval) : FIRST_PROBE_AFTER;
        unloaded = queue;
        limit = limitBeforeProbe;
        limitAfterProbe = limit;
    }

    /** The capacity and a headroom that keeps the endpoint busy without making anyone wait long. */
    private double target(double capacity, double inFlight, double latency) {
        double headroom = Math.max(1, HEADROOM * capacity);
        if (timeoutNanos > 0) {
            // headroom requests ahead of it make a request wait headroom / throughput
            headroom = Math.min(headroom, 0.5 * timeoutNanos * inFlight / latency);
        }
        return capacity + headroom;
    }

    private double clamp(double value) {
        return Math.max(1, Math.min(max, value));
    }

    private void startWindow() {
        window++;
        windowSize = (int) Math.max(MIN_SAMPLES, Math.ceil(limit));
        sent = 0;
        ended = 0;
        count = 0;
        sumLatency = 0;
        sumQueue = 0;
        sumInFlight = 0;
    }

    /** The capacity the last window measured (requests the endpoint serves at once), or NaN before one closed. */
    public double capacityEstimate() {
        return lastCapacity;
    }

    @Override
    public String toString() {
        return "CapacityLimit{limit=" + limit() + ", max=" + max + ", slowStart=" + slowStart + ", capacity="
                + lastCapacity + ", unloadedMs=" + unloaded / 1e6 + '}';
    }
}
