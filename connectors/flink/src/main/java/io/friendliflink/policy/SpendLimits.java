package io.friendliflink.policy;

import java.io.Serializable;
import org.apache.flink.annotation.PublicEvolving;

/**
 * The most one run may spend, in tokens and in cost; see {@link SpendCap}.
 *
 * @param maxTotalTokens prompt and completion tokens together, 0 for no cap
 * @param maxCost the cost at {@code pricing}, 0 for no cap; needs a price
 * @param pricing what tokens cost, for {@code maxCost}
 */
@PublicEvolving
public record SpendLimits(long maxTotalTokens, double maxCost, Pricing pricing) implements Serializable {

    public static final SpendLimits NONE = new SpendLimits(0, 0, Pricing.NONE);

    public SpendLimits {
        if (maxTotalTokens < 0) {
            throw new IllegalArgumentException("maxTotalTokens must be >= 0 (0 for no cap), was " + maxTotalTokens);
        }
        if (!(maxCost >= 0) || Double.isInfinite(maxCost)) {
            throw new IllegalArgumentException("maxCost must be >= 0 (0 for no cap) and finite, was " + maxCost);
        }
        if (pricing == null) {
            throw new IllegalArgumentException("pricing must not be null (Pricing.NONE for none)");
        }
        if (maxCost > 0 && !pricing.isSet()) {
            throw new IllegalArgumentException("maxCost needs a price: set pricing's input or output price");
        }
    }

    public boolean capped() {
        return maxTotalTokens > 0 || maxCost > 0;
    }
}
