package io.friendliflink.sink;

import io.friendliflink.api.response.TokenLogprob;
import io.friendliflink.api.response.ToolCall;
import io.friendliflink.api.response.TopLogprob;
import io.friendliflink.api.response.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;

/** Reads written Parquet files back with parquet-avro, independently of the code that wrote them. */
final class ParquetFiles {
    private ParquetFiles() {}

    /** Every file in a directory, hidden ones included, sorted by name. */
    static List<Path> allFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    static List<ResultRow> readResults(Path dir) throws IOException {
        return readAll(dir, ParquetFiles::toResultRow);
    }

    static List<ErrorRow> readErrors(Path dir) throws IOException {
        return readAll(dir, ParquetFiles::toErrorRow);
    }

    /** The files a reader of the directory sees: Spark, Hive and DuckDB's {@code *.parquet} skip hidden ones. */
    static List<Path> visibleFiles(Path dir) throws IOException {
        return allFiles(dir).stream()
                .filter(f -> !f.getFileName().toString().startsWith(".")
                        && !f.getFileName().toString().startsWith("_"))
                .toList();
    }

    static <T> List<T> readAll(Path dir, Function<GenericRecord, T> convert) throws IOException {
        List<T> rows = new ArrayList<>();
        for (Path file : visibleFiles(dir)) {
            rows.addAll(read(file, convert));
        }
        return rows;
    }

    static <T> List<T> read(Path file, Function<GenericRecord, T> convert) throws IOException {
        List<T> rows = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withDataModel(GenericData.get())
                .withConf(new PlainParquetConfiguration())
                .build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                rows.add(convert.apply(r));
            }
        }
        return rows;
    }

    static ParquetMetadata footer(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            return reader.getFooter();
        }
    }

    /** The compression codecs of all column chunks of a file. */
    static Set<String> codecs(Path file) throws IOException {
        Set<String> codecs = new TreeSet<>();
        for (BlockMetaData block : footer(file).getBlocks()) {
            for (ColumnChunkMetaData column : block.getColumns()) {
                codecs.add(column.getCodec().name());
            }
        }
        return codecs;
    }

    /**
     * What a row looks like after a round trip: the top alternatives' {@code bytes} are not stored (the
     * token's own bytes are, and the raw response keeps everything).
     */
    static ResultRow asStored(ResultRow row) {
        List<ChoiceRow> choices = new ArrayList<>();
        for (ChoiceRow c : row.choices()) {
            List<TokenLogprob> logprobs = null;
            if (c.logprobs() != null) {
                logprobs = new ArrayList<>();
                for (TokenLogprob t : c.logprobs()) {
                    List<TopLogprob> tops = new ArrayList<>();
                    for (TopLogprob top : t.topLogprobs()) {
                        tops.add(new TopLogprob(top.token(), top.logprob(), null));
                    }
                    logprobs.add(new TokenLogprob(t.token(), t.logprob(), t.bytes(), t.textOffset(), tops));
                }
            }
            choices.add(new ChoiceRow(c.index(), c.finishReason(), c.text(), c.role(), c.seed(), c.tokens(),
                    c.toolCalls(), logprobs));
        }
        return new ResultRow(row.customId(), row.url(), row.model(), row.responseId(), row.httpStatus(),
                row.attempts(), row.latencyMs(), row.totalMs(), choices, row.usage(), row.responseJson());
    }

    static ResultRow toResultRow(GenericRecord r) {
        List<ChoiceRow> choices = new ArrayList<>();
        for (GenericRecord c : records(r.get("choices"))) {
            List<ToolCall> calls = new ArrayList<>();
            for (GenericRecord t : records(c.get("tool_calls"))) {
                calls.add(new ToolCall(str(t.get("id")), str(t.get("type")), str(t.get("name")),
                        str(t.get("arguments"))));
            }
            List<TokenLogprob> logprobs = null;
            if (c.get("logprobs") != null) {
                logprobs = new ArrayList<>();
                for (GenericRecord t : records(c.get("logprobs"))) {
                    List<TopLogprob> tops = new ArrayList<>();
                    for (GenericRecord top : records(t.get("top_logprobs"))) {
                        tops.add(new TopLogprob(str(top.get("token")), (Double) top.get("logprob"), null));
                    }
                    logprobs.add(new TokenLogprob(str(t.get("token")), (Double) t.get("logprob"),
                            ints(t.get("bytes")), (Integer) t.get("text_offset"), tops));
                }
            }
            choices.add(new ChoiceRow((Integer) c.get("index"), str(c.get("finish_reason")), str(c.get("text")),
                    str(c.get("role")), (Long) c.get("seed"), ints(c.get("tokens")), calls, logprobs));
        }
        GenericRecord u = (GenericRecord) r.get("usage");
        Usage usage = u == null ? null : new Usage((Integer) u.get("prompt_tokens"),
                (Integer) u.get("completion_tokens"), (Integer) u.get("total_tokens"), (Integer) u.get("cached_tokens"));
        return new ResultRow(str(r.get("custom_id")), str(r.get("url")), str(r.get("model")),
                str(r.get("response_id")), (Integer) r.get("http_status"), (Integer) r.get("attempts"),
                (Long) r.get("latency_ms"), (Long) r.get("total_ms"), choices, usage, str(r.get("response_json")));
    }

    static ErrorRow toErrorRow(GenericRecord r) {
        return new ErrorRow(str(r.get("custom_id")), str(r.get("error_type")), str(r.get("error_message")),
                (Integer) r.get("http_status"), (Integer) r.get("attempts"), str(r.get("input_line")),
                str(r.get("source")));
    }

    @SuppressWarnings("unchecked")
    private static List<GenericRecord> records(Object list) {
        return (List<GenericRecord>) list;
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> ints(Object list) {
        return list == null ? null : List.copyOf((List<Integer>) list);
    }

    private static String str(Object value) {
        return value == null ? null : value.toString();
    }
}
