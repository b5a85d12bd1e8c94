package io.friendliflink.source;

import io.friendliflink.lines.InputLine;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Where request lines come from when they sit in files: one JSONL file, or a directory of them.
 *
 * <p>The path is a local path or any URI a Flink file system understands ({@code file:},
 * {@code s3://}, {@code hdfs://}, ...). A directory is read recursively. Files whose names end in
 * {@code .gz} (also {@code .bz2}, {@code .xz}, {@code .deflate}) are decompressed by extension. Files
 * whose names start with {@code .} or {@code _} are ignored, so a writer that creates a file under such
 * a name and renames it when complete never has a half-written file read. Blank lines are dropped by
 * the reader; every other line is emitted as it is, with its file and line number, for the request parser
 * to accept or reject.
 *
 * <p>Bounded by default: the files present when the job starts are read once and the source ends.
 * With {@link Builder#monitorContinuously(Duration)} the source never ends and picks up new files at
 * that interval; a file is read once, when first seen, so later appends to it are not read.
 *
 * <pre>{@code
 * FileSource<InputLine> lines = FileInput.builder("s3://bucket/batch/")
 *         .monitorContinuously(Duration.ofSeconds(10))
 *         .build()
 *         .createSource();
 * env.fromSource(lines, WatermarkStrategy.noWatermarks(), "request lines");
 * }</pre>
 */
public final class FileInput {

    private final Path path;
    private final Duration discoveryInterval;

    private FileInput(Path path, Duration discoveryInterval) {
        this.path = path;
        this.discoveryInterval = discoveryInterval;
    }

    /**
     * Starts a configuration reading {@code path}, a file or a directory.
     *
     * @throws IllegalArgumentException if the path is null, blank, or not a valid path or URI
     */
    public static Builder builder(String path) {
        return new Builder(path);
    }

    /** A new source over the configured files; each call builds an independent source. */
    public FileSource<InputLine> createSource() {
        FileSource.FileSourceBuilder<InputLine> source =
                FileSource.forBulkFileFormat(new NumberedLineFormat(), path);
        if (discoveryInterval != null) {
            source.monitorContinuously(discoveryInterval);
        }
        return source.build();
    }

    public Path path() {
        return path;
    }

    /**
     * Reads, outside Flink, every line the source would emit from the files present now: the same files (Flink's
     * own enumerator), in the same way (the same reader), file by file in the order of their paths. For a plan
     * of a run that must count exactly what the run will read.
     */
    public void forEachLine(Consumer<InputLine> each) throws IOException {
        List<FileSourceSplit> splits = new ArrayList<>(FileSource.DEFAULT_NON_SPLITTABLE_FILE_ENUMERATOR.create()
                .enumerateSplits(new Path[] {path}, 1));
        splits.sort(Comparator.comparing(split -> split.path().toString()));
        NumberedLineFormat format = new NumberedLineFormat();
        for (FileSourceSplit split : splits) {
            try (BulkFormat.Reader<InputLine> reader = format.createReader(new Configuration(), split)) {
                for (BulkFormat.RecordIterator<InputLine> batch = reader.readBatch(); batch != null;
                        batch = reader.readBatch()) {
                    for (RecordAndPosition<InputLine> r = batch.next(); r != null; r = batch.next()) {
                        each.accept(r.getRecord());
                    }
                    batch.releaseBatch();
                }
            }
        }
    }

    /** True when the source reads the files present at start and then ends. */
    public boolean isBounded() {
        return discoveryInterval == null;
    }

    /** How often new files are looked for, or {@code null} when bounded. */
    public Duration discoveryInterval() {
        return discoveryInterval;
    }

    @Override
    public String toString() {
        return "FileInput{path=" + path
                + (isBounded() ? ", bounded" : ", monitorContinuously=" + discoveryInterval) + '}';
    }

    /** Collects a file input's settings; {@link #build()} checks that the path exists. */
    public static final class Builder {

        private final Path path;
        private Duration discoveryInterval;

        private Builder(String path) {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("path must not be blank");
            }
            try {
                this.path = new Path(path.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("path '" + path + "' is not a valid path or URI: "
                        + e.getMessage(), e);
            }
        }

        /**
         * Keeps the source running and looks for new files every {@code interval}.
         *
         * @throws IllegalArgumentException if the interval is null, zero or negative
         */
        public Builder monitorContinuously(Duration interval) {
            if (interval == null) {
                throw new IllegalArgumentException("discoveryInterval must not be null");
            }
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("discoveryInterval must be positive, was " + interval);
            }
            this.discoveryInterval = interval;
            return this;
        }

        /** Reads the files present at start, then ends (the default). */
        public Builder bounded() {
            this.discoveryInterval = null;
            return this;
        }

        /**
         * Checks that the path exists, in both modes: a continuous source also lists the path when it
         * starts, and a missing one would fail the running job instead of this call.
         *
         * @throws IllegalArgumentException if the path does not exist or its file system is unavailable
         */
        public FileInput build() {
            FileSystem fs;
            try {
                fs = path.getFileSystem();
            } catch (IOException e) {
                throw new IllegalArgumentException("path '" + path + "': no file system for it ("
                        + e.getMessage() + ")", e);
            }
            boolean exists;
            try {
                exists = fs.exists(path);
            } catch (IOException e) {
                throw new IllegalArgumentException("path '" + path + "' could not be checked: "
                        + e.getMessage(), e);
            }
            if (!exists) {
                throw new IllegalArgumentException("path '" + path + "' does not exist");
            }
            // Qualified, so that a relative path means the same directory on every task manager.
            return new FileInput(path.makeQualified(fs), discoveryInterval);
        }
    }
}
