package io.friendliflink.job;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.job.pipeline.RunCounters;
import io.friendliflink.policy.Pricing;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run spent, by model and by kind of request, from its usage counters ({@link RunCounters#usageCounter})
 * and, when prices are set, at those prices.
 */
final class Spending {
    /** Tokens of one model, or of one kind, and their cost; {@code cost} is 0 without prices. */
    record Tokens(long prompt, long completion, double cost) {
        long total() {
            return prompt + completion;
        }

        Tokens plus(long morePrompt, long moreCompletion, double moreCost) {
            return new Tokens(prompt + morePrompt, completion + moreCompletion, cost + moreCost);
        }
    }

    private static final Tokens NONE = new Tokens(0, 0, 0);

    private final Pricing pricing;
    private final Map<String, Tokens> byModel = new TreeMap<>();
    private final Map<String, Tokens> byKind = new TreeMap<>();
    private Tokens all = NONE;

    private Spending(Pricing pricing) {
        this.pricing = pricing;
    }

    static Spending of(Map<String, Long> counters, Pricing pricing) {
        // (kind, model) -> prompt, completion; costs are per model, so each pair is priced before summing.
        Map<String, long[]> pairs = new TreeMap<>();
        counters.forEach((name, value) -> {
            RunCounters.UsageKey key = RunCounters.UsageKey.parse(name);
            if (key != null) {
                long[] tokens = pairs.computeIfAbsent(key.kind() + "/" + key.model(), k -> new long[2]);
                tokens[key.completion() ? 1 : 0] += value;
            }
        });
        Spending s = new Spending(pricing);
        pairs.forEach((pair, tokens) -> {
            int slash = pair.indexOf('/');
            String kind = pair.substring(0, slash);
            String model = pair.substring(slash + 1);
            double cost = pricing.isSet() ? pricing.cost(model, tokens[0], tokens[1]) : 0;
            s.byModel.merge(model, NONE.plus(tokens[0], tokens[1], cost), (a, b) -> a.plus(b.prompt, b.completion, b.cost));
            s.byKind.merge(kind, NONE.plus(tokens[0], tokens[1], cost), (a, b) -> a.plus(b.prompt, b.completion, b.cost));
            s.all = s.all.plus(tokens[0], tokens[1], cost);
        });
        return s;
    }

    boolean priced() {
        return pricing.isSet();
    }

    double cost() {
        return all.cost;
    }

    Map<String, Tokens> byModel() {
        return byModel;
    }

    Map<String, Tokens> byKind() {
        return byKind;
    }

    /** {@code _SUMMARY.json}'s {@code spending}: tokens and (with prices) cost, in all, by model and by kind. */
    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("priced", priced());
        write(node, all);
        ObjectNode models = node.putObject("by_model");
        byModel.forEach((model, t) -> write(models.putObject(model), t));
        ObjectNode kinds = node.putObject("by_kind");
        byKind.forEach((kind, t) -> write(kinds.putObject(kind), t));
        return node;
    }

    private void write(ObjectNode node, Tokens t) {
        node.put("prompt_tokens", t.prompt);
        node.put("completion_tokens", t.completion);
        node.put("total_tokens", t.total());
        if (priced()) {
            node.put("cost", roundCost(t.cost));
        }
    }

    /** Costs to a millionth: finer than any bill, and a stable number to compare. */
    static double roundCost(double cost) {
        return Math.round(cost * 1e6) / 1e6;
    }

    /** For the closing lines: {@code 1234 tokens (1000 prompt, 234 completion), cost 0.0012}. */
    static String describe(Tokens t, boolean priced) {
        return t.total() + " tokens (" + t.prompt + " prompt, " + t.completion + " completion)"
                + (priced ? String.format(", cost %.6f", t.cost) : "");
    }

    Tokens all() {
        return all;
    }
}
