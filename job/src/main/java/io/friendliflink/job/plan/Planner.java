package io.friendliflink.job.plan;

import io.friendliflink.client.PreparedRequest;
import io.friendliflink.job.config.JobConfig;
import io.friendliflink.job.resume.DoneRows;
import io.friendliflink.job.resume.HashedKeys;
import io.friendliflink.job.resume.ResumeSettings;
import io.friendliflink.lines.ParsedLine;
import io.friendliflink.lines.RejectedLine;
import io.friendliflink.lines.RequestLineParser;
import io.friendliflink.policy.Pricing;
import io.friendliflink.policy.SpendLimits;
import io.friendliflink.source.FileInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Reads a file input exactly as a run would and tells, without sending a request, what the run would do with
 * each line: the same files and reader ({@link FileInput#forEachLine}), the same parser and checks
 * ({@link RequestLineParser} with the configured defaults), the same resume decisions ({@link DoneRows}, as they
 * stand once a rerun has taken out the error rows it sends again), and the first line of a {@code custom_id}
 * claiming it, as the run's {@code OneRowPerLine} does.
 *
 * <p>One pass, one thread: a line's outcome depends on the lines before it (a repeated id), and reading,
 * parsing and hashing are fast enough (see {@code docs/benchmarks.md}).
 */
public final class Planner {
    private final JobConfig config;
    private final PromptTokens promptTokens;

    Planner(JobConfig config, PromptTokens promptTokens) {
        this.config = config;
        this.promptTokens = promptTokens;
    }

    /** Plans with estimated prompt tokens: reads the input and the output, calls nothing. */
    public static RunPlan plan(JobConfig config) throws IOException {
        return new Planner(config, PromptTokens.ESTIMATED).run();
    }

    RunPlan run() throws IOException {
        JobConfig.Input input = config.input();
        RequestLineParser parser = new RequestLineParser(config.defaults(), input.maxRawLineChars());
        org.apache.flink.core.fs.Path output = config.output().path();
        DoneRows done = config.resume().enabled()
                ? DoneRows.load(output, key -> true, config.resume().retryErrors())
                : DoneRows.none();
        // Every error row, those a rerun sends again included: to tell which lines to send are sent again.
        DoneRows earlierErrors = config.resume().enabled()
                && config.resume().retryErrors() != ResumeSettings.RetryErrors.NONE
                ? DoneRows.load(output, key -> true, ResumeSettings.RetryErrors.NONE)
                : DoneRows.none();
        HashedKeys claimed = new HashedKeys();
        SpendLimits spend = config.calls().spend();
        Pricing pricing = spend.pricing();
        int defaultMaxTokens = config.calls().pacing().defaultMaxTokens();
        RunPlan plan = new RunPlan(config, promptTokens.method());
        FileInput.builder(input.path()).build().forEachLine(line -> {
            ParsedLine parsed = parser.parse(line);
            plan.lines++;
            switch (done.find(parsed)) {
                case RESULT -> {
                    plan.doneWithResult++;
                    return;
                }
                case ERROR -> {
                    plan.doneWithError++;
                    return;
                }
                case NONE -> { }
            }
            if (parsed.customId() != null) {
                if (claimed.lookup(parsed.customId()) != 0) {
                    plan.reject(RejectedLine.DUPLICATE_CUSTOM_ID);
                    return;
                }
                claimed.add(parsed.customId(), false);
            }
            if (!parsed.isAccepted()) {
                plan.reject(parsed.rejected().errorType());
                return;
            }
            if (earlierErrors.find(parsed) == DoneRows.Found.ERROR) {
                plan.sendAgain++;
            }
            PreparedRequest request = parsed.accepted().request();
            long prompt;
            try {
                prompt = promptTokens.count(request);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException("could not count the prompt tokens of " + parsed.customId()
                        + ": " + e.getMessage(), e);
            }
            long outputBound = request.maxOutputTokens(defaultMaxTokens);
            String model = String.valueOf(request.model());
            double cost = pricing.isSet() ? pricing.cost(model, prompt, outputBound) : 0;
            plan.send(model, request.kind().name().toLowerCase(Locale.ROOT), prompt, outputBound, cost);
        });
        return plan;
    }
}
