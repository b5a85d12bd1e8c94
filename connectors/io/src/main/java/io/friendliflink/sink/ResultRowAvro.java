package io.friendliflink.sink;

import static io.friendliflink.sink.AvroSchemas.elementRecord;
import static io.friendliflink.sink.AvroSchemas.nonNull;
import static io.friendliflink.sink.AvroSchemas.pos;

import io.friendliflink.api.response.TokenLogprob;
import io.friendliflink.api.response.ToolCall;
import io.friendliflink.api.response.TopLogprob;
import io.friendliflink.api.response.Usage;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Maps a {@link ResultRow} onto the results schema ({@code result-row.avsc}).
 *
 * <p>Choices, tool calls, log-probabilities and their top alternatives become nested lists of structs, so
 * query engines address them directly, e.g. in DuckDB {@code choices[1].logprobs[1].top_logprobs[1].token}.
 * Integer lists (token ids, bytes) are passed through without copying.
 */
public enum ResultRowAvro implements AvroRowMapping<ResultRow> {
    INSTANCE;

    /** The results schema. */
    public static final Schema SCHEMA = AvroSchemas.load("result-row.avsc");

    private static final Schema CHOICE = elementRecord(SCHEMA, "choices");
    private static final Schema TOOL_CALL = elementRecord(CHOICE, "tool_calls");
    private static final Schema TOKEN = elementRecord(CHOICE, "logprobs");
    private static final Schema TOP = elementRecord(TOKEN, "top_logprobs");
    private static final Schema USAGE = nonNull(SCHEMA.getField("usage").schema());

    private static final int CUSTOM_ID = pos(SCHEMA, "custom_id");
    private static final int URL = pos(SCHEMA, "url");
    private static final int MODEL = pos(SCHEMA, "model");
    private static final int RESPONSE_ID = pos(SCHEMA, "response_id");
    private static final int HTTP_STATUS = pos(SCHEMA, "http_status");
    private static final int ATTEMPTS = pos(SCHEMA, "attempts");
    private static final int LATENCY_MS = pos(SCHEMA, "latency_ms");
    private static final int TOTAL_MS = pos(SCHEMA, "total_ms");
    private static final int TEXT = pos(SCHEMA, "text");
    private static final int FINISH_REASON = pos(SCHEMA, "finish_reason");
    private static final int CHOICES = pos(SCHEMA, "choices");
    private static final int USAGE_FIELD = pos(SCHEMA, "usage");
    private static final int RESPONSE_JSON = pos(SCHEMA, "response_json");

    private static final int C_INDEX = pos(CHOICE, "index");
    private static final int C_FINISH_REASON = pos(CHOICE, "finish_reason");
    private static final int C_TEXT = pos(CHOICE, "text");
    private static final int C_ROLE = pos(CHOICE, "role");
    private static final int C_SEED = pos(CHOICE, "seed");
    private static final int C_TOKENS = pos(CHOICE, "tokens");
    private static final int C_TOOL_CALLS = pos(CHOICE, "tool_calls");
    private static final int C_LOGPROBS = pos(CHOICE, "logprobs");

    private static final int TC_ID = pos(TOOL_CALL, "id");
    private static final int TC_TYPE = pos(TOOL_CALL, "type");
    private static final int TC_NAME = pos(TOOL_CALL, "name");
    private static final int TC_ARGUMENTS = pos(TOOL_CALL, "arguments");

    private static final int T_TOKEN = pos(TOKEN, "token");
    private static final int T_LOGPROB = pos(TOKEN, "logprob");
    private static final int T_BYTES = pos(TOKEN, "bytes");
    private static final int T_TEXT_OFFSET = pos(TOKEN, "text_offset");
    private static final int T_TOP = pos(TOKEN, "top_logprobs");

    private static final int TOP_TOKEN = pos(TOP, "token");
    private static final int TOP_LOGPROB = pos(TOP, "logprob");

    private static final int U_PROMPT = pos(USAGE, "prompt_tokens");
    private static final int U_COMPLETION = pos(USAGE, "completion_tokens");
    private static final int U_TOTAL = pos(USAGE, "total_tokens");
    private static final int U_CACHED = pos(USAGE, "cached_tokens");

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public GenericRecord toRecord(ResultRow row) {
        GenericData.Record r = new GenericData.Record(SCHEMA);
        r.put(CUSTOM_ID, row.customId());
        r.put(URL, row.url());
        r.put(MODEL, row.model());
        r.put(RESPONSE_ID, row.responseId());
        r.put(HTTP_STATUS, row.httpStatus());
        r.put(ATTEMPTS, row.attempts());
        r.put(LATENCY_MS, row.latencyMs());
        r.put(TOTAL_MS, row.totalMs());
        r.put(TEXT, row.text());
        r.put(FINISH_REASON, row.finishReason());
        List<ChoiceRow> choices = row.choices();
        List<GenericRecord> choiceRecords = new ArrayList<>(choices.size());
        for (ChoiceRow c : choices) {
            choiceRecords.add(choice(c));
        }
        r.put(CHOICES, choiceRecords);
        r.put(USAGE_FIELD, row.usage() == null ? null : usage(row.usage()));
        r.put(RESPONSE_JSON, row.responseJson());
        return r;
    }

    private static GenericRecord choice(ChoiceRow c) {
        GenericData.Record r = new GenericData.Record(CHOICE);
        r.put(C_INDEX, c.index());
        r.put(C_FINISH_REASON, c.finishReason());
        r.put(C_TEXT, c.text());
        r.put(C_ROLE, c.role());
        r.put(C_SEED, c.seed());
        r.put(C_TOKENS, c.tokens());
        List<GenericRecord> calls = new ArrayList<>(c.toolCalls().size());
        for (ToolCall call : c.toolCalls()) {
            GenericData.Record t = new GenericData.Record(TOOL_CALL);
            t.put(TC_ID, call.id());
            t.put(TC_TYPE, call.type());
            t.put(TC_NAME, call.name());
            t.put(TC_ARGUMENTS, call.arguments());
            calls.add(t);
        }
        r.put(C_TOOL_CALLS, calls);
        r.put(C_LOGPROBS, c.logprobs() == null ? null : tokens(c.logprobs()));
        return r;
    }

    private static List<GenericRecord> tokens(List<TokenLogprob> logprobs) {
        List<GenericRecord> out = new ArrayList<>(logprobs.size());
        for (TokenLogprob lp : logprobs) {
            GenericData.Record t = new GenericData.Record(TOKEN);
            t.put(T_TOKEN, lp.token());
            t.put(T_LOGPROB, lp.logprob());
            t.put(T_BYTES, lp.bytes());
            t.put(T_TEXT_OFFSET, lp.textOffset());
            List<GenericRecord> tops = new ArrayList<>(lp.topLogprobs().size());
            for (TopLogprob top : lp.topLogprobs()) {
                GenericData.Record a = new GenericData.Record(TOP);
                a.put(TOP_TOKEN, top.token());
                a.put(TOP_LOGPROB, top.logprob());
                tops.add(a);
            }
            t.put(T_TOP, tops);
            out.add(t);
        }
        return out;
    }

    private static GenericRecord usage(Usage u) {
        GenericData.Record r = new GenericData.Record(USAGE);
        r.put(U_PROMPT, u.promptTokens());
        r.put(U_COMPLETION, u.completionTokens());
        r.put(U_TOTAL, u.totalTokens());
        r.put(U_CACHED, u.cachedTokens());
        return r;
    }
}
