package io.friendliflink.sql;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/** A column the friendli provider can fill, by its name in {@code CREATE MODEL ... OUTPUT (...)}. */
enum OutputColumn {
    TEXT("text", "STRING", "the generated text (the first choice's text or message content)"),
    FINISH_REASON("finish_reason", "STRING", "stop, length or tool_calls"),
    PROMPT_TOKENS("prompt_tokens", "INT", "usage.prompt_tokens"),
    COMPLETION_TOKENS("completion_tokens", "INT", "usage.completion_tokens"),
    TOTAL_TOKENS("total_tokens", "INT", "usage.total_tokens"),
    LOGPROBS("logprobs",
            "ARRAY<ROW<token STRING, logprob DOUBLE, top_logprobs ARRAY<ROW<token STRING, logprob DOUBLE>>>>",
            "each generated token with its log-probability and the top alternatives"),
    TOOL_CALLS("tool_calls", "STRING", "the first choice's tool calls, a JSON array"),
    RESPONSE("response", "STRING", "the endpoint's response body as it came"),
    // The job's results/ layout (README, Output), so that SQL can write the same Parquet files.
    MODEL("model", "STRING", "the model as the endpoint answered"),
    RESPONSE_ID("response_id", "STRING", "the response's id"),
    TOTAL_MS("total_ms", "BIGINT", "from the first send to the answer, in milliseconds"),
    CHOICES("choices", "ARRAY<ROW<`index` INT, finish_reason STRING, text STRING, `role` STRING, seed BIGINT,"
            + " tokens ARRAY<INT>, tool_calls ARRAY<ROW<id STRING, `type` STRING, name STRING, arguments STRING>>,"
            + " logprobs ARRAY<ROW<token STRING, logprob DOUBLE, `bytes` ARRAY<INT>, text_offset INT,"
            + " top_logprobs ARRAY<ROW<token STRING, logprob DOUBLE>>>>>>",
            "every choice, as the job's results/ have them"),
    USAGE("usage", "ROW<prompt_tokens INT, completion_tokens INT, total_tokens INT, cached_tokens INT>",
            "the token counts, as the job's results/ have them"),
    RESPONSE_JSON("response_json", "STRING", "the same as response, named as in the job's results/"),
    ERROR_TYPE("error_type", "STRING", "why the row has no answer (invalid_request, rate_limited, ...), else null"),
    ERROR_MESSAGE("error_message", "STRING", "what happened, for a row without an answer"),
    HTTP_STATUS("http_status", "INT", "the last answer's HTTP status, null when none came"),
    ATTEMPTS("attempts", "INT", "how many times the request was sent"),
    LATENCY_MS("latency_ms", "BIGINT", "the answering attempt's latency in milliseconds");

    private final String columnName;
    private final String sqlType;
    private final String description;

    OutputColumn(String columnName, String sqlType, String description) {
        this.columnName = columnName;
        this.sqlType = sqlType;
        this.description = description;
    }

    String columnName() {
        return columnName;
    }

    String sqlType() {
        return sqlType;
    }

    String description() {
        return description;
    }

    /** The column named {@code name}, or {@code null}. */
    static OutputColumn named(String name) {
        for (OutputColumn c : values()) {
            if (c.columnName.equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** Whether a column of {@code type} can hold this column's values (nullability and string lengths aside). */
    boolean accepts(LogicalType type) {
        return switch (this) {
            case TEXT, FINISH_REASON, TOOL_CALLS, RESPONSE, ERROR_TYPE, ERROR_MESSAGE, MODEL, RESPONSE_ID,
                    RESPONSE_JSON ->
                    type.is(LogicalTypeFamily.CHARACTER_STRING);
            case PROMPT_TOKENS, COMPLETION_TOKENS, TOTAL_TOKENS, HTTP_STATUS, ATTEMPTS ->
                    type.is(LogicalTypeRoot.INTEGER);
            case LATENCY_MS, TOTAL_MS -> type.is(LogicalTypeRoot.BIGINT);
            case LOGPROBS -> type.copy(true).equals(logprobsType());
            case CHOICES -> type.copy(true).equals(choicesType());
            case USAGE -> type.copy(true).equals(usageType());
        };
    }

    static LogicalType choicesType() {
        DataType top = DataTypes.ROW(DataTypes.FIELD("token", DataTypes.STRING()),
                DataTypes.FIELD("logprob", DataTypes.DOUBLE()));
        DataType token = DataTypes.ROW(DataTypes.FIELD("token", DataTypes.STRING()),
                DataTypes.FIELD("logprob", DataTypes.DOUBLE()),
                DataTypes.FIELD("bytes", DataTypes.ARRAY(DataTypes.INT())),
                DataTypes.FIELD("text_offset", DataTypes.INT()),
                DataTypes.FIELD("top_logprobs", DataTypes.ARRAY(top)));
        DataType toolCall = DataTypes.ROW(DataTypes.FIELD("id", DataTypes.STRING()),
                DataTypes.FIELD("type", DataTypes.STRING()), DataTypes.FIELD("name", DataTypes.STRING()),
                DataTypes.FIELD("arguments", DataTypes.STRING()));
        return DataTypes.ARRAY(DataTypes.ROW(
                        DataTypes.FIELD("index", DataTypes.INT()),
                        DataTypes.FIELD("finish_reason", DataTypes.STRING()),
                        DataTypes.FIELD("text", DataTypes.STRING()),
                        DataTypes.FIELD("role", DataTypes.STRING()),
                        DataTypes.FIELD("seed", DataTypes.BIGINT()),
                        DataTypes.FIELD("tokens", DataTypes.ARRAY(DataTypes.INT())),
                        DataTypes.FIELD("tool_calls", DataTypes.ARRAY(toolCall)),
                        DataTypes.FIELD("logprobs", DataTypes.ARRAY(token))))
                .getLogicalType();
    }

    static LogicalType usageType() {
        return DataTypes.ROW(DataTypes.FIELD("prompt_tokens", DataTypes.INT()),
                        DataTypes.FIELD("completion_tokens", DataTypes.INT()),
                        DataTypes.FIELD("total_tokens", DataTypes.INT()),
                        DataTypes.FIELD("cached_tokens", DataTypes.INT()))
                .getLogicalType();
    }

    static LogicalType logprobsType() {
        return DataTypes.ARRAY(DataTypes.ROW(
                        DataTypes.FIELD("token", DataTypes.STRING()),
                        DataTypes.FIELD("logprob", DataTypes.DOUBLE()),
                        DataTypes.FIELD("top_logprobs", DataTypes.ARRAY(DataTypes.ROW(
                                DataTypes.FIELD("token", DataTypes.STRING()),
                                DataTypes.FIELD("logprob", DataTypes.DOUBLE()))))))
                .getLogicalType();
    }
}
