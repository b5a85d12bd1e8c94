package io.friendliflink.emulator.fault;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Draws at most one {@link Fault} per request from configured probabilities.
 *
 * <p>The probabilities are disjoint slices of {@code [0, 1)}: with {@code 500: 0.1, reset: 0.2} a draw
 * below 0.1 is a 500, below 0.3 a reset, else no fault. The caller passes the request's random source,
 * so a seeded run draws the same faults in the same order.
 */
public final class FaultInjector {
    private final Fault[] faults;
    private final double[] upperBounds;

    /** @param probabilities each in {@code [0, 1]}, summing to at most 1 (checked by the config) */
    public FaultInjector(Map<Fault, Double> probabilities) {
        Map<Fault, Double> ordered = new EnumMap<>(Fault.class);
        probabilities.forEach((f, p) -> {
            if (p > 0) {
                ordered.put(f, p);
            }
        });
        faults = new Fault[ordered.size()];
        upperBounds = new double[ordered.size()];
        double bound = 0;
        int i = 0;
        for (Map.Entry<Fault, Double> e : ordered.entrySet()) {
            bound += e.getValue();
            faults[i] = e.getKey();
            upperBounds[i] = bound;
            i++;
        }
    }

    /** The fault for one request, or {@code null} for a faithful answer. */
    public Fault draw(SplittableRandom random) {
        if (faults.length == 0) {
            return null;
        }
        double x = random.nextDouble();
        for (int i = 0; i < faults.length; i++) {
            if (x < upperBounds[i]) {
                return faults[i];
            }
        }
        return null;
    }
}
