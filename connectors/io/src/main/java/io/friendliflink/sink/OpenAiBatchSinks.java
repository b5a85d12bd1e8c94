package io.friendliflink.sink;

import java.util.Objects;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * The exactly-once sinks of OpenAI Batch output files ({@link OpenAiBatchLines}): {@code <output>/openai/results/}
 * and {@code <output>/openai/errors/}, {@code part-<uuid>-<n>.jsonl} files committed on the same checkpoints as
 * the Parquet files ({@link ParquetSinks}), so both hold the same rows after any failure and restore.
 */
public final class OpenAiBatchSinks {
    /** The sub-directory of the output for the OpenAI Batch files. */
    public static final String DIR = "openai";

    static final OutputFileConfig PART_FILES =
            OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".jsonl").build();

    private OpenAiBatchSinks() {}

    /** The sink of result lines, {@code <output>/openai/results/}. */
    public static FileSink<String> results(Path output) {
        return sink(new Path(new Path(Objects.requireNonNull(output, "output"), DIR), ParquetSinks.RESULTS_DIR));
    }

    /** The sink of error lines, {@code <output>/openai/errors/}. */
    public static FileSink<String> errors(Path output) {
        return sink(new Path(new Path(Objects.requireNonNull(output, "output"), DIR), ParquetSinks.ERRORS_DIR));
    }

    private static FileSink<String> sink(Path dir) {
        return FileSink.forRowFormat(dir, new SimpleStringEncoder<String>("UTF-8"))
                .withBucketAssigner(new BasePathBucketAssigner<>())
                // Rolled with the Parquet files, on each checkpoint, so a graceful stop's savepoint commits both.
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(PART_FILES)
                .build();
    }
}
