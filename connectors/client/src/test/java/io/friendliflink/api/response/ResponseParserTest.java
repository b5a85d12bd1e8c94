package io.friendliflink.api.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.api.ApiKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseParserTest {
    static final String COMPLETIONS_BODY = """
            {"id":"cmpl-3f9c2a71","model":"meta-llama-3.1-8b-instruct","object":"text_completion",
             "choices":[
               {"index":0,"seed":42,"text":"This is indeed a test","tokens":[128000,2028,374,13118,264,1296],
                "finish_reason":"stop"},
               {"index":1,"seed":43,"text":"This is a quiz","tokens":[2028,374,264,28223],"finish_reason":"length"}],
             "usage":{"prompt_tokens":7,"completion_tokens":10,"total_tokens":17}}
            """;

    static final String CHAT_TOOL_CALLS_BODY = """
            {"id":"chatcmpl-9d1e04","object":"chat.completion","created":1732200000,
             "model":"meta-llama-3.1-8b-instruct",
             "choices":[{"index":0,
               "message":{"role":"assistant","content":null,"tool_calls":[
                 {"id":"call_wx1","type":"function",
                  "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Seoul\\",\\"unit\\":\\"celsius\\"}"}},
                 {"id":"call_tm2","type":"function",
                  "function":{"name":"get_time","arguments":"{\\"timezone\\":\\"Asia/Seoul\\"}"}}]},
               "finish_reason":"tool_calls","logprobs":null}],
             "usage":{"prompt_tokens":120,"completion_tokens":40,"total_tokens":160,
                      "prompt_tokens_details":{"cached_tokens":96}},
             "system_fingerprint":"fp_44709d6fcb","service_tier":"default"}
            """;

    @Test
    void completionsBodyGivesEveryChoiceWithSeedTokensAndFinishReason() {
        InferenceResult r = ResponseParser.parse(ApiKind.COMPLETIONS, bytes(COMPLETIONS_BODY));

        assertThat(r.id()).isEqualTo("cmpl-3f9c2a71");
        assertThat(r.object()).isEqualTo("text_completion");
        assertThat(r.model()).isEqualTo("meta-llama-3.1-8b-instruct");
        assertThat(r.created()).isNull();
        assertThat(r.choices()).containsExactly(
                new Choice(0, "This is indeed a test", null, "stop", 42L,
                        List.of(128000, 2028, 374, 13118, 264, 1296), List.of(), null),
                new Choice(1, "This is a quiz", null, "length", 43L, List.of(2028, 374, 264, 28223), List.of(), null));
        assertThat(r.usage()).isEqualTo(new Usage(7, 10, 17, null));
        assertThat(r.toolStatusEvents()).isEmpty();
    }

    @Test
    void chatBodyGivesToolCallsInOrderAndCachedTokens() {
        InferenceResult r = ResponseParser.parse(ApiKind.CHAT_COMPLETIONS, bytes(CHAT_TOOL_CALLS_BODY));

        assertThat(r.object()).isEqualTo("chat.completion");
        assertThat(r.created()).isEqualTo(1732200000L);
        Choice choice = r.choices().get(0);
        assertThat(choice.role()).isEqualTo("assistant");
        assertThat(choice.text()).isNull();
        assertThat(choice.finishReason()).isEqualTo("tool_calls");
        assertThat(choice.seed()).isNull();
        assertThat(choice.tokens()).isNull();
        assertThat(choice.logprobs()).isNull();
        assertThat(choice.toolCalls()).containsExactly(
                new ToolCall("call_wx1", "function", "get_weather", "{\"location\":\"Seoul\",\"unit\":\"celsius\"}"),
                new ToolCall("call_tm2", "function", "get_time", "{\"timezone\":\"Asia/Seoul\"}"));
        assertThat(r.usage()).isEqualTo(new Usage(120, 40, 160, 96));
    }

    @Test
    void chatBodyGivesMessageContentAsText() {
        String body = """
                {"id":"chatcmpl-1","object":"chat.completion","created":1732200100,"model":"m",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Generative AI makes new content.",
                   "refusal":null,"annotations":[]},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":6,"total_tokens":18}}
                """;

        Choice choice = ResponseParser.parse(ApiKind.CHAT_COMPLETIONS, bytes(body)).choices().get(0);

        assertThat(choice.text()).isEqualTo("Generative AI makes new content.");
        assertThat(choice.role()).isEqualTo("assistant");
        assertThat(choice.toolCalls()).isEmpty();
    }

    @Test
    void choicesAreOrderedByIndexWhateverTheirOrderInTheBody() {
        String body = """
                {"object":"text_completion","choices":[
                  {"index":1,"text":"second","finish_reason":"stop"},
                  {"index":0,"text":"first","finish_reason":"stop"}]}
                """;

        InferenceResult r = ResponseParser.parse(ApiKind.COMPLETIONS, bytes(body));

        assertThat(r.choices()).extracting(Choice::index, Choice::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, "first"), org.assertj.core.groups.Tuple.tuple(1, "second"));
        assertThat(r.usage()).isNull();
    }

    @Test
    void toolCallArgumentsSentAsAnObjectAreKeptAsTheirJsonText() {
        String body = """
                {"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","tool_calls":[
                  {"id":"c1","type":"function","function":{"name":"f","arguments":{"a":[1,2],"b":"x"}}}]},
                  "finish_reason":"tool_calls"}]}
                """;

        ToolCall call = ResponseParser.parse(ApiKind.CHAT_COMPLETIONS, bytes(body)).choices().get(0).toolCalls().get(0);

        assertThat(call.arguments()).isEqualTo("{\"a\":[1,2],\"b\":\"x\"}");
    }

    @Test
    void missingTotalTokensIsPromptPlusCompletion() {
        String body = """
                {"object":"text_completion","choices":[{"index":0,"text":"x"}],
                 "usage":{"prompt_tokens":5,"completion_tokens":3}}
                """;

        assertThat(ResponseParser.parse(ApiKind.COMPLETIONS, bytes(body)).usage()).isEqualTo(new Usage(5, 3, 8, null));
    }

    @Test
    void bodyWithoutObjectReportsTheKindsName() {
        String body = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"}}]}";

        assertThat(ResponseParser.parse(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, bytes(body)).object())
                .isEqualTo("chat.completion");
        assertThat(ResponseParser.parse(ApiKind.COMPLETIONS, bytes("{\"choices\":[]}")).object())
                .isEqualTo("text_completion");
    }

    @Test
    void invalidJsonIsAMalformedBodyThatQuotesTheBody() {
        assertThatThrownBy(() -> ResponseParser.parse(ApiKind.COMPLETIONS, bytes("{\"choices\":[{\"text\":\"cut")))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageStartingWith("not valid JSON (")
                .hasMessageContaining("{\"choices\":[{\"text\":\"cut");
        assertThatThrownBy(() -> ResponseParser.parse(ApiKind.COMPLETIONS, bytes("<html>502 Bad Gateway</html>")))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("<html>502 Bad Gateway</html>");
    }

    @Test
    void bodyWithoutChoicesIsMalformed() {
        assertThatThrownBy(() -> ResponseParser.parse(ApiKind.CHAT_COMPLETIONS, bytes("{\"id\":\"x\",\"object\":\"chat.completion\"}")))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("no \"choices\" array");
    }

    @Test
    void errorBodyWithStatus200IsMalformedAndSaysTheErrorsMessage() {
        String body = "{\"error\":{\"message\":\"model not found\",\"type\":\"invalid_request_error\"}}";

        assertThatThrownBy(() -> ResponseParser.parse(ApiKind.CHAT_COMPLETIONS, bytes(body)))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessage("response body is an error, not a result: model not found");
    }

    @Test
    void fieldOfTheWrongTypeIsNamedInTheError() {
        String body = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":42}}]}";

        assertThatThrownBy(() -> ResponseParser.parse(ApiKind.CHAT_COMPLETIONS, bytes(body)))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageStartingWith("choices[].message.content: expected a string but found a number at offset ");
        assertThatThrownBy(() -> ResponseParser.parse(ApiKind.COMPLETIONS, bytes("{\"choices\":{}}")))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageStartingWith("choices: expected an array but found an object");
    }

    @Test
    void trailingContentAfterTheBodyIsMalformed() {
        assertThatThrownBy(() -> ResponseParser.parse(ApiKind.COMPLETIONS, bytes("{\"choices\":[]} {\"choices\":[]}")))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("nothing after the top-level object");
    }

    @Test
    void nonGenerationKindIsRejectedByName() {
        assertThatThrownBy(() -> ResponseParser.parse(ApiKind.TOKENIZE, bytes("{\"tokens\":[1]}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TOKENIZE");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
