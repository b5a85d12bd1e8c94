package io.friendliflink.job.mode;

import io.friendliflink.client.FriendliClient;
import io.friendliflink.client.HttpStatusException;
import io.friendliflink.job.config.JobConfig;
import io.friendliflink.job.eval.EvaluationPlan;
import io.friendliflink.job.eval.EvaluationReport;
import io.friendliflink.job.eval.Scorer;
import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.operator.EndpointUnusableException;
import java.io.PrintStream;
import java.util.OptionalLong;
import org.apache.flink.core.fs.Path;

/**
 * {@code mode: evaluate}: questions in, one request line per choice (or per question) before the run, scored
 * into {@code evaluation/} after it.
 */
final class EvaluateMode implements RunMode {
    private final JobConfig config;
    private final String endpointBaseUrl;
    private EvaluationPlan plan;

    EvaluateMode(JobConfig config, String endpointBaseUrl) {
        this.config = config;
        this.endpointBaseUrl = endpointBaseUrl;
    }

    @Override
    public OptionalLong prepare(PrintStream out) throws Exception {
        JobConfig.Endpoint e = config.endpoint();
        try (FriendliClient client = new FriendliClient(e.client(endpointBaseUrl, Math.min(e.maxConnections(), 64)))) {
            plan = EvaluationPlan.prepare(config.evaluate(), client, FlinkFiles.of(config.input().path()));
        } catch (IllegalArgumentException invalid) {
            throw new InvalidInputException(invalid.getMessage());
        } catch (RuntimeException failed) {
            throw explained(failed);
        }
        out.println("Evaluate: " + plan.questions().size() + " questions from " + FlinkFiles.show(config.evaluate().input())
                + " -> " + plan.requests() + " requests");
        return OptionalLong.of(plan.requests());
    }

    @Override
    public void finish(PrintStream out) throws Exception {
        Path output = config.output().path();
        EvaluationReport report = new EvaluationReport(config.evaluate(), Scorer.score(plan, output), plan.questions());
        report.write(output, config.output().compression());
        out.println();
        out.print(report.table());
        out.println("  questions: " + FlinkFiles.show(FlinkFiles.child(FlinkFiles.child(output, EvaluationReport.DIR), "questions.parquet")));
        out.println("  report:    " + FlinkFiles.show(FlinkFiles.child(FlinkFiles.child(output, EvaluationReport.DIR), "report.json")));
    }

    /** A failed {@code tokenize} call, said in terms of what the user can change. */
    private RuntimeException explained(RuntimeException failed) {
        HttpStatusException http = null;
        for (Throwable t = failed; t != null && http == null; t = t.getCause()) {
            http = t instanceof HttpStatusException h ? h : null;
        }
        if (http == null) {
            return failed;
        }
        int status = http.status();
        if (status == 401 || status == 403) {
            return new EndpointUnusableException("the endpoint refused the credentials for tokenize (" + http.getMessage()
                    + "). Check the token (endpoint.token-env or endpoint.token-file) and endpoint.team-id");
        }
        if (status == 404 || status == 405 || status == 501) {
            return new InvalidInputException("the endpoint has no tokenize call (" + http.getMessage() + "), which "
                    + "evaluate.method: per-choice needs to force each choice's tokens. Use evaluate.method: "
                    + "top-logprobs (one request per question, scored from its top log-probabilities), or an "
                    + "endpoint that tokenizes (Friendli serverless and dedicated endpoints do)");
        }
        return failed;
    }
}
