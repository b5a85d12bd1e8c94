package io.friendliflink.job.plan;

import io.friendliflink.job.config.JobConfig;
import io.friendliflink.job.files.FlinkFiles;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.fs.Path;

/**
 * {@code bin/run --config FILE --plan [--tokenize]}: plans the run the same arguments would start, sending
 * nothing (with {@code --tokenize}, only {@code tokenize} calls), prints the plan and writes
 * {@code <output>/_PLAN.json}.
 */
public final class PlanCommand {
    public static final String PLAN = "--plan";
    public static final String TOKENIZE = "--tokenize";

    /** The command line's plan flags, and the arguments left for the run's configuration. */
    public record Flags(boolean plan, boolean tokenize, String[] rest) {
        public static Flags take(String[] args) {
            List<String> rest = new ArrayList<>();
            boolean plan = false;
            boolean tokenize = false;
            for (String arg : args) {
                switch (arg) {
                    case PLAN -> plan = true;
                    case TOKENIZE -> tokenize = true;
                    default -> rest.add(arg);
                }
            }
            return new Flags(plan, tokenize, rest.toArray(String[]::new));
        }
    }

    /** How a plan ended, as the process's exit code: 0 planned, 2 the configuration or input is wrong. */
    public enum Outcome { PLANNED, INVALID, FAILED }

    private PlanCommand() {}

    /**
     * @param endpointBaseUrl where {@code tokenize} calls go (the embedded emulator's address, or the endpoint's),
     *     or {@code null} to estimate
     */
    public static Outcome run(JobConfig config, String endpointBaseUrl, PrintStream out, PrintStream err) {
        if (config.mode() != JobConfig.Mode.REQUESTS || config.input().type() != JobConfig.InputType.FILE
                || config.input().watch()) {
            err.println("Invalid configuration: --plan reads the request lines of a file input (mode: requests,"
                    + " input.type: file, not watched)");
            return Outcome.INVALID;
        }
        String missing = FlinkFiles.whyMissing(config.input().path());
        if (missing != null) {
            err.println("Invalid input: input.path " + missing);
            return Outcome.INVALID;
        }
        long started = System.nanoTime();
        RunPlan plan;
        try (PromptTokensSource tokens = PromptTokensSource.of(config, endpointBaseUrl)) {
            plan = new Planner(config, tokens.promptTokens()).run();
            Path file = plan.write();
            plan.print(out);
            out.printf("  planned in %.1f s; written to %s%n", (System.nanoTime() - started) / 1e9,
                    FlinkFiles.show(file));
            if (tokens.calls() > 0) {
                out.println("  tokenize calls: " + tokens.calls() + " (each distinct prompt once)");
            }
            return Outcome.PLANNED;
        } catch (Exception e) {
            err.println("Could not plan the run: " + e.getMessage());
            return Outcome.FAILED;
        }
    }
}
