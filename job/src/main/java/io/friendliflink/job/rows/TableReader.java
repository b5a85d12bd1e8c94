package io.friendliflink.job.rows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.friendliflink.job.files.FlinkFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.fs.Path;

/**
 * Reads the rows of the evaluate and generate modes from {@code .jsonl}/{@code .json}, {@code .csv} or
 * {@code .parquet} files (the format by extension), or from a directory of them read in name order.
 *
 * <p>JSONL: one object per line; an object inside it is a {@code Map}. CSV: a header row, RFC 4180 quoting;
 * a cell that holds a JSON array ({@code ["a","b"]}) is read as a list, so a {@code choices} column fits in
 * one cell, and any other cell is text ({@link #jsonObject} reads a struct written in one). Parquet
 * ({@link ParquetRows}): columns of scalars, lists and structs, a struct as a {@code Map}, such as the Hugging
 * Face hub's files of {@code cais/mmlu} or {@code allenai/ai2_arc}.
 */
public final class TableReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TableReader() {}

    /** @throws IllegalArgumentException naming the file and line when a file cannot be read as rows */
    public static Table read(Path path) {
        List<Path> files = files(path);
        Set<String> columns = new LinkedHashSet<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Path file : files) {
            List<Map<String, Object>> fileRows = readFile(file);
            for (Map<String, Object> row : fileRows) {
                columns.addAll(row.keySet());
            }
            rows.addAll(fileRows);
        }
        return new Table(FlinkFiles.show(path), new ArrayList<>(columns), rows);
    }

    private static List<Path> files(Path path) {
        try {
            if (FlinkFiles.isFile(path)) {
                return List.of(path);
            }
            if (!FlinkFiles.isDirectory(path)) {
                throw new IllegalArgumentException(FlinkFiles.show(path) + " does not exist");
            }
            List<Path> files = FlinkFiles.files(path).stream()
                    .filter(f -> !f.getName().startsWith(".") && !f.getName().startsWith("_"))
                    .toList();
            if (files.isEmpty()) {
                throw new IllegalArgumentException(FlinkFiles.show(path) + " holds no files");
            }
            return files;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + FlinkFiles.show(path) + ": " + e.getMessage(), e);
        }
    }

    private static List<Map<String, Object>> readFile(Path file) {
        String name = file.getName().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".parquet")) {
                return ParquetRows.read(file);
            }
            if (name.endsWith(".csv")) {
                return readCsv(file);
            }
            if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")) {
                return readJsonl(file);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + FlinkFiles.show(file) + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(FlinkFiles.show(file) + ": unknown format; name the file .jsonl, .csv or .parquet");
    }

    private static List<Map<String, Object>> readJsonl(Path file) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(FlinkFiles.open(file), StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(FlinkFiles.show(file) + " line " + number + " is not JSON: "
                            + e.getOriginalMessage());
                }
                if (!node.isObject()) {
                    throw new IllegalArgumentException(FlinkFiles.show(file) + " line " + number + " must be a JSON object");
                }
                rows.add(fields(node));
            }
        }
        return rows;
    }

    /**
     * A JSON object's text as a row value, read as a JSONL line's inner object is: for a struct written as JSON
     * in one CSV cell.
     *
     * @throws IllegalArgumentException with the parser's message when the text is not a JSON object
     */
    public static Map<String, Object> jsonObject(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return fields(node);
    }

    private static Map<String, Object> fields(JsonNode object) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), value(e.getValue()));
        }
        return out;
    }

    private static Object value(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>(v.size());
            for (JsonNode item : v) {
                list.add(value(item));
            }
            return list;
        }
        if (v.isObject()) {
            return fields(v);
        }
        return v.toString();
    }

    private static List<Map<String, Object>> readCsv(Path file) throws IOException {
        String text = FlinkFiles.readString(file);
        List<List<String>> records = Csv.parse(text, FlinkFiles.show(file));
        if (records.isEmpty()) {
            return List.of();
        }
        List<String> header = records.get(0);
        List<Map<String, Object>> rows = new ArrayList<>(records.size() - 1);
        for (int r = 1; r < records.size(); r++) {
            List<String> cells = records.get(r);
            if (cells.size() == 1 && cells.get(0).isEmpty()) {
                continue; // a blank line
            }
            if (cells.size() != header.size()) {
                throw new IllegalArgumentException(FlinkFiles.show(file) + " record " + (r + 1) + " has " + cells.size()
                        + " cells; the header has " + header.size());
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                row.put(header.get(c), csvValue(cells.get(c)));
            }
            rows.add(row);
        }
        return rows;
    }

    private static Object csvValue(String cell) {
        String t = cell.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            try {
                return value(JSON.readTree(t));
            } catch (IOException e) {
                return cell; // text that only looks like a list
            }
        }
        return cell;
    }
}
