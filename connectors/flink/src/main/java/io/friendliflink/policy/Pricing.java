package io.friendliflink.policy;

import java.io.Serializable;
import java.util.Map;
import org.apache.flink.annotation.PublicEvolving;

/**
 * What tokens cost, in the currency of the user's price list, per million: a default and, optionally, a price per
 * model. {@link #NONE} prices nothing: costs are then unknown, not zero.
 *
 * <p>{@code
 * Pricing prices = new Pricing(0.1, 0.4, Map.of("big-model", new Pricing.Price(1.0, 3.0)));
 * double dollars = prices.cost("small-model", 1_000, 200); // 0.00018
 * }
 *
 * @param inputPerMillion the default price of a million prompt tokens
 * @param outputPerMillion the default price of a million completion tokens
 * @param byModel prices of the models that differ from the default
 */
@PublicEvolving
public record Pricing(double inputPerMillion, double outputPerMillion, Map<String, Price> byModel)
        implements Serializable {

    public static final Pricing NONE = new Pricing(0, 0, Map.of());

    /** One model's prices per million tokens. */
    public record Price(double inputPerMillion, double outputPerMillion) implements Serializable {
        public Price {
            requireValid("inputPerMillion", inputPerMillion);
            requireValid("outputPerMillion", outputPerMillion);
        }
    }

    public Pricing {
        requireValid("inputPerMillion", inputPerMillion);
        requireValid("outputPerMillion", outputPerMillion);
        byModel = Map.copyOf(byModel);
    }

    /** Whether any price is set: without one, a cost cannot be told. */
    public boolean isSet() {
        return inputPerMillion > 0 || outputPerMillion > 0 || !byModel.isEmpty();
    }

    public Price of(String model) {
        Price own = model == null ? null : byModel.get(model);
        return own != null ? own : new Price(inputPerMillion, outputPerMillion);
    }

    /** The cost of {@code promptTokens} in and {@code completionTokens} out of {@code model}. */
    public double cost(String model, long promptTokens, long completionTokens) {
        Price price = of(model);
        return (promptTokens * price.inputPerMillion() + completionTokens * price.outputPerMillion()) / 1e6;
    }

    private static void requireValid(String name, double price) {
        if (!(price >= 0) || Double.isInfinite(price)) {
            throw new IllegalArgumentException(name + " must be >= 0 and finite, was " + price);
        }
    }
}
