package io.friendliflink.job.mode;

import io.friendliflink.job.config.JobConfig;
import io.friendliflink.job.pipeline.LineCounter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;

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
        Path in = Path.of(input.path()).toAbsolutePath().normalize();
        Path output = config.output().path();
        if (output.startsWith(in) && Files.isDirectory(in)) {
            throw new InvalidInputException("output.path " + output + " is inside input.path " + in
                    + ": a rerun would read the output's files as request lines. Choose an output folder outside it");
        }
        Path parquet = firstParquetFile(in);
        if (parquet != null) {
            throw new InvalidInputException("input.path holds a Parquet file (" + parquet + "), but request lines are "
                    + "JSONL (one OpenAI Batch request per line). For a Parquet dataset of questions or rows, use "
                    + "mode: evaluate or mode: generate (see conf/evaluate.yaml, conf/generate.yaml)");
        }
        if (input.watch()) {
            return OptionalLong.empty();
        }
        long lines = LineCounter.count(in);
        if (lines == 0) {
            throw new InvalidInputException("input.path " + in + " holds no request lines"
                    + (Files.isDirectory(in) ? " (files whose names start with . or _ are not read)" : ""));
        }
        return OptionalLong.of(lines);
    }

    @Override
    public void finish(PrintStream out) {
        // The rows in results/ and errors/ are the output.
    }

    /** A file that is Parquet, by its name or its first bytes; {@code null} when there is none. */
    private static Path firstParquetFile(Path in) throws IOException {
        if (Files.isRegularFile(in)) {
            return isParquet(in) ? in : null;
        }
        try (Stream<Path> files = Files.walk(in)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !LineCounter.isHidden(in.relativize(f)))
                    .filter(RequestsMode::isParquetQuietly)
                    .findFirst().orElse(null);
        }
    }

    private static boolean isParquetQuietly(Path file) {
        try {
            return isParquet(file);
        } catch (IOException e) {
            return false; // unreadable: the source will say so
        }
    }

    private static boolean isParquet(Path file) throws IOException {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(PARQUET_MAGIC.length), PARQUET_MAGIC);
        }
    }
}
