package io.friendliflink.sink;

import io.friendliflink.api.response.Choice;
import io.friendliflink.api.response.InferenceResult;
import io.friendliflink.api.response.Logprobs;
import io.friendliflink.api.response.TokenLogprob;
import io.friendliflink.api.response.ToolCall;
import io.friendliflink.api.response.TopLogprob;
import io.friendliflink.api.response.Usage;
import java.util.ArrayList;
import java.util.List;

/** Realistic rows of every shape the sinks must keep: chat, completions, tool calls, logprobs, nulls. */
final class SampleRows {
    static final String URL_CHAT = "http://127.0.0.1:8080/serverless/v1/chat/completions";
    static final String URL_COMPLETIONS = "http://127.0.0.1:8080/dedicated/v1/completions";

    private SampleRows() {}

    /** Chat with logprobs (bytes, top alternatives) and cached prompt tokens. */
    static ResultRow chatWithLogprobs() {
        TokenLogprob hello = new TokenLogprob(
                "Hello",
                -0.0123,
                List.of(72, 101, 108, 108, 111),
                null,
                List.of(
                        new TopLogprob("Hello", -0.0123, List.of(72, 101, 108, 108, 111)),
                        new TopLogprob("Hi", -4.5, List.of(72, 105))));
        TokenLogprob wave = new TokenLogprob(
                " 👋", -1.75, List.of(32, 240, 159, 145, 139), null, List.of(new TopLogprob(" 👋", -1.75, null)));
        Choice choice = new Choice(0, "Hello 👋", "assistant", "stop", null, null, List.of(),
                new Logprobs(List.of(hello, wave)));
        InferenceResult result = new InferenceResult("chatcmpl-1", "chat.completion",
                "meta-llama-3.1-8b-instruct", 1_700_000_000L, List.of(choice), new Usage(12, 2, 14, 8), null);
        return ResultRow.of("req-chat-logprobs", URL_CHAT, 200, 1, 84, 84, result,
                "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\"}");
    }

    /** Chat whose message is only tool calls: no content, no logprobs, no cached-token count. */
    static ResultRow chatWithToolCalls() {
        Choice choice = new Choice(0, null, "assistant", "tool_calls", null, null,
                List.of(
                        new ToolCall("call_1", "function", "get_weather", "{\"city\":\"Seoul\"}"),
                        new ToolCall("call_2", "function", "get_time", "{\"tz\": \"Asia/Seoul\"")),
                null);
        InferenceResult result = new InferenceResult("chatcmpl-2", "chat.completion", "endpoint-abc",
                null, List.of(choice), new Usage(40, 25, 65, null), null);
        return ResultRow.of("req-chat-tools", URL_CHAT, 200, 3, 120, 2_480, result, "{\"id\":\"chatcmpl-2\"}");
    }

    /** Completions with two choices: seeds, token ids, text offsets, one -Infinity logprob. */
    static ResultRow completionsTwoChoices() {
        Choice first = new Choice(0, "This is indeed a test", null, "stop", 42L,
                List.of(2028, 374, 13118, 264, 1296), List.of(),
                new Logprobs(List.of(
                        new TokenLogprob("This", -0.5, null, 0,
                                List.of(new TopLogprob("This", -0.5, null), new TopLogprob("That", -1.2, null))),
                        new TokenLogprob(" is", Double.NEGATIVE_INFINITY, null, 4,
                                List.of(new TopLogprob(" is", -0.01, null))))));
        Choice second = new Choice(1, "한국어 텍스트", null, "length", 43L, List.of(9, 8, 7), List.of(), null);
        InferenceResult result = new InferenceResult("cmpl-3", "text_completion", "endpoint-xyz:lora-1",
                null, List.of(first, second), new Usage(7, 6, 13, 0), null);
        return ResultRow.of("req-completions", URL_COMPLETIONS, 200, 1, 33, 35, result, "{\"id\":\"cmpl-3\"}");
    }

    /** What an OpenAI-compatible server may send at least: no id, model, usage, finish reason or raw body. */
    static ResultRow minimal() {
        Choice choice = new Choice(0, "", null, null, null, null, List.of(),
                new Logprobs(List.of(new TokenLogprob(null, -2.0, null, null, List.of()))));
        InferenceResult result = new InferenceResult(null, "text_completion", null, null, List.of(choice), null, null);
        return ResultRow.of("req-minimal", URL_COMPLETIONS, 200, 1, 0, 0, result, null);
    }

    /** A result with no choices at all. */
    static ResultRow noChoices() {
        InferenceResult result = new InferenceResult("cmpl-5", "text_completion", "m", null, List.of(),
                new Usage(3, 0, 3, null), null);
        return ResultRow.of("req-no-choices", URL_COMPLETIONS, 200, 2, 10, 1_010, result, "{}");
    }

    static List<ResultRow> results() {
        return List.of(chatWithLogprobs(), chatWithToolCalls(), completionsTwoChoices(), minimal(), noChoices());
    }

    static List<ErrorRow> errors() {
        return List.of(
                ErrorRow.badLine(null, "invalid_json", "line 3: unexpected end of input", "{\"custom_id\": \"x",
                        "in/a.jsonl:3"),
                ErrorRow.badLine("req-bad-temp", "invalid_request",
                        "body.temperature must be >= 0, was -1", "{\"custom_id\":\"req-bad-temp\",\"body\":{}}",
                        "requests-0@17"),
                new ErrorRow("req-422", "http_error", "422 Unprocessable Entity: n with beam search", 422, 1,
                        "{\"custom_id\":\"req-422\"}", "in/a.jsonl:5"),
                new ErrorRow("req-429", "retries_exhausted", "429 Too Many Requests after 5 attempts", 429, 5,
                        "{\"custom_id\":\"req-429\"}", null),
                new ErrorRow("req-reset", "transport", "connection reset by peer", null, 3,
                        "{\"custom_id\":\"req-reset\",\"prompt\":\"日本語\"}", "日本/入力.jsonl:9"));
    }

    /** Many distinct results, for tests that need several files or row groups. */
    static List<ResultRow> manyResults(int count) {
        List<ResultRow> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(result(i));
        }
        return rows;
    }

    /** The {@code i}-th of a sequence of distinct results cycling through the shapes above. */
    static ResultRow result(long i) {
        List<ResultRow> shapes = results();
        ResultRow s = shapes.get((int) (i % shapes.size()));
        return new ResultRow(s.customId() + "-" + i, s.url(), s.model(), s.responseId(), s.httpStatus(),
                s.attempts(), s.latencyMs() + i, s.totalMs() + i, s.choices(), s.usage(), s.responseJson());
    }
}
