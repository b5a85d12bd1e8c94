package io.friendliflink.job.mode;

import io.friendliflink.job.config.JobConfig;
import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.generate.DatasetWriter;
import io.friendliflink.job.generate.GenerationPlan;
import java.io.PrintStream;
import java.util.OptionalLong;

/** {@code mode: generate}: rows through a prompt template before the run, samples into {@code dataset/} after it. */
final class GenerateMode implements RunMode {
    private final JobConfig config;
    private GenerationPlan plan;

    GenerateMode(JobConfig config) {
        this.config = config;
    }

    @Override
    public OptionalLong prepare(PrintStream out) throws Exception {
        try {
            plan = GenerationPlan.prepare(config.generate(), FlinkFiles.of(config.input().path()));
        } catch (IllegalArgumentException invalid) {
            throw new InvalidInputException(invalid.getMessage());
        }
        out.println("Generate: " + plan.table().size() + " rows from " + FlinkFiles.show(config.generate().input()) + " x "
                + config.generate().n() + " samples -> " + plan.requests() + " requests");
        return OptionalLong.of(plan.requests());
    }

    @Override
    public void finish(PrintStream out) throws Exception {
        DatasetWriter.Written written = DatasetWriter.write(plan, config.output().path(), config.output().compression());
        out.println("  dataset: " + FlinkFiles.show(written.file()) + " (" + written.samples() + " samples"
                + (written.missing() > 0 ? ", " + written.missing() + " failed: see errors/" : "") + ")");
    }
}
