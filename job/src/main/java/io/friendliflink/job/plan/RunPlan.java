package io.friendliflink.job.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.job.config.JobConfig;
import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.policy.SpendLimits;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.fs.Path;

/**
 * What a run would do with its input, and what it would cost: the lines by outcome, the prompt tokens, the bound
 * on output tokens, the cost at the configured prices, whether it fits the spending cap, and how long the
 * configured limits let it take. Printed, and written as {@code _PLAN.json}.
 */
public final class RunPlan {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final String FILE = "_PLAN.json";

    private final JobConfig config;
    private final String promptMethod;
    long lines;
    long doneWithResult;
    long doneWithError;
    /** Lines to send that failed in an earlier run, whose error rows a rerun takes out and sends again. */
    long sendAgain;
    private final Map<String, Long> rejectedByType = new TreeMap<>();
    private final Tally all = new Tally();
    private final Map<String, Tally> byModel = new TreeMap<>();
    private final Map<String, Tally> byKind = new TreeMap<>();
    /** Lines that fit the spending cap in input order, each booked at its bound; -1 while all fit. */
    private long firstOverCap = -1;

    RunPlan(JobConfig config, String promptMethod) {
        this.config = config;
        this.promptMethod = promptMethod;
    }

    void reject(String errorType) {
        rejectedByType.merge(errorType, 1L, Long::sum);
    }

    void send(String model, String kind, long prompt, long outputBound, double cost) {
        all.add(prompt, outputBound, cost);
        byModel.computeIfAbsent(model, m -> new Tally()).add(prompt, outputBound, cost);
        byKind.computeIfAbsent(kind, k -> new Tally()).add(prompt, outputBound, cost);
        SpendLimits cap = config.calls().spend();
        if (firstOverCap < 0 && ((cap.maxTotalTokens() > 0 && all.tokensBound() > cap.maxTotalTokens())
                || (cap.maxCost() > 0 && all.costBound > cap.maxCost()))) {
            firstOverCap = all.requests - 1;
        }
    }

    public long lines() {
        return lines;
    }

    public long wouldSend() {
        return all.requests;
    }

    public long rejected() {
        return rejectedByType.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<String, Long> rejectedByType() {
        return rejectedByType;
    }

    public long alreadyDone() {
        return doneWithResult + doneWithError;
    }

    public long promptTokens() {
        return all.promptTokens;
    }

    public long outputTokensBound() {
        return all.outputTokensBound;
    }

    private boolean priced() {
        return config.calls().spend().pricing().isSet();
    }

    /**
     * How long the configured limits (or the embedded emulator's) let the sends take, in seconds, or a negative
     * number when nothing limits them: then the endpoint's own speed decides.
     */
    double expectedSeconds() {
        long rpm = config.calls().pacing().requestsPerMinute();
        long tpm = config.calls().pacing().tokensPerMinute();
        if (config.emulator() != null) {
            rpm = minPositive(rpm, config.emulator().config().requestsPerMinute());
            tpm = minPositive(tpm, config.emulator().config().tokensPerMinute());
        }
        double minutes = -1;
        if (rpm > 0) {
            minutes = Math.max(minutes, (double) all.requests / rpm);
        }
        if (tpm > 0) {
            minutes = Math.max(minutes, (double) all.tokensBound() / tpm);
        }
        return minutes < 0 ? -1 : minutes * 60;
    }

    private String limits() {
        long rpm = config.calls().pacing().requestsPerMinute();
        long tpm = config.calls().pacing().tokensPerMinute();
        StringBuilder s = new StringBuilder();
        if (rpm > 0) {
            s.append("calls.requests-per-minute ").append(rpm);
        }
        if (tpm > 0) {
            s.append(s.isEmpty() ? "" : ", ").append("calls.tokens-per-minute ").append(tpm);
        }
        if (config.emulator() != null && config.emulator().config().requestsPerMinute() > 0) {
            s.append(s.isEmpty() ? "" : ", ").append("emulator.requests-per-minute ")
                    .append(config.emulator().config().requestsPerMinute());
        }
        if (config.emulator() != null && config.emulator().config().tokensPerMinute() > 0) {
            s.append(s.isEmpty() ? "" : ", ").append("emulator.tokens-per-minute ")
                    .append(config.emulator().config().tokensPerMinute());
        }
        return s.toString();
    }

    private static long minPositive(long a, long b) {
        return a <= 0 ? b : b <= 0 ? a : Math.min(a, b);
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("input", config.input().path());
        root.put("output", config.output().path().toString());
        ObjectNode l = root.putObject("lines");
        l.put("total", lines);
        l.put("would_send", all.requests);
        l.put("would_send_again", sendAgain);
        l.put("rejected", rejected());
        rejectedByType.forEach(l.putObject("rejected_by_type")::put);
        if (rejectedByType.isEmpty()) {
            l.putObject("rejected_by_type");
        }
        l.put("already_done", alreadyDone());
        l.put("already_done_with_result", doneWithResult);
        l.put("already_done_with_error", doneWithError);
        ObjectNode t = root.putObject("tokens");
        t.put("prompt", all.promptTokens);
        t.put("prompt_method", promptMethod);
        t.put("output_bound", all.outputTokensBound);
        t.put("output_bound_rule", "max_tokens (else calls.default-max-tokens "
                + config.calls().pacing().defaultMaxTokens() + ") times n, for each line to send");
        t.put("total", all.tokensBound());
        t.put("note", "prompt tokens as counted (a chat template adds its own), every output at its bound");
        ObjectNode models = root.putObject("by_model");
        byModel.forEach((model, tally) -> write(models.putObject(model), tally));
        ObjectNode kinds = root.putObject("by_kind");
        byKind.forEach((kind, tally) -> write(kinds.putObject(kind), tally));
        ObjectNode cost = root.putObject("cost");
        cost.put("priced", priced());
        if (priced()) {
            cost.put("total", round(all.costBound));
            cost.put("note", "at pricing.*: prompt tokens as counted, every output at its bound");
        }
        SpendLimits cap = config.calls().spend();
        if (cap.capped()) {
            ObjectNode c = root.putObject("cap");
            if (cap.maxTotalTokens() > 0) {
                c.put("max_total_tokens", cap.maxTotalTokens());
            }
            if (cap.maxCost() > 0) {
                c.put("max_cost", cap.maxCost());
            }
            c.put("fits", firstOverCap < 0);
            c.put("lines_within_cap_at_bound", firstOverCap < 0 ? all.requests : firstOverCap);
        }
        ObjectNode d = root.putObject("duration");
        double seconds = expectedSeconds();
        if (seconds >= 0) {
            d.put("seconds", Math.round(seconds * 10) / 10.0);
            d.put("limited_by", limits());
        } else {
            d.putNull("seconds");
            d.put("limited_by", "nothing configured: the endpoint's own limits and speed decide");
        }
        return root;
    }

    private void write(ObjectNode node, Tally tally) {
        node.put("requests", tally.requests);
        node.put("prompt_tokens", tally.promptTokens);
        node.put("output_tokens_bound", tally.outputTokensBound);
        if (priced()) {
            node.put("cost", round(tally.costBound));
        }
    }

    private static double round(double cost) {
        return Math.round(cost * 1e6) / 1e6;
    }

    /** Writes {@code _PLAN.json} into the output folder, atomically. */
    public Path write() throws IOException {
        Path file = FlinkFiles.child(config.output().path(), FILE);
        FlinkFiles.write(file, out -> out.write(JSON.writeValueAsBytes(toJson())));
        return file;
    }

    public void print(PrintStream out) {
        out.println("Plan for " + config.input().path() + " (nothing sent):");
        out.println("  lines:   " + lines + " | would send " + all.requests
                + (sendAgain > 0 ? " (" + sendAgain + " failed in an earlier run)" : "") + " | rejected " + rejected()
                + (rejectedByType.isEmpty() ? "" : " " + rejectedByType) + " | already done by an earlier run "
                + alreadyDone() + " (" + doneWithResult + " with a result, " + doneWithError + " with an error kept)");
        out.println("  tokens:  prompt " + all.promptTokens + " (" + promptMethod + "; a chat template adds its own)"
                + ", output at most " + all.outputTokensBound + "; " + all.tokensBound() + " in all");
        if (byModel.size() > 1) {
            byModel.forEach((model, tally) -> out.println("    model " + model + ": " + tally.requests
                    + " requests, prompt " + tally.promptTokens + ", output at most " + tally.outputTokensBound
                    + (priced() ? String.format(", cost %.6f", tally.costBound) : "")));
        }
        out.println("  cost:    " + (priced() ? String.format("%.6f at pricing.* (every output at its bound)",
                        all.costBound)
                : "unknown (set pricing.input-per-million and pricing.output-per-million)"));
        SpendLimits cap = config.calls().spend();
        if (cap.capped()) {
            out.println("  cap:     " + (firstOverCap < 0 ? "fits the cap even if every request used its bound"
                    : "at their bounds, the first " + firstOverCap + " requests fit the cap; the run stops"
                            + " when the real usage reaches it"));
        }
        double seconds = expectedSeconds();
        out.println("  time:    " + (seconds >= 0
                ? String.format("about %.0f s under %s", seconds, limits())
                : "as fast as the endpoint answers (no calls.requests-per-minute or calls.tokens-per-minute)"));
    }
}
