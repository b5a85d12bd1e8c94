package io.friendliflink.job.eval;

import io.friendliflink.job.rows.ParquetRows;
import io.friendliflink.job.rows.Table;
import io.friendliflink.job.rows.TableReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * Reads a task's rows: Parquet as the hub publishes it, struct columns included ({@code choices:
 * struct<text, label>} becomes a {@code Map}); JSONL and CSV through {@link TableReader}. A directory is
 * read file by file in name order, skipping names that start with {@code .} or {@code _}.
 */
final class DatasetReader {
    private DatasetReader() {}

    static Table read(Path path) {
        List<Path> files = files(path);
        Set<String> columns = new LinkedHashSet<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Path file : files) {
            List<Map<String, Object>> fileRows = file.getFileName().toString().toLowerCase(Locale.ROOT)
                    .endsWith(".parquet") ? parquet(file) : TableReader.read(file).rows();
            for (Map<String, Object> row : fileRows) {
                columns.addAll(row.keySet());
            }
            rows.addAll(fileRows);
        }
        return new Table(path.toString(), new ArrayList<>(columns), rows);
    }

    private static List<Path> files(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(path.toAbsolutePath() + " does not exist");
        }
        try (Stream<Path> list = Files.list(path)) {
            List<Path> files = list.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith(".")
                            && !f.getFileName().toString().startsWith("_"))
                    .sorted()
                    .toList();
            if (files.isEmpty()) {
                throw new IllegalArgumentException(path.toAbsolutePath() + " holds no files");
            }
            return files;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + path + ": " + e.getMessage(), e);
        }
    }

    private static List<Map<String, Object>> parquet(Path file) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            ParquetRows.forEach(file, null, r -> rows.add(record(r)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return rows;
    }

    private static Map<String, Object> record(GenericRecord r) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Schema.Field f : r.getSchema().getFields()) {
            out.put(f.name(), plain(r.get(f.pos())));
        }
        return out;
    }

    /** Avro's values as plain Java ones: a record is a map, except a list element wrapped in a one-field record. */
    private static Object plain(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Utf8 || v instanceof CharSequence) {
            return v.toString();
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof ByteBuffer b) {
            ByteBuffer copy = b.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (v instanceof Collection<?> c) {
            List<Object> list = new ArrayList<>(c.size());
            for (Object item : c) {
                list.add(item instanceof GenericRecord e && e.getSchema().getFields().size() == 1
                        ? plain(e.get(0)) : plain(item));
            }
            return list;
        }
        if (v instanceof GenericRecord r) {
            return record(r);
        }
        return v;
    }
}
