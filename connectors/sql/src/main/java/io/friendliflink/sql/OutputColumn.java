package io.friendliflink.sql;

import org.apache.flink.table.api.DataTypes;
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
            case TEXT, FINISH_REASON, TOOL_CALLS, RESPONSE, ERROR_TYPE, ERROR_MESSAGE ->
                    type.is(LogicalTypeFamily.CHARACTER_STRING);
            case PROMPT_TOKENS, COMPLETION_TOKENS, TOTAL_TOKENS, HTTP_STATUS, ATTEMPTS ->
                    type.is(LogicalTypeRoot.INTEGER);
            case LATENCY_MS -> type.is(LogicalTypeRoot.BIGINT);
            case LOGPROBS -> type.copy(true).equals(logprobsType());
        };
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
