package io.friendliflink.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.api.response.Choice;
import io.friendliflink.api.response.InferenceResult;
import io.friendliflink.api.response.Logprobs;
import io.friendliflink.api.response.TokenLogprob;
import io.friendliflink.api.response.ToolCall;
import io.friendliflink.api.response.TopLogprob;
import io.friendliflink.api.response.Usage;
import java.util.List;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

class RowsTest {
    @Test
    void rowsAreSerializedByFlinkAsPojosWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ResultRow.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ChoiceRow.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ErrorRow.class);
    }

    @Test
    void resultRowTakesResponseFieldsFromTheResultAndRequestFieldsFromTheCaller() {
        TokenLogprob token = new TokenLogprob("Hi", -0.1, List.of(72, 105), null,
                List.of(new TopLogprob("Hi", -0.1, null)));
        ToolCall call = new ToolCall("call_9", "function", "lookup", "{}");
        Choice choice = new Choice(2, "Hi", "assistant", "stop", 7L, List.of(1, 2), List.of(call),
                new Logprobs(List.of(token)));
        Usage usage = new Usage(5, 1, 6, 4);
        InferenceResult result = new InferenceResult("chatcmpl-9", "chat.completion", "model-a", 1L,
                List.of(choice), usage, null);

        ResultRow row = ResultRow.of("id-9", "http://127.0.0.1/v1/chat/completions", 200, 2, 15, 1_015, result, "{}");

        assertThat(row).isEqualTo(new ResultRow("id-9", "http://127.0.0.1/v1/chat/completions", "model-a",
                "chatcmpl-9", 200, 2, 15, 1_015,
                List.of(new ChoiceRow(2, "stop", "Hi", "assistant", 7L, List.of(1, 2), List.of(call), List.of(token))),
                usage, "{}"));
    }

    @Test
    void choiceWithoutLogprobsHasNullLogprobsAndNoToolCallsAnEmptyList() {
        ChoiceRow row = ChoiceRow.of(new Choice(0, "x", null, null, null, null, null, null));

        assertThat(row.logprobs()).isNull();
        assertThat(row.toolCalls()).isEmpty();
    }

    @Test
    void resultRowRejectsMissingIdentityAndImpossibleCounts() {
        InferenceResult result = new InferenceResult(null, "text_completion", null, null, List.of(), null, null);

        assertThatThrownBy(() -> ResultRow.of(null, "u", 200, 1, 0, 0, result, null))
                .isInstanceOf(NullPointerException.class).hasMessage("customId");
        assertThatThrownBy(() -> ResultRow.of("c", null, 200, 1, 0, 0, result, null))
                .isInstanceOf(NullPointerException.class).hasMessage("url");
        assertThatThrownBy(() -> ResultRow.of("c", "u", 200, 0, 0, 0, result, null))
                .hasMessage("attempts must be at least 1 for a result, was 0");
        assertThatThrownBy(() -> ResultRow.of("c", "u", 200, 1, -1, 0, result, null))
                .hasMessage("latencyMs and totalMs must not be negative, were -1 and 0");
    }

    @Test
    void errorRowKeepsTheInputLineAndRejectsRowsThatWouldLoseIt() {
        ErrorRow bad = ErrorRow.badLine(null, "invalid_json", "unexpected end", "{\"custom", "a.jsonl:2");

        assertThat(bad.attempts()).isZero();
        assertThat(bad.httpStatus()).isNull();
        assertThat(bad.inputLine()).isEqualTo("{\"custom");
        assertThat(bad.source()).isEqualTo("a.jsonl:2");
        assertThatThrownBy(() -> ErrorRow.badLine("c", "invalid_json", "m", null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("inputLine");
        assertThatThrownBy(() -> new ErrorRow("c", null, "m", null, 0, "line", null))
                .isInstanceOf(NullPointerException.class).hasMessage("errorType");
        assertThatThrownBy(() -> new ErrorRow("c", "t", "m", 500, -1, "line", null))
                .hasMessage("attempts must not be negative, was -1");
    }
}
