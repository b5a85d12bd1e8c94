package io.friendliflink.job.resume;

import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.rows.ParquetRows;
import io.friendliflink.sink.ErrorRowAvro;
import io.friendliflink.sink.ParquetCompression;
import io.friendliflink.sink.ParquetSinks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.fs.Path;

/**
 * Before a rerun, takes the error rows it will send again out of {@code errors/}, so that every line keeps
 * exactly one current row that a reader finds without knowing the history: a line sent again ends with its
 * new row only.
 *
 * <p>A part file holding such rows is replaced by one holding the rest, and moved to
 * {@code <output>/_superseded/errors/} (hidden from readers of {@code errors/*.parquet}, kept for whoever
 * wants the history). The steps are ordered so that a crash between them never leaves a row twice: the old
 * file is moved aside before the new one becomes visible, so at worst some kept rows are missing, and their
 * lines are sent (or rejected) again by the next run.
 */
public final class ErrorsToRetry {
    /** Where replaced error files go, under the output. */
    public static final String SUPERSEDED_DIR = "_superseded";

    private ErrorsToRetry() {}

    /**
     * What was taken out.
     *
     * @param byType rows taken out (their lines are sent again), by {@code error_type}
     * @param kept error rows left in place (their lines stay done)
     */
    public record Taken(Map<String, Long> byType, long kept) {
        public long total() {
            return byType.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Takes the rows {@code retry} sends again out of {@code output}'s {@code errors/}. */
    public static Taken prepare(Path output, ResumeSettings.RetryErrors retry, ParquetCompression compression)
            throws IOException {
        Map<String, Long> taken = new TreeMap<>();
        long kept = 0;
        if (retry == ResumeSettings.RetryErrors.NONE) {
            return new Taken(taken, countRows(output));
        }
        Path errors = FlinkFiles.child(output, ParquetSinks.ERRORS_DIR);
        String stamp = Long.toString(System.currentTimeMillis());
        int written = 0;
        for (Path file : ParquetRows.visibleFiles(errors)) {
            List<GenericRecord> keep = new ArrayList<>();
            Map<String, Long> out = new TreeMap<>();
            ParquetRows.forEach(file, ErrorRowAvro.SCHEMA, r -> {
                String type = r.get("error_type").toString();
                if (retry.retries(type)) {
                    out.merge(type, 1L, Long::sum);
                } else {
                    keep.add(r);
                }
            });
            kept += keep.size();
            if (out.isEmpty()) {
                continue;
            }
            out.forEach((type, n) -> taken.merge(type, n, Long::sum));
            Path replacement = FlinkFiles.child(errors, "part-rerun-" + stamp + "-" + written++ + ".parquet");
            Path hidden = FlinkFiles.child(errors, "." + replacement.getName() + ".pending");
            if (!keep.isEmpty()) {
                ParquetRows.write(hidden, ErrorRowAvro.SCHEMA, keep, compression);
            }
            Path aside = FlinkFiles.child(FlinkFiles.child(output, SUPERSEDED_DIR), ParquetSinks.ERRORS_DIR);
            FlinkFiles.move(file, FlinkFiles.child(aside, stamp + "-" + file.getName()));
            if (!keep.isEmpty()) {
                FlinkFiles.move(hidden, replacement);
            }
        }
        return new Taken(taken, kept);
    }

    private static long countRows(Path output) throws IOException {
        long[] rows = {0};
        for (Path file : ParquetRows.visibleFiles(FlinkFiles.child(output, ParquetSinks.ERRORS_DIR))) {
            ParquetRows.forEach(file, DoneRows.ERROR_KEYS, r -> rows[0]++);
        }
        return rows[0];
    }
}
