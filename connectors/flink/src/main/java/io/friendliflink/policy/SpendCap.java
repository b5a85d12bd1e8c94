package io.friendliflink.policy;

import org.apache.flink.annotation.Internal;

/**
 * Keeps one subtask's spending within its share of the run's cap ({@link SpendLimits}): a request is sent only if
 * its reservation fits, and once one does not, nothing more is sent.
 *
 * <p>The contract: before a send, {@link #reserve} books the request's prompt estimate plus its largest output
 * ({@code max_tokens} times {@code n}), in tokens and in cost; the answer's reported usage then replaces the
 * reservation ({@link #settle}), a failed attempt gives it back ({@link #release}: nothing was generated), and an
 * answer without usage keeps it. So what is booked (reservations plus reported usage) never passes the cap, except
 * by the usage of requests in flight beyond their reservations: a prompt longer than its estimate, output beyond an
 * estimated {@code max_tokens}. The spend can therefore exceed the cap by no more than what the requests in flight
 * when it is reached use. The prompt estimate is scaled up by the largest ratio of reported to estimated prompt
 * tokens seen, so that excess shrinks after the first answers.
 *
 * <p>Each of {@code n} subtasks gets {@code 1/n} of the cap: they share no state, on one machine or many. What was
 * spent before a failover is given back to it with {@link #restore}.
 *
 * <p>{@code
 * SpendCap cap = SpendCap.forSubtask(new SpendLimits(100_000, 0, Pricing.NONE), 2);
 * SpendCap.Reservation r = cap.reserve("my-model", 120, 256);
 * if (r == null) { ... budget_exhausted ... } else { ... send; cap.settle(r, usage.prompt, usage.completion) }
 * }
 *
 * <p>Thread-safe: reservations come from the operator's thread, settlements from I/O threads.
 */
@Internal
public final class SpendCap {
    /** The {@code error_type} of a line not sent because the cap was reached: a rerun with a larger cap sends it. */
    public static final String ERROR_TYPE = "budget_exhausted";
    /** How far the learned scale of prompt estimates may go: a bad sample must not stop the run. */
    private static final double MAX_PROMPT_SCALE = 8;

    private final SpendLimits limits;
    private final long maxTokens;
    private final double maxCost;
    private double promptScale = 1;
    private long bookedTokens;
    private double bookedCost;
    /** What answers reported (or, without usage, their reservations): what a checkpoint keeps. */
    private long spentTokens;
    private double spentCost;
    private volatile boolean reached;

    /** What one send booked. */
    public record Reservation(String model, long promptEstimate, long prompt, long output, double cost) {
        public long tokens() {
            return prompt + output;
        }
    }

    private SpendCap(SpendLimits limits, long maxTokens, double maxCost) {
        this.limits = limits;
        this.maxTokens = maxTokens;
        this.maxCost = maxCost;
    }

    /** The share of {@code limits} of one of {@code subtasks} subtasks. */
    public static SpendCap forSubtask(SpendLimits limits, int subtasks) {
        if (subtasks < 1) {
            throw new IllegalArgumentException("subtasks must be >= 1, was " + subtasks);
        }
        return new SpendCap(limits, limits.maxTotalTokens() / subtasks, limits.maxCost() / subtasks);
    }

    /** Whether a cap is set at all; without one every reservation fits. */
    public boolean capped() {
        return limits.capped();
    }

    /**
     * Books a send, or refuses it when it does not fit, after which the cap counts as reached and refuses
     * everything: lines are left for a rerun in the order they came, rather than small ones slipping through.
     *
     * @param promptEstimate the prompt's tokens as estimated from its text
     * @param maxOutput the most tokens the request may generate
     * @return the reservation, or {@code null} when the cap is reached
     */
    public synchronized Reservation reserve(String model, long promptEstimate, long maxOutput) {
        if (reached) {
            return null;
        }
        long prompt = (long) Math.ceil(promptEstimate * promptScale);
        double cost = limits.pricing().cost(model, prompt, maxOutput);
        if ((maxTokens > 0 && bookedTokens + prompt + maxOutput > maxTokens)
                || (maxCost > 0 && bookedCost + cost > maxCost)) {
            reached = true;
            return null;
        }
        bookedTokens += prompt + maxOutput;
        bookedCost += cost;
        return new Reservation(model, promptEstimate, prompt, maxOutput, cost);
    }

    /** The answer reported its usage: it replaces the reservation. */
    public synchronized void settle(Reservation r, long promptTokens, long completionTokens) {
        double cost = limits.pricing().cost(r.model(), promptTokens, completionTokens);
        bookedTokens += promptTokens + completionTokens - r.tokens();
        bookedCost += cost - r.cost();
        spentTokens += promptTokens + completionTokens;
        spentCost += cost;
        if (r.promptEstimate() > 0 && promptTokens > 0) {
            double ratio = (double) promptTokens / r.promptEstimate();
            promptScale = Math.min(MAX_PROMPT_SCALE, Math.max(promptScale, ratio));
        }
        if ((maxTokens > 0 && bookedTokens >= maxTokens) || (maxCost > 0 && bookedCost >= maxCost)) {
            reached = true;
        }
    }

    /** The answer reported no usage: its reservation counts as spent. */
    public synchronized void keep(Reservation r) {
        spentTokens += r.tokens();
        spentCost += r.cost();
    }

    /**
     * What earlier attempts of the run spent, restored from a checkpoint after a failover, so that the cap holds
     * for the run, not for each attempt.
     */
    public synchronized void restore(long tokens, double cost) {
        bookedTokens += tokens;
        bookedCost += cost;
        spentTokens += tokens;
        spentCost += cost;
        if ((maxTokens > 0 && bookedTokens >= maxTokens) || (maxCost > 0 && bookedCost >= maxCost)) {
            reached = true;
        }
    }

    public synchronized long spentTokens() {
        return spentTokens;
    }

    public synchronized double spentCost() {
        return spentCost;
    }

    /** The attempt failed: nothing was generated, the reservation is given back. */
    public synchronized void release(Reservation r) {
        bookedTokens -= r.tokens();
        bookedCost -= r.cost();
    }

    public boolean reached() {
        return reached;
    }

    public synchronized long bookedTokens() {
        return bookedTokens;
    }

    public synchronized double bookedCost() {
        return bookedCost;
    }

    /** Why a line was not sent, for its error row. */
    public synchronized String describe() {
        StringBuilder s = new StringBuilder("not sent: the run's spending cap is reached (this subtask's share: ");
        if (maxTokens > 0) {
            s.append(bookedTokens).append(" of ").append(maxTokens).append(" tokens");
        }
        if (maxCost > 0) {
            s.append(maxTokens > 0 ? ", " : "").append(String.format("%.6f of %.6f", bookedCost, maxCost));
        }
        return s.append(" booked); a rerun with a larger cap sends it").toString();
    }
}
