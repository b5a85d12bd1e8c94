package io.friendliflink.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.api.response.Choice;
import io.friendliflink.api.response.InferenceResult;
import io.friendliflink.api.response.TokenLogprob;
import io.friendliflink.api.response.ToolCall;
import io.friendliflink.api.response.TopLogprob;
import io.friendliflink.api.response.Usage;
import io.friendliflink.datastream.Answered;
import io.friendliflink.datastream.Failed;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;

/**
 * The model's {@code OUTPUT (...)} columns, in their order, and how an answer or a failure fills them.
 *
 * <p>Columns are matched by name ({@link OutputColumn}); one {@code STRING} column of another name is the text,
 * so a model declared for the {@code openai} provider works unchanged.
 */
final class OutputColumns implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OutputColumn[] columns;

    private OutputColumns(OutputColumn[] columns) {
        this.columns = columns;
    }

    /** @throws IllegalArgumentException naming an unknown column or a wrong type, with the columns there are */
    static OutputColumns of(ResolvedSchema output) {
        List<Column> declared = output.getColumns();
        if (declared.isEmpty()) {
            throw new IllegalArgumentException("the model needs an output column, e.g. OUTPUT (text STRING)");
        }
        for (Column c : declared) {
            if (!c.getDataType().getLogicalType().isNullable()) {
                throw new IllegalArgumentException("output column '" + c.getName() + "' must be nullable (drop NOT"
                        + " NULL): a row whose request failed has no " + c.getName() + ", yet comes out");
            }
        }
        if (declared.size() == 1 && OutputColumn.named(declared.get(0).getName()) == null
                && declared.get(0).getDataType().getLogicalType().is(LogicalTypeFamily.CHARACTER_STRING)) {
            return new OutputColumns(new OutputColumn[] {OutputColumn.TEXT});
        }
        List<OutputColumn> columns = new ArrayList<>();
        for (Column c : declared) {
            OutputColumn column = OutputColumn.named(c.getName());
            LogicalType type = c.getDataType().getLogicalType();
            if (column == null) {
                throw new IllegalArgumentException("output column '" + c.getName() + "' is not one the friendli"
                        + " provider fills; it fills " + known());
            }
            if (!column.accepts(type)) {
                throw new IllegalArgumentException("output column '" + c.getName() + "' must be "
                        + column.sqlType() + ", but is " + type);
            }
            columns.add(column);
        }
        return new OutputColumns(columns.toArray(OutputColumn[]::new));
    }

    static String known() {
        return Arrays.stream(OutputColumn.values()).map(c -> c.columnName() + " " + c.sqlType())
                .collect(Collectors.joining(", "));
    }

    RowData answered(Answered<?> answered) {
        InferenceResult result = answered.result();
        Choice first = result == null || result.choices().isEmpty() ? null : result.choices().get(0);
        Usage usage = result == null ? null : result.usage();
        GenericRowData row = new GenericRowData(columns.length);
        for (int i = 0; i < columns.length; i++) {
            row.setField(i, switch (columns[i]) {
                case TEXT -> first == null ? null : string(first.text());
                case FINISH_REASON -> first == null ? null : string(first.finishReason());
                case PROMPT_TOKENS -> usage == null ? null : usage.promptTokens();
                case COMPLETION_TOKENS -> usage == null ? null : usage.completionTokens();
                case TOTAL_TOKENS -> usage == null ? null : usage.totalTokens();
                case LOGPROBS -> first == null || first.logprobs() == null
                        ? null : logprobs(first.logprobs().content());
                case TOOL_CALLS -> first == null || first.toolCalls().isEmpty() ? null : toolCalls(first.toolCalls());
                case RESPONSE, RESPONSE_JSON -> string(answered.body());
                case MODEL -> result == null ? null : string(result.model());
                case RESPONSE_ID -> result == null ? null : string(result.id());
                case TOTAL_MS -> answered.totalLatencyMs();
                case CHOICES -> result == null ? null : choices(result.choices());
                case USAGE -> usage == null ? null : GenericRowData.of(usage.promptTokens(), usage.completionTokens(),
                        usage.totalTokens(), usage.cachedTokens());
                case ERROR_TYPE, ERROR_MESSAGE -> null;
                case HTTP_STATUS -> answered.status();
                case ATTEMPTS -> answered.attempts();
                case LATENCY_MS -> answered.latencyMs();
            });
        }
        return row;
    }

    RowData failed(Failed<?> failed) {
        GenericRowData row = new GenericRowData(columns.length);
        for (int i = 0; i < columns.length; i++) {
            row.setField(i, switch (columns[i]) {
                case ERROR_TYPE -> string(failed.errorType());
                case ERROR_MESSAGE -> string(failed.message());
                case HTTP_STATUS -> failed.status();
                case ATTEMPTS -> failed.attempts();
                default -> null;
            });
        }
        return row;
    }

    private static StringData string(String s) {
        return s == null ? null : StringData.fromString(s);
    }

    private static GenericArrayData logprobs(List<TokenLogprob> tokens) {
        Object[] rows = new Object[tokens.size()];
        for (int i = 0; i < rows.length; i++) {
            TokenLogprob t = tokens.get(i);
            rows[i] = GenericRowData.of(string(t.token()), t.logprob(), tops(t.topLogprobs()));
        }
        return new GenericArrayData(rows);
    }

    private static GenericArrayData choices(List<Choice> choices) {
        Object[] rows = new Object[choices.size()];
        for (int i = 0; i < rows.length; i++) {
            Choice c = choices.get(i);
            Object[] calls = new Object[c.toolCalls().size()];
            for (int j = 0; j < calls.length; j++) {
                ToolCall call = c.toolCalls().get(j);
                calls[j] = GenericRowData.of(string(call.id()), string(call.type()), string(call.name()),
                        string(call.arguments()));
            }
            rows[i] = GenericRowData.of(c.index(), string(c.finishReason()), string(c.text()), string(c.role()),
                    c.seed(), c.tokens() == null ? null : ints(c.tokens()), new GenericArrayData(calls),
                    c.logprobs() == null ? null : tokenLogprobs(c.logprobs().content()));
        }
        return new GenericArrayData(rows);
    }

    /** The job's shape of a token's log-probability: with its bytes and text offset. */
    private static GenericArrayData tokenLogprobs(List<TokenLogprob> tokens) {
        Object[] rows = new Object[tokens.size()];
        for (int i = 0; i < rows.length; i++) {
            TokenLogprob t = tokens.get(i);
            rows[i] = GenericRowData.of(string(t.token()), t.logprob(), t.bytes() == null ? null : ints(t.bytes()),
                    t.textOffset(), tops(t.topLogprobs()));
        }
        return new GenericArrayData(rows);
    }

    private static GenericArrayData ints(List<Integer> values) {
        return new GenericArrayData(values.toArray(Integer[]::new));
    }

    private static GenericArrayData tops(List<TopLogprob> alternatives) {
        Object[] top = new Object[alternatives.size()];
        for (int j = 0; j < top.length; j++) {
            TopLogprob alt = alternatives.get(j);
            top[j] = GenericRowData.of(string(alt.token()), alt.logprob());
        }
        return new GenericArrayData(top);
    }

    private static StringData toolCalls(List<ToolCall> calls) {
        ArrayNode array = JSON.createArrayNode();
        for (ToolCall call : calls) {
            ObjectNode node = array.addObject();
            node.put("id", call.id());
            node.put("type", call.type());
            ObjectNode function = node.putObject("function");
            function.put("name", call.name());
            function.put("arguments", call.arguments());
        }
        return string(array.toString());
    }
}
