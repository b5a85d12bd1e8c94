package io.friendliflink.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.local.LocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParquetWritersTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ParquetCompression.class)
    void resultsWriterCompressesEveryColumnWithTheConfiguredCodecAndKeepsEveryValue(ParquetCompression compression)
            throws IOException {
        Path file = dir.resolve("results.parquet");
        ParquetSinkOptions options = ParquetSinkOptions.custom().compression(compression).build();

        write(file, ParquetSinks.resultsWriter(options), SampleRows.results());

        assertThat(ParquetFiles.codecs(file)).containsExactly(compression.name());
        assertThat(ParquetFiles.read(file, ParquetFiles::toResultRow))
                .containsExactlyElementsOf(SampleRows.results().stream().map(ParquetFiles::asStored).toList());
    }

    @ParameterizedTest
    @EnumSource(ParquetCompression.class)
    void errorsWriterCompressesEveryColumnWithTheConfiguredCodecAndKeepsEveryValue(ParquetCompression compression)
            throws IOException {
        Path file = dir.resolve("errors.parquet");
        ParquetSinkOptions options = ParquetSinkOptions.custom().compression(compression).build();

        write(file, ParquetSinks.errorsWriter(options), SampleRows.errors());

        assertThat(ParquetFiles.codecs(file)).containsExactly(compression.name());
        assertThat(ParquetFiles.read(file, ParquetFiles::toErrorRow)).containsExactlyElementsOf(SampleRows.errors());
    }

    @Test
    void rowGroupSizeBoundsTheRowGroupsOfALargeFile() throws IOException {
        // About 3 MiB of raw responses, written uncompressed: enough for several 1 MiB row groups.
        Random random = new Random(7);
        List<ResultRow> rows = SampleRows.manyResults(300).stream()
                .map(r -> new ResultRow(r.customId(), r.url(), r.model(), r.responseId(), r.httpStatus(),
                        r.attempts(), r.latencyMs(), r.totalMs(), r.choices(), r.usage(), randomHex(random, 10_000)))
                .toList();
        Path small = dir.resolve("small-groups.parquet");
        Path large = dir.resolve("large-groups.parquet");

        ParquetSinkOptions uncompressed =
                ParquetSinkOptions.custom().compression(ParquetCompression.UNCOMPRESSED).build();
        write(small, ParquetSinks.resultsWriter(
                ParquetSinkOptions.from(uncompressed).rowGroupSizeBytes(1 << 20).build()), rows);
        write(large, ParquetSinks.resultsWriter(uncompressed), rows);

        assertThat(ParquetFiles.footer(small).getBlocks()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(ParquetFiles.footer(large).getBlocks()).hasSize(1);
        assertThat(ParquetFiles.read(small, ParquetFiles::toResultRow))
                .containsExactlyElementsOf(rows.stream().map(ParquetFiles::asStored).toList());
    }

    @Test
    void listsUseTheStandardThreeLevelLayout() throws IOException {
        Path file = dir.resolve("layout.parquet");

        write(file, ParquetSinks.resultsWriter(ParquetSinkOptions.ofDefaults()), SampleRows.results());

        String schema = ParquetFiles.footer(file).getFileMetaData().getSchema().toString();
        assertThat(schema)
                .contains("required group choices (LIST)")
                .contains("repeated group list")
                .doesNotContain("repeated group array");
    }

    private static String randomHex(Random random, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(Character.forDigit(random.nextInt(16), 16));
        }
        return sb.toString();
    }

    private static <T> void write(Path file, BulkWriter.Factory<T> factory, List<T> rows) throws IOException {
        try (FSDataOutputStream out = LocalFileSystem.getSharedInstance()
                .create(new org.apache.flink.core.fs.Path(file.toUri()), FileSystem.WriteMode.NO_OVERWRITE)) {
            BulkWriter<T> writer = factory.create(out);
            for (T row : rows) {
                writer.addElement(row);
            }
            writer.finish();
        }
    }
}
