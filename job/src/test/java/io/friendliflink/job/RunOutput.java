package io.friendliflink.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * The rows a finished run left in {@code results/} and {@code errors/}, read back with parquet-avro, as a
 * reader of the output would (hidden and in-progress files are not part of the output).
 */
record RunOutput(List<GenericRecord> results, List<GenericRecord> errors) {

    static RunOutput read(Path output) throws IOException {
        return new RunOutput(readDir(output.resolve("results")), readDir(output.resolve("errors")));
    }

    private static List<GenericRecord> readDir(Path dir) throws IOException {
        List<GenericRecord> rows = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return rows;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> !f.getFileName().toString().startsWith(".")
                    && !f.getFileName().toString().startsWith("_")).sorted().toList();
        }
        for (Path file : files) {
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                    .withDataModel(GenericData.get())
                    .withConf(new PlainParquetConfiguration())
                    .build()) {
                for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                    rows.add(r);
                }
            }
        }
        return rows;
    }

    static String str(GenericRecord r, String field) {
        Object v = r.get(field);
        return v == null ? null : v.toString();
    }

    /** Result rows by custom_id; fails when an id has two results. */
    Map<String, GenericRecord> resultsById() {
        Map<String, GenericRecord> byId = new LinkedHashMap<>();
        for (GenericRecord r : results) {
            GenericRecord earlier = byId.put(str(r, "custom_id"), r);
            assertThat(earlier).as("a second result row for %s", str(r, "custom_id")).isNull();
        }
        return byId;
    }

    /** Error rows of sent requests and refused lines by custom_id, duplicates of an earlier id left out. */
    Map<String, GenericRecord> errorsById() {
        Map<String, GenericRecord> byId = new LinkedHashMap<>();
        for (GenericRecord r : errors) {
            String id = str(r, "custom_id");
            if (id == null || "duplicate_custom_id".equals(str(r, "error_type"))) {
                continue;
            }
            GenericRecord earlier = byId.put(id, r);
            assertThat(earlier).as("a second error row for %s", id).isNull();
        }
        return byId;
    }

    /** How many error rows each error type has. */
    Map<String, Integer> errorTypeCounts() {
        Map<String, Integer> counts = new HashMap<>();
        for (GenericRecord r : errors) {
            counts.merge(str(r, "error_type"), 1, Integer::sum);
        }
        return counts;
    }

    List<GenericRecord> errorsOfType(String type) {
        return errors.stream().filter(r -> type.equals(str(r, "error_type"))).toList();
    }

    int rows() {
        return results.size() + errors.size();
    }
}
