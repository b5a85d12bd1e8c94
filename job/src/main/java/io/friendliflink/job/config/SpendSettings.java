package io.friendliflink.job.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.policy.Pricing;
import io.friendliflink.policy.SpendLimits;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the {@code pricing:} section and the spending caps of {@code calls:}. */
final class SpendSettings {
    private static final String INPUT = "input-per-million";
    private static final String OUTPUT = "output-per-million";

    private SpendSettings() {}

    /**
     * {@code pricing:}: a default price and prices by model, e.g.
     * {@code models: {big-model: {input-per-million: 1.0, output-per-million: 3.0}}}.
     */
    static Pricing pricing(ConfigSection s) {
        double input = s.doubleValue(JobOptions.PRICING_INPUT_PER_MILLION, 0, 1e12);
        double output = s.doubleValue(JobOptions.PRICING_OUTPUT_PER_MILLION, 0, 1e12);
        Map<String, Pricing.Price> byModel = new LinkedHashMap<>();
        ObjectNode models = s.objectValue(JobOptions.PRICING_MODELS);
        if (models != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> model = it.next();
                Pricing.Price price = price(model.getValue(), input, output);
                if (price == null) {
                    s.problem("models", model.getKey() + " must be a mapping of " + INPUT + " and/or " + OUTPUT
                            + " to prices >= 0, was " + model.getValue());
                } else {
                    byModel.put(model.getKey(), price);
                }
            }
        }
        return new Pricing(input, output, byModel);
    }

    /** A model's prices; one it does not name is the default's. {@code null} when malformed. */
    private static Pricing.Price price(JsonNode node, double input, double output) {
        if (!node.isObject()) {
            return null;
        }
        double in = input;
        double out = output;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Double value = number(field.getValue());
            if (value == null || value < 0) {
                return null;
            }
            switch (field.getKey()) {
                case INPUT -> in = value;
                case OUTPUT -> out = value;
                default -> {
                    return null;
                }
            }
        }
        return new Pricing.Price(in, out);
    }

    private static Double number(JsonNode v) {
        if (v.isNumber()) {
            return v.doubleValue();
        }
        try {
            return v.isTextual() ? Double.parseDouble(v.asText()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code calls.max-total-tokens} and {@code calls.max-cost}; a cost cap needs a price to count with. */
    static SpendLimits limits(ConfigSection calls, Pricing pricing) {
        long maxTokens = calls.longValue(JobOptions.CALLS_MAX_TOTAL_TOKENS, 0, Long.MAX_VALUE);
        double maxCost = calls.doubleValue(JobOptions.CALLS_MAX_COST, 0, 1e15);
        if (maxCost > 0 && !pricing.isSet()) {
            calls.problem("max-cost", "needs prices to count with: set pricing.input-per-million and "
                    + "pricing.output-per-million (or pricing.models)");
            maxCost = 0;
        }
        return new SpendLimits(maxTokens, maxCost, pricing);
    }
}
