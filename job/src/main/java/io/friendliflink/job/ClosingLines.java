package io.friendliflink.job;

import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.report.RunReport;
import io.friendliflink.job.resume.ErrorTypes;
import io.friendliflink.sink.OpenAiBatchSinks;
import io.friendliflink.sink.ParquetSinks;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.fs.Path;

/**
 * What a finished run says at the end: how it went, where the rows are, and what to do about lines that failed
 * (a rerun sends transient failures again by itself; refused lines need fixing and {@code resume.retry-errors}).
 */
final class ClosingLines {
    private final RunSummary summary;
    private final ExitStatus status;
    private final String reason;
    private final Path output;
    private final String input;

    ClosingLines(RunSummary summary, ExitStatus status, String reason, Path output, String input) {
        this.summary = summary;
        this.status = status;
        this.reason = reason;
        this.output = output;
        this.input = input;
    }

    void print(PrintStream out) {
        double seconds = summary.elapsed().toMillis() / 1000.0;
        if (summary.done() == 0) {
            out.println("No request lines were read from " + input + " (" + seconds + " s).");
        } else if (status == ExitStatus.FAILED) {
            out.println("Failed after " + seconds + " s: " + reason + ".");
        } else if (status == ExitStatus.BUDGET_EXHAUSTED) {
            out.println("Stopped at the spending cap after " + seconds + " s: " + summary.succeeded() + " results, "
                    + summary.budgetExhausted() + " lines not sent (budget_exhausted), "
                    + (summary.failed() + summary.rejected() - summary.budgetExhausted()) + " other errors.");
            out.println("  to send the rest, run the same command again with a larger calls.max-total-tokens"
                    + " or calls.max-cost.");
        } else {
            out.println("Done in " + seconds + " s: " + summary.succeeded() + " results, "
                    + (summary.failed() + summary.rejected()) + " errors.");
        }
        out.println("  results: " + FlinkFiles.show(FlinkFiles.child(output, ParquetSinks.RESULTS_DIR)));
        out.println("  errors:  " + FlinkFiles.show(FlinkFiles.child(output, ParquetSinks.ERRORS_DIR)));
        Path openai = FlinkFiles.child(output, OpenAiBatchSinks.DIR);
        if (isDirectory(openai)) {
            out.println("  openai:  " + FlinkFiles.show(openai) + " (OpenAI Batch output files)");
        }
        out.println("  summary: " + FlinkFiles.show(FlinkFiles.child(output, "_SUMMARY.json")));
        out.println("  report:  " + FlinkFiles.show(FlinkFiles.child(output, RunReport.FILE)));
        Spending spending = summary.spending();
        if (spending.all().total() > 0) {
            out.println("  spent:   " + Spending.describe(spending.all(), spending.priced())
                    + (spending.priced() ? " at pricing.*" : ""));
            if (spending.byModel().size() > 1) {
                spending.byModel().forEach((model, t) -> out.println("    model " + model + ": "
                        + Spending.describe(t, spending.priced())));
            }
            if (spending.byKind().size() > 1) {
                spending.byKind().forEach((kind, t) -> out.println("    kind " + kind + ": "
                        + Spending.describe(t, spending.priced())));
            }
        }
        if (summary.skippedDone() + summary.skippedFailed() > 0) {
            out.println("  resumed: " + (summary.skippedDone() + summary.skippedFailed())
                    + " lines were already done by an earlier run (" + summary.skippedDone() + " with a result, "
                    + summary.skippedFailed() + " with an error row kept)");
        }
        Map<String, Long> transientErrors = new TreeMap<>();
        Map<String, Long> refused = new TreeMap<>();
        summary.errorsByType().forEach((type, n) ->
                (ErrorTypes.isTransient(type) ? transientErrors : refused).put(type, n));
        long transientLines = transientErrors.values().stream().mapToLong(Long::longValue).sum();
        long refusedLines = refused.values().stream().mapToLong(Long::longValue).sum();
        if (transientLines > 0) {
            out.println("  " + transientLines + " lines failed for reasons that may pass " + transientErrors
                    + ": run the same command again to send just those.");
        }
        if (refusedLines > 0) {
            out.println("  " + refusedLines + " lines were refused " + refused + " and count as done; after fixing"
                    + " them, rerun with resume.retry-errors=all to send them again.");
        }
    }

    private static boolean isDirectory(Path path) {
        try {
            return FlinkFiles.isDirectory(path);
        } catch (IOException e) {
            return false; // a line less at the end, not a failed run
        }
    }
}
