package io.friendliflink.job;

import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.rows.ParquetRows;
import io.friendliflink.sink.ErrorRowAvro;
import io.friendliflink.sink.ParquetCompression;
import io.friendliflink.sink.ParquetSinks;
import io.friendliflink.sink.ResultRowAvro;
import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.flink.core.fs.Path;

/**
 * Gives {@code results/} and {@code errors/} a Parquet file even when a run wrote no row there: readers such as
 * DuckDB's {@code read_parquet('errors/*.parquet')} fail on a folder without one, while an empty file with the
 * table's schema reads as no rows.
 */
final class EmptyParts {
    static final String FILE_NAME = "part-empty.parquet";

    private EmptyParts() {}

    static void writeWhereMissing(Path output, ParquetCompression compression) throws IOException {
        write(FlinkFiles.child(output, ParquetSinks.RESULTS_DIR), ResultRowAvro.SCHEMA, compression);
        write(FlinkFiles.child(output, ParquetSinks.ERRORS_DIR), ErrorRowAvro.SCHEMA, compression);
    }

    private static void write(Path dir, Schema schema, ParquetCompression compression) throws IOException {
        if (ParquetRows.visibleFiles(dir).isEmpty()) {
            ParquetRows.write(FlinkFiles.child(dir, FILE_NAME), schema, List.of(), compression);
        }
    }
}
