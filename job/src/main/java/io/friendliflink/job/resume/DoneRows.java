package io.friendliflink.job.resume;

import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.rows.ParquetRows;
import io.friendliflink.lines.ParsedLine;
import io.friendliflink.lines.RejectedLine;
import io.friendliflink.sink.ParquetSinks;
import java.io.IOException;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.flink.core.fs.Path;

/**
 * What an output directory already holds, so that a rerun sends nothing twice and writes no second row for a
 * line: the {@code custom_id}s with a row in committed part files of {@code results/} or {@code errors/}, and
 * the lines (by {@link ParsedLine#lineKey}) that have an error row of their own without being an id's outcome
 * (a line without a readable id, or one that repeated an id).
 *
 * <p>Only the needed columns are read, and only from visible files: in-progress and pending files of a run
 * that was killed are hidden ({@code .part-...}) and their rows were never committed, so those requests are
 * sent again. Error rows that a rerun sends again are moved aside before the run by {@link ErrorsToRetry},
 * so what is here is exactly what is done.
 */
public final class DoneRows {
    private static final Schema RESULT_IDS = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"ResultRow\",\"namespace\":\"io.friendliflink.results\","
                    + "\"fields\":[{\"name\":\"custom_id\",\"type\":\"string\"}]}");
    static final Schema ERROR_KEYS = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"ErrorRow\",\"namespace\":\"io.friendliflink.errors\",\"fields\":["
                    + "{\"name\":\"custom_id\",\"type\":[\"null\",\"string\"],\"default\":null},"
                    + "{\"name\":\"error_type\",\"type\":\"string\"},"
                    + "{\"name\":\"input_line\",\"type\":\"string\"},"
                    + "{\"name\":\"source\",\"type\":[\"null\",\"string\"],\"default\":null}]}");

    /** What a rerun finds for one line. */
    public enum Found {
        /** Nothing: the line is new, or its earlier outcome is to be sent again. */
        NONE,
        /** Its id has a result. */
        RESULT,
        /** Its id, or the line itself, has an error row that stays. */
        ERROR
    }

    private final HashedKeys ids = new HashedKeys();
    private final HashedKeys lines = new HashedKeys();

    private DoneRows() {}

    /** Nothing done: a first run, or resuming switched off. */
    public static DoneRows none() {
        return new DoneRows();
    }

    /**
     * Reads the rows of {@code output}'s committed files whose key {@code keep} accepts (a subtask keeps the
     * keys of its own key groups: a line's {@link ParsedLine#key()}).
     */
    public static DoneRows load(Path output, Predicate<String> keep) throws IOException {
        return load(output, keep, ResumeSettings.RetryErrors.NONE);
    }

    /**
     * What a rerun will find once {@link ErrorsToRetry} has taken out the error rows {@code retry} sends again,
     * without taking them out: for a plan, which changes nothing.
     */
    public static DoneRows load(Path output, Predicate<String> keep, ResumeSettings.RetryErrors retry)
            throws IOException {
        DoneRows done = new DoneRows();
        for (Path file : ParquetRows.visibleFiles(FlinkFiles.child(output, ParquetSinks.RESULTS_DIR))) {
            ParquetRows.forEach(file, RESULT_IDS, r -> {
                String id = r.get("custom_id").toString();
                if (keep.test(id)) {
                    done.ids.add(id, false);
                }
            });
        }
        for (Path file : ParquetRows.visibleFiles(FlinkFiles.child(output, ParquetSinks.ERRORS_DIR))) {
            ParquetRows.forEach(file, ERROR_KEYS, r -> {
                if (retry != ResumeSettings.RetryErrors.NONE && retry.retries(r.get("error_type").toString())) {
                    return;
                }
                String id = text(r.get("custom_id"));
                String line = ParsedLine.lineKey(text(r.get("source")), r.get("input_line").toString());
                if (!keep.test(id != null ? id : line)) {
                    return;
                }
                if (id != null && !RejectedLine.DUPLICATE_CUSTOM_ID.equals(r.get("error_type").toString())) {
                    done.ids.add(id, true);
                } else {
                    done.lines.add(line, true);
                }
            });
        }
        return done;
    }

    /** What the output holds for {@code line}. */
    public Found find(ParsedLine line) {
        if (lines.size() > 0 && lines.lookup(ParsedLine.lineKey(line.source(), line.rawLine())) != 0) {
            return Found.ERROR;
        }
        String id = line.customId();
        if (id == null) {
            return Found.NONE;
        }
        return switch (ids.lookup(id)) {
            case 0 -> Found.NONE;
            case 1 -> Found.RESULT;
            default -> Found.ERROR;
        };
    }

    /** Ids with a row, and lines with a row of their own. */
    public int size() {
        return ids.size() + lines.size();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
