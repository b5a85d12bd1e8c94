package io.friendliflink.job.rows;

import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.files.FlinkInputFile;
import io.friendliflink.job.files.FlinkOutputFile;
import io.friendliflink.sink.ParquetCompression;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.flink.core.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet files read and written with parquet-avro through Flink's file systems ({@link FlinkFiles}), without
 * Hadoop's.
 */
public final class ParquetRows {
    private ParquetRows() {}

    /**
     * Every row of a file as plain Java values (see {@link Table}), a struct column as a {@code Map}.
     *
     * @throws IOException also for what parquet-mr refuses unchecked, such as a file that is not Parquet
     */
    public static List<Map<String, Object>> read(Path file) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            forEach(file, null, r -> rows.add(fields(r)));
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
        return rows;
    }

    /**
     * Calls {@code action} for each record of {@code file}; with a {@code projection}, only its columns are
     * read from disk (the rest of each record is never decoded).
     */
    public static void forEach(Path file, Schema projection, Consumer<GenericRecord> action) throws IOException {
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        if (projection != null) {
            conf.set(AvroReadSupport.AVRO_REQUESTED_PROJECTION, projection.toString());
        }
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new FlinkInputFile(file))
                .withDataModel(GenericData.get())
                .withConf(conf)
                .build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                action.accept(r);
            }
        }
    }

    /**
     * The Parquet part files of a directory that readers see: names ending in {@code .parquet} and not
     * starting with {@code .} or {@code _} (a sink's in-progress files are hidden). Empty when the directory
     * does not exist.
     */
    public static List<Path> visibleFiles(Path dir) throws IOException {
        return FlinkFiles.files(dir).stream().filter(f -> {
            String name = f.getName();
            return name.endsWith(".parquet") && !name.startsWith(".") && !name.startsWith("_");
        }).toList();
    }

    /**
     * Writes {@code records} to {@code file}, replacing it; a reader never sees half a file (see
     * {@link FlinkFiles#write}).
     */
    public static void write(Path file, Schema schema, Collection<GenericRecord> records, ParquetCompression compression)
            throws IOException {
        boolean local = FlinkFiles.isLocal(file);
        Path target = local ? FlinkFiles.sibling(file, "." + file.getName() + ".tmp") : file;
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new FlinkOutputFile(target))
                .withSchema(schema)
                .withDataModel(GenericData.get())
                .withConf(listsAsReadersExpect())
                .withCompressionCodec(CompressionCodecName.valueOf(compression.name()))
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (GenericRecord r : records) {
                writer.write(r);
            }
        }
        if (local) {
            FlinkFiles.replace(target, file);
        }
    }

    /** Lists in the standard three-level layout ({@code list<element>}), as Spark, pyarrow and DuckDB write them. */
    public static PlainParquetConfiguration listsAsReadersExpect() {
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.set("parquet.avro.write-old-list-structure", "false");
        return conf;
    }

    private static Map<String, Object> fields(GenericRecord r) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Schema.Field f : r.getSchema().getFields()) {
            out.put(f.name(), plain(r.get(f.pos())));
        }
        return out;
    }

    /**
     * Avro's values as plain Java ones: a record (a struct) or a map is a {@code Map}; a list element wrapped in
     * a one-field record (the element record of some writers' lists) is the element.
     */
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
        if (v instanceof Long || v instanceof Boolean || v instanceof Double) {
            return v;
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
            return fields(r);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((key, value) -> out.put(key.toString(), plain(value)));
            return out;
        }
        return v.toString();
    }
}
