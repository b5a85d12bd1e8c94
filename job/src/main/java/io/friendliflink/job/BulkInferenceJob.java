package io.friendliflink.job;

import io.friendliflink.job.config.ConfigException;
import io.friendliflink.job.config.ConfigLoader;
import io.friendliflink.job.config.JobConfig;
import io.friendliflink.job.eval.EvaluationReport;
import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.files.LocalFileSystems;
import io.friendliflink.job.mode.InvalidInputException;
import io.friendliflink.job.mode.RunMode;
import io.friendliflink.job.pipeline.BulkInferencePipeline;
import io.friendliflink.job.pipeline.StateBackendChoice;
import io.friendliflink.job.report.RunReport;
import io.friendliflink.job.report.RunTimeline;
import io.friendliflink.job.plan.PlanCommand;
import io.friendliflink.job.resume.ErrorsToRetry;
import io.friendliflink.operator.EndpointUnusableException;
import io.friendliflink.operator.SendGate;
import io.friendliflink.policy.Pricing;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's entry point: {@code --config conf/local.yaml [key.path=value ...]}.
 *
 * <p>Run locally ({@code bin/run}: a Flink mini cluster in this JVM) or with {@code flink run} on a cluster.
 * The steps: read and check the configuration; the mode prepares its input; a local run checks the token and
 * that the endpoint accepts connections; earlier error rows that a rerun sends again are taken out of
 * {@code errors/}; the job runs, printing a progress line; at the end it writes {@code <output>/_SUMMARY.json}
 * and prints where the results are and what to do about failed lines. With {@code endpoint.type: emulator}
 * it first starts the embedded emulator in this JVM (local runs only: a cluster's task managers could not
 * reach it).
 *
 * <p>Exit codes, for schedulers: see {@link ExitStatus}. A local run stops gracefully on SIGINT or SIGTERM.
 */
public final class BulkInferenceJob {
    /** How long a graceful stop waits for the requests on the wire before it commits without them. */
    private static final Duration STOP_WAIT_LIMIT = Duration.ofSeconds(30);
    /** How long a stopping job that cannot take a savepoint may take to end by itself before it is cancelled. */
    private static final Duration STOP_FINISH_LIMIT = Duration.ofSeconds(120);
    /** How often the report's timeline reads the counters: twice per heartbeat of a local run. */
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(500);
    /** On a cluster, whose task managers report every 10 s by default, through its REST API. */
    private static final Duration SAMPLE_EVERY_ON_A_CLUSTER = Duration.ofSeconds(2);

    private BulkInferenceJob() {}

    public static void main(String[] args) {
        boolean local = StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment;
        GracefulStop stop = local ? GracefulStop.install(System.err) : GracefulStop.none();
        if (local) {
            LocalFileSystems.initialize();
        }
        System.exit(run(args, System.out, System.err, stop).code());
    }

    /** {@link #main} without exiting or handling signals: what tests call. */
    static ExitStatus run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, GracefulStop.none());
    }

    static ExitStatus run(String[] args, PrintStream out, PrintStream err, GracefulStop stop) {
        if (args.length == 0) {
            err.println(USAGE);
            return ExitStatus.INVALID;
        }
        PlanCommand.Flags plan = PlanCommand.Flags.take(args);
        JobConfig config;
        try {
            if (plan.tokenize() && !plan.plan()) {
                throw new ConfigException(List.of("--tokenize counts the prompts of a plan: use it with --plan"));
            }
            config = parse(plan.rest());
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.println("(bin/run --help lists the modes and the ready configurations in conf/)");
            return ExitStatus.INVALID;
        } catch (HelpRequested e) {
            out.println(USAGE);
            return ExitStatus.FINISHED;
        }
        if (plan.plan()) {
            return plan(config, plan.tokenize(), out, err);
        }
        boolean local = StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment;
        if (config.endpoint().type() != JobConfig.EndpointType.EMULATOR) {
            if (local) {
                String problem = Preflight.tokenProblem(config.endpoint());
                if (problem != null) {
                    err.println("Invalid configuration: " + problem);
                    return ExitStatus.INVALID;
                }
            }
            return new Execution(config, config.endpoint().baseUrl(), local, out, err, stop).run();
        }
        EmbeddedEmulator started;
        try {
            started = EmbeddedEmulator.start(config.emulator().config());
        } catch (RuntimeException e) {
            err.println("The embedded emulator could not start: " + rootMessage(e));
            return ExitStatus.FAILED;
        }
        try (EmbeddedEmulator emulator = started) {
            out.println("Embedded emulator listening on " + emulator.baseUrl());
            return new Execution(emulator.configure(config), emulator.baseUrl(), local, out, err, stop).run();
        }
    }

    /** {@code --plan}: what the run would do and cost, nothing sent but, with {@code --tokenize}, tokenize calls. */
    private static ExitStatus plan(JobConfig config, boolean tokenize, PrintStream out, PrintStream err) {
        if (!tokenize) {
            return planned(PlanCommand.run(config, null, out, err));
        }
        if (config.endpoint().type() != JobConfig.EndpointType.EMULATOR) {
            String problem = Preflight.tokenProblem(config.endpoint());
            if (problem != null) {
                err.println("Invalid configuration: " + problem);
                return ExitStatus.INVALID;
            }
            return planned(PlanCommand.run(config, config.endpoint().baseUrl(), out, err));
        }
        try (EmbeddedEmulator emulator = EmbeddedEmulator.start(config.emulator().config())) {
            return planned(PlanCommand.run(emulator.configure(config), emulator.baseUrl(), out, err));
        } catch (RuntimeException e) {
            err.println("The embedded emulator could not start: " + rootMessage(e));
            return ExitStatus.FAILED;
        }
    }

    private static ExitStatus planned(PlanCommand.Outcome outcome) {
        return switch (outcome) {
            case PLANNED -> ExitStatus.FINISHED;
            case INVALID -> ExitStatus.INVALID;
            case FAILED -> ExitStatus.FAILED;
        };
    }

    /** One run, from the mode's preparation to the summary. */
    private static final class Execution {
        private final JobConfig config;
        private final String baseUrl;
        private final boolean local;
        private final PrintStream out;
        private final PrintStream err;
        private final GracefulStop stop;
        private final Path output;
        private final String gateName = "run-" + UUID.randomUUID();

        Execution(JobConfig config, String baseUrl, boolean local, PrintStream out, PrintStream err,
                GracefulStop stop) {
            this.config = config;
            this.baseUrl = baseUrl;
            this.local = local;
            this.out = out;
            this.err = err;
            this.stop = stop;
            this.output = config.output().path();
        }

        ExitStatus run() {
            RunMode mode = RunMode.of(config, baseUrl);
            OptionalLong total;
            try {
                if (local && config.endpoint().type() != JobConfig.EndpointType.EMULATOR) {
                    String unreachable = Preflight.unreachable(baseUrl, config.endpoint().connectTimeout());
                    if (unreachable != null) {
                        throw new EndpointUnusableException(unreachable);
                    }
                }
                total = mode.prepare(out);
                if (config.resume().enabled()) {
                    announce(ErrorsToRetry.prepare(output, config.resume().retryErrors(), config.output().compression()));
                }
            } catch (InvalidInputException e) {
                err.println("Invalid input: " + e.getMessage());
                return ExitStatus.INVALID;
            } catch (EndpointUnusableException e) {
                err.println("Cannot run: " + e.getMessage() + ".");
                return ExitStatus.FAILED;
            } catch (Exception e) {
                err.println("Could not prepare the run: " + rootMessage(e));
                return ExitStatus.FAILED;
            }

            Configuration flink = new Configuration();
            // Counters reach the client with the task managers' heartbeats; a local mini cluster beats every second
            // so the progress line moves (a real cluster keeps its own interval, 10 s by default).
            flink.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
            StateBackendChoice state;
            try {
                state = BulkInferencePipeline.build(env, config, baseUrl, total, local ? gateName : null);
            } catch (IllegalArgumentException e) {
                err.println("Invalid configuration: " + e.getMessage());
                return ExitStatus.INVALID;
            }
            Long totalLines = total.isPresent() ? total.getAsLong() : null;
            out.println("Running '" + config.run().name() + "': " + describeInput() + " -> " + baseUrl + " -> " + FlinkFiles.show(output));
            out.println("  custom_ids seen are kept in " + state.backend() + " state (" + state.reason() + ")");
            try {
                return local ? runLocally(env, flink, mode, totalLines) : runOn(env, mode, totalLines);
            } finally {
                SendGate.forget(gateName);
            }
        }

        private ExitStatus runLocally(StreamExecutionEnvironment env, Configuration flink, RunMode mode,
                Long totalLines) {
            LocalCluster cluster;
            try {
                cluster = LocalCluster.start(flink, config.run().parallelism(),
                        java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
            } catch (Exception e) {
                err.println("Could not start Flink: " + rootMessage(e));
                return ExitStatus.FAILED;
            }
            try (cluster) {
                stop.beforeExitingAtOnce(cluster::deleteTemporaryFiles);
                JobClient job = cluster.submit(env.getStreamGraph().getJobGraph());
                return follow(job, mode, totalLines, true);
            } catch (Exception e) {
                err.println("The job failed: " + rootMessage(e));
                return ExitStatus.FAILED;
            }
        }

        private ExitStatus runOn(StreamExecutionEnvironment env, RunMode mode, Long totalLines) {
            try {
                return follow(env.executeAsync(config.run().name()), mode, totalLines, false);
            } catch (Exception e) {
                err.println("The job could not be submitted: " + rootMessage(e));
                return ExitStatus.FAILED;
            }
        }

        /**
         * Prints progress until the job ends or a stop is asked for; then the summary and the closing lines.
         *
         * @param stoppable whether the job runs in this JVM, where the send gate is, so that it can stop gracefully
         */
        private ExitStatus follow(JobClient job, RunMode mode, Long totalLines, boolean stoppable) {
            Instant started = Clock.systemUTC().instant();
            RunTimeline timeline = new RunTimeline(started);
            ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress");
                t.setDaemon(true);
                return t;
            });
            long every = config.run().progressInterval().toMillis();
            progress.scheduleAtFixedRate(() -> job.getAccumulators().thenAccept(acc -> out.println(
                    RunSummary.of(acc, totalLines, started, Instant.now()).withPricing(pricing()).progressLine())),
                    every, every,
                    TimeUnit.MILLISECONDS);
            long sampleEvery = (stoppable ? SAMPLE_EVERY : SAMPLE_EVERY_ON_A_CLUSTER).toMillis();
            progress.scheduleAtFixedRate(
                    () -> job.getAccumulators().thenAccept(acc -> timeline.add(Instant.now(), acc)),
                    sampleEvery, sampleEvery, TimeUnit.MILLISECONDS);
            try {
                var result = job.getJobExecutionResult();
                while (stoppable && !result.isDone()) {
                    if (stop.awaitRequest(200, TimeUnit.MILLISECONDS)) {
                        progress.shutdownNow();
                        return stopGracefully(job, totalLines, started, timeline);
                    }
                }
                JobExecutionResult finished = result.get();
                progress.shutdownNow();
                return finish(mode, RunSummary.of(finished.getAllAccumulatorResults(), totalLines, started,
                        Instant.now()).withPricing(pricing()), timeline);
            } catch (Exception e) {
                progress.shutdownNow();
                return failed(e, totalLines, started, timeline);
            }
        }

        private ExitStatus finish(RunMode mode, RunSummary summary, RunTimeline timeline) throws Exception {
            timeline.end(summary.now(), summary.counters());
            ExitStatus status = ExitStatus.ofFinished(summary, config.run().maxFailedShare());
            String reason = switch (status) {
                case FAILED -> String.format("%d of %d lines failed (%.1f%%), more than run.max-failed-share (%.1f%%)",
                        summary.failedLines() - summary.budgetExhausted(), summary.done() - summary.budgetExhausted(),
                        100 * summary.failedShareOfSent(), 100 * config.run().maxFailedShare());
                case BUDGET_EXHAUSTED -> "the spending cap (calls.max-total-tokens, calls.max-cost) was reached: "
                        + summary.budgetExhausted() + " lines were not sent";
                default -> null;
            };
            if (config.output().formats().contains(JobConfig.OutputFormat.PARQUET)) {
                EmptyParts.writeWhereMissing(output, config.output().compression());
            }
            summary.write(status, reason, output);
            out.println(summary.progressLine());
            out.println();
            new ClosingLines(summary, status, reason, output, describeInput()).print(out);
            boolean modeFinished = status != ExitStatus.FAILED && summary.done() > 0;
            if (modeFinished) {
                mode.finish(out);
            }
            writeReport(summary, status, reason, timeline, modeFinished && config.mode() == JobConfig.Mode.EVALUATE);
            return status;
        }

        private ExitStatus failed(Exception e, Long totalLines, Instant started, RunTimeline timeline) {
            EndpointUnusableException unusable = EndpointUnusableException.findIn(e);
            String reason = unusable != null ? unusable.getMessage() : rootMessage(e);
            if (unusable != null) {
                err.println("Stopped: " + reason + ".");
                err.println("Once that is fixed, run the same command again: it sends what has no row yet.");
            } else {
                err.println("The job failed: " + reason);
                e.printStackTrace(err);
            }
            try {
                RunSummary.of(Map.of(), totalLines, started, Instant.now()).write(ExitStatus.FAILED, reason, output);
            } catch (Exception ignored) {
                // The failure above is what the user needs to see.
            }
            // The report shows what the run did until it failed: its counters as last read.
            RunSummary until = new RunSummary(timeline.lastCounters(), totalLines, started, Instant.now(), pricing());
            timeline.end(until.now(), until.counters());
            writeReport(until, ExitStatus.FAILED, reason, timeline, false);
            err.println("  report:  " + FlinkFiles.show(FlinkFiles.child(output, RunReport.FILE)));
            return ExitStatus.FAILED;
        }

        /**
         * Stops sending, waits for the requests on the wire, stops the job with a savepoint (which commits what
         * they answered), and writes a {@code CANCELLED} summary.
         */
        private ExitStatus stopGracefully(JobClient job, Long totalLines, Instant started, RunTimeline timeline)
                throws Exception {
            SendGate gate = SendGate.named(gateName);
            gate.close();
            var result = job.getJobExecutionResult();
            long waitUntil = System.nanoTime()
                    + Math.min(config.endpoint().attemptTimeout().toNanos(), STOP_WAIT_LIMIT.toNanos());
            while (gate.onTheWire() > 0 && System.nanoTime() < waitUntil && !result.isDone()) {
                Thread.sleep(50);
            }
            if (gate.onTheWire() > 0) {
                err.println(gate.onTheWire() + " requests still unanswered after the wait: a rerun sends them again.");
            }
            Map<String, Object> counters = job.getAccumulators().handle((c, f) -> c == null ? Map.<String, Object>of() : c)
                    .get(30, TimeUnit.SECONDS);
            Path savepoint = FlinkFiles.child(FlinkFiles.child(output, "_checkpoints"), "stop-" + gateName);
            if (!result.isDone()) {
                // Every call not yet sent has ended without a row, so the savepoint's barrier passes at once; the
                // job stops when the sinks have committed everything before it.
                try {
                    job.stopWithSavepoint(false, savepoint.toUri().toString(), SavepointFormatType.NATIVE)
                            .get(120, TimeUnit.SECONDS);
                } catch (Exception notTaken) {
                    // Flink takes no savepoint once a task has finished, as the source of a bounded input does
                    // when it has read everything. The rest of the input then passes without a call, and the job
                    // ends by itself, committing with its last checkpoint.
                    finishOrCancel(job);
                }
            }
            JobExecutionResult ended = result.handle((r, f) -> r).get(60, TimeUnit.SECONDS);
            if (ended != null) {
                counters = ended.getAllAccumulatorResults(); // the final counts, else those read at the stop
            }
            // A rerun resumes from the output, never from this savepoint.
            FlinkFiles.deleteTree(savepoint);
            RunSummary summary = RunSummary.of(counters, totalLines, started, Instant.now()).withPricing(pricing());
            summary.write(ExitStatus.CANCELLED, "stopped by a signal", output);
            timeline.end(summary.now(), summary.counters());
            writeReport(summary, ExitStatus.CANCELLED, "stopped by a signal", timeline, false);
            out.println(summary.progressLine());
            out.println();
            out.println("Stopped after " + summary.elapsed().toMillis() / 1000.0 + " s: " + summary.succeeded()
                    + " results and " + summary.failedLines() + " errors are committed under " + FlinkFiles.show(output) + ".");
            out.println("Run the same command again to resume: lines with a row are skipped, the rest are sent.");
            out.println("  summary: " + FlinkFiles.show(FlinkFiles.child(output, "_SUMMARY.json")));
            out.println("  report:  " + FlinkFiles.show(FlinkFiles.child(output, RunReport.FILE)));
            return ExitStatus.CANCELLED;
        }

        /** Writes {@code _REPORT.html}; a report that cannot be written is said, and changes nothing else. */
        private void writeReport(RunSummary summary, ExitStatus status, String reason, RunTimeline timeline,
                boolean evaluated) {
            try {
                RunReport report = new RunReport(config.run().name(), summary, status, reason, timeline);
                if (evaluated) {
                    report.withEvaluation(FlinkFiles.child(FlinkFiles.child(output, EvaluationReport.DIR), "report.json"));
                }
                report.write(output);
            } catch (Exception e) {
                err.println("The report could not be written: " + rootMessage(e));
            }
        }

        /** Waits for a job whose calls all end at once to finish; cancels it if it does not. */
        private void finishOrCancel(JobClient job) throws Exception {
            try {
                job.getJobExecutionResult().handle((r, f) -> null)
                        .get(STOP_FINISH_LIMIT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                err.println("The job did not end within " + STOP_FINISH_LIMIT.toSeconds() + " s: cancelling; answers "
                        + "since the last checkpoint are sent again by a rerun.");
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }

        private Pricing pricing() {
            return config.calls().spend().pricing();
        }

        private void announce(ErrorsToRetry.Taken taken) {
            if (taken.total() > 0) {
                out.println("Resuming: " + taken.total() + " lines that failed in an earlier run are sent again "
                        + taken.byType() + " (resume.retry-errors: "
                        + config.resume().retryErrors().name().toLowerCase() + ")");
            }
        }

        private String describeInput() {
            JobConfig.Input in = config.input();
            if (in.type() == JobConfig.InputType.FILE) {
                return in.path() + (in.watch() ? " (watched)" : "");
            }
            return "kafka " + in.kafka().topics() + (in.kafka().bounded() ? " (to the offsets at start)" : "");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    static JobConfig parse(String[] args) {
        java.nio.file.Path file = null;
        List<String> overrides = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> throw new HelpRequested();
                case "--config", "-c" -> {
                    if (i + 1 >= args.length) {
                        throw new ConfigException(List.of("--config needs a file, e.g. --config conf/local.yaml"));
                    }
                    file = java.nio.file.Path.of(args[++i]);
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

    private static final String USAGE_LINE = "usage: bin/run --config FILE [--plan [--tokenize]] [key.path=value ...]";
    static final String USAGE = USAGE_LINE + "\n"
            + "\n"
            + "Bulk inference on Flink: request lines (OpenAI Batch JSONL) from files or Kafka, through a Friendli or\n"
            + "OpenAI-compatible endpoint (or the embedded emulator), into Parquet under output.path.\n"
            + "\n"
            + "Modes (mode: in the file):\n"
            + "  requests   request lines from input: (a JSONL file or folder, or Kafka) -> results/, errors/\n"
            + "  evaluate   multiple-choice questions (MMLU-style Parquet, JSONL or CSV) -> evaluation/ with accuracy\n"
            + "  generate   rows through a prompt template, n samples each -> dataset/\n"
            + "\n"
            + "Ready configurations:\n"
            + "  conf/local.yaml              the sample requests against the embedded emulator (no token, no network)\n"
            + "  conf/serverless.yaml         FriendliAI serverless endpoints (token in FRIENDLI_TOKEN)\n"
            + "  conf/dedicated.yaml          a FriendliAI dedicated endpoint (defaults.model=YOUR_ENDPOINT_ID)\n"
            + "  conf/openai-compatible.yaml  any OpenAI-compatible server (endpoint.base-url=http://host:8000/v1)\n"
            + "  conf/kafka.yaml              request lines from a Kafka topic\n"
            + "  conf/evaluate.yaml           MMLU-style evaluation of the sample questions\n"
            + "  conf/generate.yaml           dataset generation from the sample topics\n"
            + "\n"
            + "Any key can be overridden: output.path=/tmp/run1 calls.requests-per-minute=600 (README: every key).\n"
            + "Secrets are never accepted here: use endpoint.token-env or endpoint.token-file.\n"
            + "--plan reads and checks every line as the run would and prints what it would send, reject or skip,\n"
            + "its tokens, cost (pricing.*) and time, into output.path/_PLAN.json; it sends nothing (--tokenize:\n"
            + "only tokenize calls, to count prompt tokens).\n"
            + "A rerun on the same output.path resumes: lines with a result are skipped, transient failures are\n"
            + "sent again. Ctrl-C stops gracefully (what was answered is committed); a second Ctrl-C exits at once.\n"
            + "\n"
            + "Exit codes: 0 finished, every line a result; 3 finished, some lines failed (no more than\n"
            + "run.max-failed-share); 1 failed (the job, the endpoint, or too many failed lines); 2 the configuration\n"
            + "or input is wrong; 4 stopped at the spending cap (calls.max-total-tokens, calls.max-cost); 130 stopped\n"
            + "by a signal.";

    /** {@code --help}: not an error, but no run either. */
    private static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super(null, null, false, false);
        }
    }
}
