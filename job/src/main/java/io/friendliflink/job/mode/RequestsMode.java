package io.friendliflink.job.mode;

import io.friendliflink.job.config.JobConfig;
import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.pipeline.LineCounter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalLong;
import org.apache.flink.core.fs.Path;

/**
 * {@code mode: requests}: request lines from files or Kafka, answers in {@code results/}; nothing before or after.
 *
 * <p>Before a file run it refuses inputs that would give a run without meaning: an output folder inside the
 * input (a rerun would read its own Parquet files as request lines), Parquet files given as request lines,
 * and an input without a single line.
 */
final class RequestsMode implements RunMode {
    private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};

    private final JobConfig config;

    RequestsMode(JobConfig config) {
        this.config = config;
    }

    @Override
    public OptionalLong prepare(PrintStream out) throws IOException {
        JobConfig.Input input = config.input();
        if (input.type() != JobConfig.InputType.FILE) {
            return OptionalLong.empty();
        }
        Path in = FlinkFiles.of(input.path());
        Path output = config.output().path();
        if (FlinkFiles.isWithin(output, in) && FlinkFiles.isDirectory(in)) {
            throw new InvalidInputException("output.path " + FlinkFiles.show(output) + " is inside input.path "
                    + FlinkFiles.show(in)
                    + ": a rerun would read the output's files as request lines. Choose an output folder outside it");
        }
        Path parquet = firstParquetFile(in);
        if (parquet != null) {
            throw new InvalidInputException("input.path holds a Parquet file (" + FlinkFiles.show(parquet) + "), but request lines are "
                    + "JSONL (one OpenAI Batch request per line). For a Parquet dataset of questions or rows, use "
                    + "mode: evaluate or mode: generate (see conf/evaluate.yaml, conf/generate.yaml)");
        }
        if (input.watch()) {
            return OptionalLong.empty();
        }
        long lines = LineCounter.count(in);
        if (lines == 0) {
            throw new InvalidInputException("input.path " + FlinkFiles.show(in) + " holds no request lines"
                    + (FlinkFiles.isDirectory(in) ? " (files whose names start with . or _ are not read)" : ""));
        }
        return OptionalLong.of(lines);
    }

    @Override
    public void finish(PrintStream out) {
        // The rows in results/ and errors/ are the output.
    }

    /** A file that is Parquet, by its name or its first bytes; {@code null} when there is none. */
    private static Path firstParquetFile(Path in) throws IOException {
        for (FlinkFiles.Relative file : LineCounter.readable(in)) {
            if (isParquetQuietly(file.path())) {
                return file.path();
            }
        }
        return null;
    }

    private static boolean isParquetQuietly(Path file) {
        try {
            return isParquet(file);
        } catch (IOException e) {
            return false; // unreadable: the source will say so
        }
    }

    private static boolean isParquet(Path file) throws IOException {
        if (file.getName().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            return true;
        }
        try (InputStream in = FlinkFiles.open(file)) {
            return Arrays.equals(in.readNBytes(PARQUET_MAGIC.length), PARQUET_MAGIC);
        }
    }
}
