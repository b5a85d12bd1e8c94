package io.friendliflink.job.rows;

import java.util.List;
import java.util.Map;

/**
 * Rows read from a JSONL, CSV or Parquet file, in file order.
 *
 * <p>Values are {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code List} of values,
 * {@code Map} (a struct) from names to values, or {@code null}; {@code columns} lists every column seen, in
 * first-seen order.
 *
 * @param source the file, for messages
 */
public record Table(String source, List<String> columns, List<Map<String, Object>> rows) {
    public Table {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    public int size() {
        return rows.size();
    }
}
