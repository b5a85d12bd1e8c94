package io.friendliflink.source;

import io.friendliflink.lines.InputLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class FileInputTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void boundedSourceReadsEveryLineOfPlainAndGzippedFilesOnceAndSkipsBlankLines() throws Exception {
        // A byte-order mark, CRLF line ends, blank lines and a missing final newline: all seen in the wild.
        Files.writeString(dir.resolve("plain.jsonl"),
                "\uFEFF{\"custom_id\":\"p-1\"}\r\n\r\n{\"custom_id\":\"p-2\"}\n   \n{\"custom_id\":\"p-3\"}",
                StandardCharsets.UTF_8);
        gzip(dir.resolve("packed.jsonl.gz"), "{\"custom_id\":\"g-1\"}\n\n{\"custom_id\":\"g-2 日本\"}\n");
        Files.createDirectory(dir.resolve("nested"));
        Files.writeString(dir.resolve("nested/deeper.jsonl"), "{\"custom_id\":\"n-1\"}\n");
        // Hidden and underscore files are in-progress or marker files, not input.
        Files.writeString(dir.resolve(".partial.jsonl"), "{\"custom_id\":\"hidden\"}\n");
        Files.writeString(dir.resolve("_SUCCESS"), "{\"custom_id\":\"marker\"}\n");

        FileInput input = FileInput.builder(dir.toString()).build();
        assertThat(input.isBounded()).isTrue();

        List<String> lines = new ArrayList<>();
        try (CloseableIterator<String> it = linesOf(input).executeAndCollect()) {
            it.forEachRemaining(lines::add);
        }

        assertThat(lines).containsExactlyInAnyOrder(
                "{\"custom_id\":\"p-1\"}", "{\"custom_id\":\"p-2\"}", "{\"custom_id\":\"p-3\"}",
                "{\"custom_id\":\"g-1\"}", "{\"custom_id\":\"g-2 日本\"}",
                "{\"custom_id\":\"n-1\"}");
    }

    @Test
    void eachLineNamesItsFileAndTheLineNumberAnEditorShows() throws Exception {
        Files.writeString(dir.resolve("plain.jsonl"), "\uFEFFfirst\r\n\r\nthird\n   \nfifth", StandardCharsets.UTF_8);
        gzip(dir.resolve("packed.jsonl.gz"), "\n\nthird of gz\n");

        List<InputLine> lines = new ArrayList<>();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        try (CloseableIterator<InputLine> it = env.fromSource(FileInput.builder(dir.toString()).build().createSource(),
                WatermarkStrategy.noWatermarks(), "request lines").executeAndCollect()) {
            it.forEachRemaining(lines::add);
        }

        assertThat(lines).containsExactlyInAnyOrder(
                new InputLine("first", dir.resolve("plain.jsonl") + ":1"),
                new InputLine("third", dir.resolve("plain.jsonl") + ":3"),
                new InputLine("fifth", dir.resolve("plain.jsonl") + ":5"),
                new InputLine("third of gz", dir.resolve("packed.jsonl.gz") + ":3"));
    }

    @Test
    void readingOutsideFlinkGivesWhatTheSourceEmits() throws Exception {
        Files.writeString(dir.resolve("plain.jsonl"), "\uFEFFfirst\r\n\r\nthird\n   \nfifth", StandardCharsets.UTF_8);
        gzip(dir.resolve("packed.jsonl.gz"), "\n\nthird of gz\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/more.jsonl"), "a\nb\n");
        Files.writeString(dir.resolve(".hidden.jsonl"), "never read\n");
        Files.writeString(dir.resolve("_pending.jsonl"), "never read\n");
        FileInput input = FileInput.builder(dir.toString()).build();

        List<InputLine> read = new ArrayList<>();
        input.forEachLine(read::add);
        List<InputLine> emitted = new ArrayList<>();
        try (CloseableIterator<InputLine> it = StreamExecutionEnvironment.getExecutionEnvironment()
                .fromSource(input.createSource(), WatermarkStrategy.noWatermarks(), "request lines")
                .executeAndCollect()) {
            it.forEachRemaining(emitted::add);
        }

        assertThat(read).hasSize(6).containsExactlyInAnyOrderElementsOf(emitted)
                .contains(new InputLine("third of gz", dir.resolve("packed.jsonl.gz") + ":3"));
    }

    @Test
    void aRestoredReaderSkipsWhatWasEmittedAndKeepsCountingLines() throws Exception {
        Path file = dir.resolve("lines.jsonl");
        Files.writeString(file, "a\n\nb\nc\n\n\nd\n");
        long length = Files.size(file);
        NumberedLineFormat format = new NumberedLineFormat();
        FileSourceSplit split = new FileSourceSplit("0", new org.apache.flink.core.fs.Path(file.toUri()), 0, length,
                0, length);
        // Two lines ("a", "b") were emitted before the checkpoint: the restored reader starts at "c".
        FileSourceSplit restored = split.updateWithCheckpointedPosition(
                new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 2));

        List<InputLine> lines = new ArrayList<>();
        BulkFormat.Reader<InputLine> reader = format.restoreReader(new Configuration(), restored);
        for (BulkFormat.RecordIterator<InputLine> batch = reader.readBatch(); batch != null; batch = reader.readBatch()) {
            for (RecordAndPosition<InputLine> r = batch.next(); r != null; r = batch.next()) {
                lines.add(r.getRecord());
            }
            batch.releaseBatch();
        }
        reader.close();

        assertThat(lines).containsExactly(new InputLine("c", file + ":4"), new InputLine("d", file + ":7"));
    }

    @Test
    void boundedSourceReadsASingleFile() throws Exception {
        Path file = dir.resolve("one.jsonl.gz");
        gzip(file, "{\"custom_id\":\"a\"}\n{\"custom_id\":\"b\"}\n");
        Files.writeString(dir.resolve("other.jsonl"), "{\"custom_id\":\"not me\"}\n");

        List<String> lines = new ArrayList<>();
        try (CloseableIterator<String> it = linesOf(FileInput.builder(file.toString()).build()).executeAndCollect()) {
            it.forEachRemaining(lines::add);
        }

        assertThat(lines).containsExactlyInAnyOrder("{\"custom_id\":\"a\"}", "{\"custom_id\":\"b\"}");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void continuousSourcePicksUpAFileAddedAfterTheJobStarted() throws Exception {
        Files.writeString(dir.resolve("first.jsonl"), "{\"custom_id\":\"f-1\"}\n{\"custom_id\":\"f-2\"}\n");
        FileInput input = FileInput.builder(dir.toString())
                .monitorContinuously(Duration.ofMillis(100))
                .build();
        assertThat(input.isBounded()).isFalse();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        try (CloseableIterator<String> it = env.fromSource(input.createSource(),
                WatermarkStrategy.noWatermarks(), "request lines").map(InputLine::text).collectAsync()) {
            JobClient job = env.executeAsync("continuous file input");

            assertThat(take(it, 2)).containsExactlyInAnyOrder("{\"custom_id\":\"f-1\"}", "{\"custom_id\":\"f-2\"}");

            // Written under a hidden name and renamed when complete, as a producer of input should.
            Path partial = dir.resolve(".second.jsonl.gz");
            gzip(partial, "{\"custom_id\":\"s-1\"}\n{\"custom_id\":\"s-2\"}\n");
            Files.move(partial, dir.resolve("second.jsonl.gz"), StandardCopyOption.ATOMIC_MOVE);

            assertThat(take(it, 2)).containsExactlyInAnyOrder("{\"custom_id\":\"s-1\"}", "{\"custom_id\":\"s-2\"}");
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

            job.cancel().get();
            job.getJobExecutionResult().handle((result, failure) -> null).get(30, TimeUnit.SECONDS);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.CANCELED);
        }
    }

    @Test
    void blankPathIsRefused() {
        assertThatThrownBy(() -> FileInput.builder("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("path must not be blank");
        assertThatThrownBy(() -> FileInput.builder(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("path must not be blank");
    }

    @Test
    void missingPathIsRefusedInBothModes() {
        String missing = dir.resolve("absent").toString();

        assertThatThrownBy(() -> FileInput.builder(missing).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("path '")
                .hasMessageEndingWith("absent' does not exist");
        assertThatThrownBy(() -> FileInput.builder(missing).monitorContinuously(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("absent' does not exist");
    }

    @Test
    void pathWithoutAFileSystemIsRefused() {
        assertThatThrownBy(() -> FileInput.builder("nosuchscheme://bucket/requests").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("path 'nosuchscheme://bucket/requests': no file system for it");
    }

    @Test
    void discoveryIntervalMustBePositive() {
        FileInput.Builder builder = FileInput.builder(dir.toString());

        assertThatThrownBy(() -> builder.monitorContinuously(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("discoveryInterval must be positive, was PT0S");
        assertThatThrownBy(() -> builder.monitorContinuously(Duration.ofSeconds(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("discoveryInterval must be positive, was PT-5S");
        assertThatThrownBy(() -> builder.monitorContinuously(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("discoveryInterval must not be null");
    }

    @Test
    void relativePathIsMadeAbsoluteSoEveryTaskManagerReadsTheSameFiles() {
        FileInput input = FileInput.builder(".").build();

        assertThat(input.path().isAbsolute()).isTrue();
        assertThat(input.path().toUri().getScheme()).isEqualTo("file");
        assertThat(input.toString()).startsWith("FileInput{path=file:/").endsWith(", bounded}");
    }

    private static DataStream<String> linesOf(FileInput input) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        return env.fromSource(input.createSource(), WatermarkStrategy.noWatermarks(), "request lines")
                .map(InputLine::text);
    }

    /** Blocks until {@code n} more elements arrived; the test's timeout bounds the wait. */
    private static List<String> take(CloseableIterator<String> it, int n) {
        List<String> taken = new ArrayList<>(n);
        while (taken.size() < n && it.hasNext()) {
            taken.add(it.next());
        }
        return taken;
    }

    private static void gzip(Path file, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
