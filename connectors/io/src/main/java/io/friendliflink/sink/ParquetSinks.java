package io.friendliflink.sink;

import java.util.Objects;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * The exactly-once Parquet sinks of a run: {@code <output>/results/} and {@code <output>/errors/}.
 *
 * <p>Each subtask writes {@code part-<uuid>-<n>.parquet} files directly under the directory. A file is
 * written as a hidden in-progress file and becomes visible only when it is committed: on each checkpoint in
 * streaming execution (each checkpoint closes the open files), and at the end of the input in batch
 * execution. Every row is then committed exactly once, also across failures and restores from a checkpoint.
 * A streaming job without checkpointing commits nothing before its input ends, so an unbounded streaming
 * job must enable checkpointing. After a failure, the failed attempt's open file may remain as a hidden
 * {@code .part-...parquet.inprogress...} file: it is never committed, and readers skip hidden files.
 *
 * <pre>{@code
 * results.sinkTo(ParquetSinks.results(new Path(output), ParquetSinkOptions.ofDefaults()));
 * errors.sinkTo(ParquetSinks.errors(new Path(output), ParquetSinkOptions.ofDefaults()));
 * }</pre>
 */
public final class ParquetSinks {
    /** The sub-directory of the output for succeeded requests. */
    public static final String RESULTS_DIR = "results";
    /** The sub-directory of the output for failed requests and bad lines. */
    public static final String ERRORS_DIR = "errors";

    static final OutputFileConfig PART_FILES =
            OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".parquet").build();

    private ParquetSinks() {}

    /** The sink of results rows under {@code <output>/results/}. */
    public static FileSink<ResultRow> results(Path output, ParquetSinkOptions options) {
        return sink(new Path(checkOutput(output), RESULTS_DIR), resultsWriter(options));
    }

    /** The sink of error rows under {@code <output>/errors/}. */
    public static FileSink<ErrorRow> errors(Path output, ParquetSinkOptions options) {
        return sink(new Path(checkOutput(output), ERRORS_DIR), errorsWriter(options));
    }

    /** The bulk writer of results files, for use outside {@link #results}. */
    public static ParquetWriterFactory<ResultRow> resultsWriter(ParquetSinkOptions options) {
        return new ParquetWriterFactory<>(new AvroMappingParquetBuilder<>(ResultRowAvro.INSTANCE, options));
    }

    /** The bulk writer of error files, for use outside {@link #errors}. */
    public static ParquetWriterFactory<ErrorRow> errorsWriter(ParquetSinkOptions options) {
        return new ParquetWriterFactory<>(new AvroMappingParquetBuilder<>(ErrorRowAvro.INSTANCE, options));
    }

    private static <T> FileSink<T> sink(Path dir, ParquetWriterFactory<T> writer) {
        return FileSink.forBulkFormat(dir, writer)
                // All files directly under the directory: one table for readers, no date buckets.
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(PART_FILES)
                .build();
    }

    private static Path checkOutput(Path output) {
        return Objects.requireNonNull(output, "output must not be null");
    }
}
