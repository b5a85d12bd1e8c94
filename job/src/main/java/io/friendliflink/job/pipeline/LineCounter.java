package io.friendliflink.job.pipeline;

import io.friendliflink.job.config.JobConfig;
import io.friendliflink.job.files.FlinkFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.apache.flink.api.common.io.compression.InflaterInputStreamFactory;
import org.apache.flink.connector.file.src.compression.StandardDeCompressors;
import org.apache.flink.core.fs.Path;

/**
 * Counts the request lines of a file input before the run, so progress can show done/total and a time left
 * and {@code run.state-backend: auto} can tell a small input from a large one.
 * Reads what the file source reads: non-blank lines, decompressed by file name as Flink's file source does
 * ({@code .gz}, {@code .bz2}, {@code .xz}, {@code .deflate}), names starting with {@code .} or {@code _} skipped.
 */
public final class LineCounter {
    private LineCounter() {}

    /**
     * Counts a bounded file input's lines.
     *
     * @return the count, or empty when the input cannot be counted in advance (Kafka, or a watched directory)
     * @throws IOException when the files cannot be read; each caller decides what an uncounted run means
     */
    public static OptionalLong countInput(JobConfig.Input input) throws IOException {
        if (input.type() != JobConfig.InputType.FILE || input.watch()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(count(FlinkFiles.of(input.path())));
    }

    public static long count(Path path) throws IOException {
        long total = 0;
        for (FlinkFiles.Relative file : readable(path)) {
            total += countFile(file.path());
        }
        return total;
    }

    /** The files of an input that the file source reads: all below it but those {@link #isHidden}. */
    public static List<FlinkFiles.Relative> readable(Path path) throws IOException {
        if (FlinkFiles.isFile(path)) {
            return FlinkFiles.walk(path);
        }
        return FlinkFiles.walk(path).stream().filter(f -> !isHidden(f.relative())).toList();
    }

    /** Whether a file at {@code relative} ({@code /}-separated) below the input folder is skipped, as the file source skips it. */
    public static boolean isHidden(String relative) {
        for (String name : relative.split("/")) {
            if (name.startsWith(".") || name.startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    private static long countFile(Path file) throws IOException {
        InflaterInputStreamFactory<?> decompressor = StandardDeCompressors.getDecompressorForFileName(file.getName());
        long lines = 0;
        try (InputStream raw = FlinkFiles.open(file);
                InputStream in = decompressor == null ? raw : decompressor.create(raw);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    lines++;
                }
            }
        }
        return lines;
    }
}
