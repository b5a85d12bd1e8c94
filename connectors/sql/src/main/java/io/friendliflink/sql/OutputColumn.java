package io.friendliflink.sql;

import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;

/**
 * A column the friendli provider can fill, by its name in {@code CREATE MODEL ... OUTPUT (...)}, with the type it
 * must be declared with, written once as SQL (error messages and the README show it as it is).
 */
enum OutputColumn {
    /** The generated text (the first choice's text or message content). */
    TEXT("text", "STRING"),
    /** {@code stop}, {@code length} or {@code tool_calls}. */
    FINISH_REASON("finish_reason", "STRING"),
    /** {@code usage.prompt_tokens}. */
    PROMPT_TOKENS("prompt_tokens", "INT"),
    /** {@code usage.completion_tokens}. */
    COMPLETION_TOKENS("completion_tokens", "INT"),
    /** {@code usage.total_tokens}. */
    TOTAL_TOKENS("total_tokens", "INT"),
    /** Each generated token with its log-probability and the top alternatives. */
    LOGPROBS("logprobs",
            "ARRAY<ROW<token STRING, logprob DOUBLE, top_logprobs ARRAY<ROW<token STRING, logprob DOUBLE>>>>"),
    /** The first choice's tool calls, a JSON array. */
    TOOL_CALLS("tool_calls", "STRING"),
    /** The endpoint's response body as it came. */
    RESPONSE("response", "STRING"),
    // The job's results/ layout (README, Output), so that SQL can write the same Parquet files.
    /** The model as the endpoint answered. */
    MODEL("model", "STRING"),
    /** The response's id. */
    RESPONSE_ID("response_id", "STRING"),
    /** From the first send to the answer, in milliseconds. */
    TOTAL_MS("total_ms", "BIGINT"),
    /** Every choice, as the job's results/ have them. */
    CHOICES("choices", "ARRAY<ROW<`index` INT, finish_reason STRING, text STRING, `role` STRING, seed BIGINT,"
            + " tokens ARRAY<INT>, tool_calls ARRAY<ROW<id STRING, `type` STRING, name STRING, arguments STRING>>,"
            + " logprobs ARRAY<ROW<token STRING, logprob DOUBLE, `bytes` ARRAY<INT>, text_offset INT,"
            + " top_logprobs ARRAY<ROW<token STRING, logprob DOUBLE>>>>>>"),
    /** The token counts, as the job's results/ have them. */
    USAGE("usage", "ROW<prompt_tokens INT, completion_tokens INT, total_tokens INT, cached_tokens INT>"),
    /** The same as response, named as in the job's results/. */
    RESPONSE_JSON("response_json", "STRING"),
    /** Why the row has no answer (invalid_request, rate_limited, ...), else null. */
    ERROR_TYPE("error_type", "STRING"),
    /** What happened, for a row without an answer. */
    ERROR_MESSAGE("error_message", "STRING"),
    /** The last answer's HTTP status, null when none came. */
    HTTP_STATUS("http_status", "INT"),
    /** How many times the request was sent. */
    ATTEMPTS("attempts", "INT"),
    /** The answering attempt's latency in milliseconds. */
    LATENCY_MS("latency_ms", "BIGINT");

    private final String columnName;
    private final String sqlType;
    /** {@link #sqlType} parsed, or {@code null} for {@code STRING}, which any character string type may hold. */
    private final LogicalType type;

    OutputColumn(String columnName, String sqlType) {
        this.columnName = columnName;
        this.sqlType = sqlType;
        this.type = sqlType.equals("STRING")
                ? null : LogicalTypeParser.parse(sqlType, OutputColumn.class.getClassLoader());
    }

    String columnName() {
        return columnName;
    }

    String sqlType() {
        return sqlType;
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

    /** Whether a column of type {@code declared} holds this column's values (nullability, string lengths aside). */
    boolean accepts(LogicalType declared) {
        return type == null ? declared.is(LogicalTypeFamily.CHARACTER_STRING) : declared.copy(true).equals(type);
    }
}
