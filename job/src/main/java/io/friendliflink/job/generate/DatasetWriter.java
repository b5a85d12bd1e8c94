package io.friendliflink.job.generate;

import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.rows.ParquetRows;
import io.friendliflink.job.rows.Template;
import io.friendliflink.sink.ParquetCompression;
import io.friendliflink.sink.ParquetSinks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.fs.Path;

/**
 * The generate mode after the run: {@code <output>/dataset/dataset.parquet}, one row per generated sample
 * in input order, the input row's columns next to {@code custom_id}, {@code sample}, {@code seed},
 * {@code generation} (the text, or a chat answer's content), {@code finish_reason}, the answering {@code model} and
 * its token counts ({@code prompt_tokens}, {@code completion_tokens}, {@code total_tokens}); then, when the
 * {@code json_schema} of the requests is an object of scalar fields, one typed column per field ({@link SchemaFields}).
 *
 * <p>Input columns keep their type where all values agree (whole numbers, numbers, booleans, texts, lists of
 * texts); any other column is written as JSON text. Samples whose request failed are not in the dataset;
 * their rows are in {@code errors/} and their number is returned.
 */
public final class DatasetWriter {
    public static final String DIR = "dataset";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private DatasetWriter() {}

    /** What was written. */
    public record Written(Path file, long samples, long missing) {}

    public static Written write(GenerationPlan plan, Path output, ParquetCompression compression) throws IOException {
        Map<String, Generated> generated = new HashMap<>();
        for (Path file : ParquetRows.visibleFiles(FlinkFiles.child(output, ParquetSinks.RESULTS_DIR))) {
            ParquetRows.forEach(file, null, r -> generated.putIfAbsent(r.get("custom_id").toString(), sample(r)));
        }
        List<String> columns = plan.table().columns();
        Map<String, Kind> kinds = new HashMap<>();
        for (String c : columns) {
            kinds.put(c, Kind.of(plan.table().rows(), c));
        }
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("Sample")
                .namespace("io.friendliflink.dataset").fields();
        for (String c : columns) {
            fields = kinds.get(c).field(fields, c);
        }
        fields = fields
                .requiredString("custom_id")
                .requiredInt("sample")
                .requiredLong("seed")
                .optionalString("generation")
                .optionalString("finish_reason")
                .optionalString("model")
                .optionalInt("prompt_tokens")
                .optionalInt("completion_tokens")
                .optionalInt("total_tokens");
        List<String> taken = new ArrayList<>(columns);
        taken.addAll(GenerateSettings.SAMPLE_COLUMNS);
        SchemaFields typed = SchemaFields.of(plan.settings().responseFormat(), taken);
        Schema schema = typed.addTo(fields).endRecord();
        List<GenericRecord> records = new ArrayList<>();
        long missing = 0;
        GenerateSettings settings = plan.settings();
        for (int r = 0; r < plan.table().size(); r++) {
            Map<String, Object> row = plan.table().rows().get(r);
            for (int sample = 0; sample < settings.n(); sample++) {
                String id = plan.rowIds().get(r) + GenerationPlan.SAMPLE_SEPARATOR + sample;
                Generated out = generated.get(id);
                if (out == null) {
                    missing++;
                    continue;
                }
                GenericRecord record = new GenericData.Record(schema);
                for (String c : columns) {
                    record.put(c, kinds.get(c).avro(row.get(c)));
                }
                record.put("custom_id", id);
                record.put("sample", sample);
                record.put("seed", settings.seed() + sample);
                record.put("generation", out.text());
                record.put("finish_reason", out.finishReason());
                record.put("model", out.model());
                record.put("prompt_tokens", out.promptTokens());
                record.put("completion_tokens", out.completionTokens());
                record.put("total_tokens", out.totalTokens());
                List<Object> values = typed.values(out.text());
                int k = 0;
                for (String field : typed.types().keySet()) {
                    record.put(field, values.get(k++));
                }
                records.add(record);
            }
        }
        Path file = FlinkFiles.child(FlinkFiles.child(output, DIR), "dataset.parquet");
        ParquetRows.write(file, schema, records, compression);
        return new Written(file, records.size(), missing);
    }

    /** What a dataset row takes from its results row. */
    private record Generated(String text, String finishReason, String model, Integer promptTokens,
            Integer completionTokens, Integer totalTokens) {}

    private static Generated sample(GenericRecord r) {
        String[] textAndReason = textAndReason(r);
        GenericRecord usage = (GenericRecord) r.get("usage");
        return new Generated(textAndReason[0], textAndReason[1], r.get("model") == null ? null : r.get("model").toString(),
                usage == null ? null : (Integer) usage.get("prompt_tokens"),
                usage == null ? null : (Integer) usage.get("completion_tokens"),
                usage == null ? null : (Integer) usage.get("total_tokens"));
    }

    @SuppressWarnings("unchecked")
    private static String[] textAndReason(GenericRecord r) {
        List<GenericRecord> choices = (List<GenericRecord>) r.get("choices");
        if (choices == null || choices.isEmpty()) {
            return new String[] {null, null};
        }
        GenericRecord c = choices.get(0);
        Object text = c.get("text");
        Object reason = c.get("finish_reason");
        if (text == null) {
            // A chat answer that only calls tools: its calls are the generation.
            List<GenericRecord> calls = (List<GenericRecord>) c.get("tool_calls");
            if (calls != null && !calls.isEmpty()) {
                com.fasterxml.jackson.databind.node.ArrayNode array = JSON.createArrayNode();
                for (GenericRecord call : calls) {
                    array.addObject()
                            .put("name", call.get("name") == null ? null : call.get("name").toString())
                            .put("arguments", call.get("arguments") == null ? null : call.get("arguments").toString());
                }
                text = array.toString();
            }
        }
        return new String[] {text == null ? null : text.toString(), reason == null ? null : reason.toString()};
    }

    /** The Parquet type an input column gets. */
    private enum Kind {
        LONG, DOUBLE, BOOLEAN, STRING, STRING_LIST, JSON;

        static Kind of(List<Map<String, Object>> rows, String column) {
            Kind kind = null;
            for (Map<String, Object> row : rows) {
                Object v = row.get(column);
                if (v == null) {
                    continue;
                }
                Kind k = v instanceof Long ? LONG : v instanceof Double ? DOUBLE : v instanceof Boolean ? BOOLEAN
                        : v instanceof String ? STRING
                        : v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String) ? STRING_LIST : JSON;
                if (kind == null) {
                    kind = k;
                } else if (kind != k) {
                    kind = (kind == LONG && k == DOUBLE) || (kind == DOUBLE && k == LONG) ? DOUBLE : JSON;
                }
            }
            return kind == null ? STRING : kind;
        }

        SchemaBuilder.FieldAssembler<Schema> field(SchemaBuilder.FieldAssembler<Schema> f, String name) {
            return switch (this) {
                case LONG -> f.optionalLong(name);
                case DOUBLE -> f.optionalDouble(name);
                case BOOLEAN -> f.optionalBoolean(name);
                case STRING, JSON -> f.optionalString(name);
                case STRING_LIST -> f.name(name).type().optional().array().items().stringType();
            };
        }

        Object avro(Object v) {
            if (v == null) {
                return null;
            }
            return switch (this) {
                case DOUBLE -> ((Number) v).doubleValue();
                case JSON -> Template.asText(v);
                default -> v;
            };
        }
    }
}
