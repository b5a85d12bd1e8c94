package io.friendliflink.job;

import io.friendliflink.job.config.ConfigException;
import io.friendliflink.job.config.ConfigLoader;
import io.friendliflink.job.config.JobConfig;
import io.friendliflink.client.FriendliClient;
import io.friendliflink.job.eval.EvaluationPlan;
import io.friendliflink.job.eval.EvaluationReport;
import io.friendliflink.job.eval.Scorer;
import io.friendliflink.job.generate.DatasetWriter;
import io.friendliflink.job.generate.GenerationPlan;
import io.friendliflink.job.pipeline.BulkInferencePipeline;
import io.friendliflink.job.pipeline.LineCounter;
import io.friendliflink.job.pipeline.StateBackendChoice;
import io.friendliflink.operator.EndpointSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's entry point: {@code --config conf/local.yaml [key.path=value ...]}.
 *
 * <p>Run locally (a Flink mini cluster in this JVM) or with {@code flink run} on a cluster. With
 * {@code endpoint.type: emulator} it first starts the embedded emulator in this JVM (local runs only: a
 * cluster's task managers could not reach it). While a bounded run works it prints a progress line; at
 * the end it writes {@code <output>/_SUMMARY.json} and prints where the results are.
 *
 * <p>Exit codes, for schedulers: 0 the run finished (its errors, if any, are rows in {@code errors/} and
 * counts in the summary); 1 the job failed; 2 the configuration is wrong (the message says what to fix).
 */
public final class BulkInferenceJob {
    static final int OK = 0;
    static final int JOB_FAILED = 1;
    static final int BAD_CONFIGURATION = 2;

    private BulkInferenceJob() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        JobConfig config;
        try {
            config = parse(args);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return BAD_CONFIGURATION;
        } catch (HelpRequested e) {
            out.println(USAGE);
            return OK;
        }
        if (config.endpoint().type() != JobConfig.EndpointType.EMULATOR) {
            return execute(config, config.endpoint().baseUrl(), out, err);
        }
        EmbeddedEmulator started;
        try {
            started = EmbeddedEmulator.start(config.emulator());
        } catch (RuntimeException e) {
            err.println("The embedded emulator could not start: " + rootMessage(e));
            return JOB_FAILED;
        }
        try (EmbeddedEmulator emulator = started) {
            out.println("Embedded emulator listening on " + emulator.baseUrl());
            return execute(emulator.configure(config), emulator.baseUrl(), out, err);
        }
    }

    private static int execute(JobConfig config, String baseUrl, PrintStream out, PrintStream err) {
        Path output = config.output().path();
        Object plan;
        try {
            plan = prepare(config, baseUrl, out);
        } catch (IllegalArgumentException e) {
            err.println("Invalid input: " + e.getMessage());
            return BAD_CONFIGURATION;
        } catch (Exception e) {
            err.println("Could not prepare the requests: " + rootMessage(e));
            return JOB_FAILED;
        }
        Configuration local = new Configuration();
        // Counters reach the client with the task managers' heartbeats; a local mini cluster beats every second so
        // the progress line moves (a real cluster keeps its own interval, 10 s by default).
        local.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(local);
        Long total = totalLines(config, plan, err);
        StateBackendChoice state;
        try {
            state = BulkInferencePipeline.build(env, config, baseUrl,
                    total == null ? OptionalLong.empty() : OptionalLong.of(total));
        } catch (IllegalArgumentException e) {
            err.println("Invalid configuration: " + e.getMessage());
            return BAD_CONFIGURATION;
        }
        Instant started = Clock.systemUTC().instant();
        out.println("Running '" + config.run().name() + "': " + describeInput(config) + " -> " + baseUrl
                + " -> " + output);
        out.println("  custom_ids seen are kept in " + state.backend() + " state (" + state.reason() + ")");
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        try {
            JobClient job = env.executeAsync(config.run().name());
            long every = config.run().progressInterval().toMillis();
            progress.scheduleAtFixedRate(() -> job.getAccumulators().thenAccept(acc -> out.println(
                    RunSummary.of(acc, total, started, Instant.now()).progressLine())), every, every,
                    TimeUnit.MILLISECONDS);
            JobExecutionResult result = job.getJobExecutionResult().get();
            progress.shutdownNow();
            Map<String, Object> accumulators = result.getAllAccumulatorResults();
            RunSummary summary = RunSummary.of(accumulators, total, started, Instant.now());
            summary.write("FINISHED", output);
            out.println(summary.progressLine());
            out.println();
            out.println("Done in " + summary.elapsed().toMillis() / 1000.0 + " s: " + summary.succeeded()
                    + " results, " + (summary.failed() + summary.rejected()) + " errors.");
            out.println("  results: " + output.resolve("results"));
            out.println("  errors:  " + output.resolve("errors"));
            out.println("  summary: " + output.resolve("_SUMMARY.json"));
            if (summary.skippedDone() > 0) {
                out.println("  resumed: " + summary.skippedDone() + " lines were already done by an earlier run");
            }
            finish(config, plan, out);
            return OK;
        } catch (Exception e) {
            progress.shutdownNow();
            err.println("The job failed: " + rootMessage(e));
            e.printStackTrace(err);
            try {
                RunSummary.of(Map.of(), total, started, Instant.now()).write("FAILED", output);
            } catch (Exception ignored) {
                // The failure above is what the user needs to see.
            }
            return JOB_FAILED;
        }
    }

    /** The evaluate and generate modes' step before the run: their request lines, written to the input path. */
    private static Object prepare(JobConfig config, String baseUrl, PrintStream out) throws Exception {
        Path requests = Path.of(config.input().path());
        switch (config.mode()) {
            case EVALUATE -> {
                JobConfig.Endpoint e = config.endpoint();
                EndpointSettings endpoint = e.settings(baseUrl, Math.min(e.maxConnections(), 64));
                try (FriendliClient client = new FriendliClient(endpoint.toEndpointConfig())) {
                    EvaluationPlan plan = EvaluationPlan.prepare(config.evaluate(), client, requests);
                    out.println("Evaluate: " + plan.questions().size() + " questions from " + config.evaluate().input()
                            + " -> " + plan.requests() + " requests");
                    return plan;
                }
            }
            case GENERATE -> {
                GenerationPlan plan = GenerationPlan.prepare(config.generate(), requests);
                out.println("Generate: " + plan.table().size() + " rows from " + config.generate().input() + " x "
                        + config.generate().n() + " samples -> " + plan.requests() + " requests");
                return plan;
            }
            default -> {
                return null;
            }
        }
    }

    /** The evaluate and generate modes' step after the run: the report, or the dataset, from results/. */
    private static void finish(JobConfig config, Object plan, PrintStream out) throws Exception {
        Path output = config.output().path();
        if (plan instanceof EvaluationPlan evaluation) {
            EvaluationReport report = new EvaluationReport(config.evaluate(), Scorer.score(evaluation, output));
            report.write(output, config.output().compression());
            out.println();
            out.print(report.table());
            out.println("  questions: " + output.resolve(EvaluationReport.DIR).resolve("questions.parquet"));
            out.println("  report:    " + output.resolve(EvaluationReport.DIR).resolve("report.json"));
        } else if (plan instanceof GenerationPlan generation) {
            DatasetWriter.Written written = DatasetWriter.write(generation, output, config.output().compression());
            out.println("  dataset: " + written.file() + " (" + written.samples() + " samples"
                    + (written.missing() > 0 ? ", " + written.missing() + " failed: see errors/" : "") + ")");
        }
    }

    /** The run's input lines when known in advance: the plan's requests, else the file input counted. */
    private static Long totalLines(JobConfig config, Object plan, PrintStream err) {
        // The evaluate and generate modes wrote one line a request: no need to read the file again.
        if (plan instanceof EvaluationPlan evaluation) {
            return (long) evaluation.requests();
        }
        if (plan instanceof GenerationPlan generation) {
            return (long) generation.requests();
        }
        try {
            OptionalLong counted = LineCounter.countInput(config.input());
            return counted.isPresent() ? counted.getAsLong() : null;
        } catch (Exception e) {
            err.println("Could not count the input lines in advance (progress shows no total): " + e.getMessage());
            return null;
        }
    }

    private static String describeInput(JobConfig config) {
        JobConfig.Input in = config.input();
        if (in.type() == JobConfig.InputType.FILE) {
            return in.path() + (in.watch() ? " (watched)" : "");
        }
        return "kafka " + in.kafka().topics() + (in.kafka().bounded() ? " (to the offsets at start)" : "");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    static JobConfig parse(String[] args) {
        Path file = null;
        List<String> overrides = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> throw new HelpRequested();
                case "--config", "-c" -> {
                    if (i + 1 >= args.length) {
                        throw new ConfigException(List.of("--config needs a file, e.g. --config conf/local.yaml"));
                    }
                    file = Path.of(args[++i]);
                }
                case "--set" -> {
                    if (i + 1 >= args.length) {
                        throw new ConfigException(List.of("--set needs key.path=value"));
                    }
                    overrides.add(args[++i]);
                }
                default -> {
                    if (arg.startsWith("--") && arg.contains("=")) {
                        overrides.add(arg.substring(2));
                    } else if (!arg.startsWith("-") && arg.contains("=")) {
                        overrides.add(arg);
                    } else {
                        throw new ConfigException(List.of("unknown argument \"" + arg + "\"; " + USAGE_LINE));
                    }
                }
            }
        }
        return JobConfig.from(ConfigLoader.load(file, overrides));
    }

    private static final String USAGE_LINE = "usage: --config FILE [key.path=value ...]";
    private static final String USAGE = USAGE_LINE + "\n\n"
            + "Runs bulk inference: request lines (OpenAI Batch JSONL) from files or Kafka, through a Friendli or\n"
            + "OpenAI-compatible endpoint (or the embedded emulator), into Parquet under output.path.\n"
            + "Any configuration key can be overridden, e.g. output.path=/tmp/run1 calls.requests-per-minute=600.\n"
            + "Secrets are never accepted here: use endpoint.token-env or endpoint.token-file.\n"
            + "Exit codes: 0 finished, 1 the job failed, 2 the configuration is wrong.";

    /** {@code --help}: not an error, but no run either. */
    private static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super(null, null, false, false);
        }
    }
}
