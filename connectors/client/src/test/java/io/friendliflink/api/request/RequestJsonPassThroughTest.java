package io.friendliflink.api.request;

import static io.friendliflink.api.request.Json.parse;
import static io.friendliflink.api.request.Json.sameTree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RequestJsonPassThroughTest {

    @ParameterizedTest
    @EnumSource(value = ApiKind.class, names = {"COMPLETIONS", "CHAT_COMPLETIONS", "TOOL_ASSISTED_CHAT_COMPLETIONS"})
    void unknownTopLevelFieldsAreKeptInOrderAndWrittenBackUnchanged(ApiKind kind) {
        String base = kind == ApiKind.COMPLETIONS ? "\"prompt\":\"p\"" : "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        JsonNode body = parse("{\"zeta_future\":{\"nested\":[1,{\"deep\":true}]},\"model\":\"m\"," + base
                + ",\"alpha_future\":\"x\",\"explicit_null\":null,\"middle\":2.5}");

        InferenceRequest request = RequestJson.read(kind, body);

        assertThat(request.extraFields()).containsOnlyKeys("zeta_future", "alpha_future", "explicit_null", "middle");
        assertThat(request.extraFields().keySet()).containsExactly("zeta_future", "alpha_future", "explicit_null", "middle");
        JsonNode written = parse(RequestJson.write(request));
        assertThat(written).isEqualTo(body);
        List<String> writtenNames = new ArrayList<>();
        written.fieldNames().forEachRemaining(writtenNames::add);
        assertThat(writtenNames).containsSubsequence("zeta_future", "alpha_future", "explicit_null", "middle");
    }

    @Test
    void unknownKeysInsideEveryModelledChatObjectSurvive() {
        JsonNode body = parse("""
                {"model":"m",
                 "messages":[
                   {"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}},
                                             {"type":"input_audio","input_audio":{"data":"AAA","format":"wav"}}],
                    "x_msg":1},
                   {"role":"assistant","tool_calls":[{"id":"c1","type":"function","x_call":true,
                      "function":{"name":"f","arguments":"{}","x_fn":"y"}}],"reasoning_content":"hmm"},
                   {"role":"tool","content":"ok","tool_call_id":"c1","x_tool":[1]}],
                 "tools":[{"type":"function","x_tool":1,"function":{"name":"f","parameters":{"type":"object"},"strict":true}},
                          {"type":"web:search","x_builtin":{"k":"v"}},
                          {"type":"file:text","files":["f1"],"x_files":0}],
                 "tool_choice":{"type":"function","x_outer":1,"function":{"name":"f","x_inner":2}},
                 "stream":true,
                 "stream_options":{"include_usage":true,"continuous_usage_stats":true},
                 "response_format":{"type":"json_object","x_rf":"y"}}
                """);

        ChatCompletionsRequest request =
                (ChatCompletionsRequest) RequestJson.read(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, body);

        assertThat(parse(RequestJson.write(request))).isEqualTo(body);
        assertThat(request.extraFields()).isEmpty();
        MessageContent.Parts parts = (MessageContent.Parts) request.messages().get(0).content();
        assertThat(parts.parts().get(0).extraFields()).containsOnlyKeys("cache_control");
        assertThat(parts.parts().get(1).type()).isEqualTo("input_audio");
        assertThat(request.messages().get(0).extraFields()).containsOnlyKeys("x_msg");
        assertThat(request.messages().get(1).extraFields()).containsOnlyKeys("reasoning_content");
        assertThat(request.messages().get(1).toolCalls().get(0).extraFields()).containsOnlyKeys("x_call");
        assertThat(request.messages().get(1).toolCalls().get(0).function().extraFields()).containsOnlyKeys("x_fn");
        assertThat(((Tool.Function) request.tools().get(0)).function().extraFields()).containsOnlyKeys("strict");
        assertThat(request.tools().get(1).extraFields()).containsOnlyKeys("x_builtin");
        assertThat(request.tools().get(2).extraFields()).containsOnlyKeys("x_files");
        ToolChoice.Function choice = (ToolChoice.Function) request.toolChoice();
        assertThat(choice.extraFields()).containsOnlyKeys("x_outer");
        assertThat(choice.functionExtraFields()).containsOnlyKeys("x_inner");
        assertThat(request.common().streamOptions().extraFields()).containsOnlyKeys("continuous_usage_stats");
        assertThat(request.common().responseFormat().extraFields()).containsOnlyKeys("x_rf");
    }

    @Test
    void unknownKeysInsideEveryModelledCompletionsObjectSurvive() {
        for (String format : List.of(
                "{\"type\":\"text\",\"x\":1}",
                "{\"type\":\"json_schema\",\"x\":1,\"json_schema\":{\"name\":\"n\",\"schema\":{\"type\":\"object\"},\"strict\":false}}",
                "{\"type\":\"regex\",\"schema\":\"a+\",\"x\":1}")) {
            JsonNode body = parse("{\"model\":\"m\",\"tokens\":[1],\"stop_tokens\":[{\"tokens\":[2],\"x_seq\":1}],"
                    + "\"bad_word_tokens\":[{\"tokens\":[3],\"weight\":0.5}],\"response_format\":" + format + "}");

            CompletionsRequest request = (CompletionsRequest) RequestJson.read(ApiKind.COMPLETIONS, body);

            assertThat(parse(RequestJson.write(request))).as(format).isEqualTo(body);
            assertThat(request.stopTokens().get(0).extraFields()).containsOnlyKeys("x_seq");
            assertThat(request.badWordTokens().get(0).extraFields()).containsOnlyKeys("weight");
            assertThat(request.common().responseFormat().extraFields()).containsOnlyKeys("x");
        }
        ResponseFormat.JsonSchema schema = (ResponseFormat.JsonSchema) ((CompletionsRequest) RequestJson.read(
                ApiKind.COMPLETIONS, parse("{\"model\":\"m\",\"prompt\":\"p\",\"response_format\":{\"type\":\"json_schema\","
                        + "\"json_schema\":{\"name\":\"n\",\"schema\":{},\"strict\":false}}}"))).common().responseFormat();
        assertThat(schema.jsonSchemaExtraFields().keySet()).containsExactly("name", "strict");
    }

    @Test
    void fieldsOfAnotherKindPassThroughAsExtrasRatherThanBeingDropped() {
        JsonNode body = parse("{\"model\":\"m\",\"prompt\":\"p\",\"messages\":[],\"logit_bias\":{\"1\":2}}");

        InferenceRequest request = RequestJson.read(ApiKind.COMPLETIONS, body);

        assertThat(request.extraFields()).containsOnlyKeys("messages", "logit_bias");
        assertThat(parse(RequestJson.write(request))).isEqualTo(body);
    }

    @Test
    void explicitNullsOfKnownFieldsAreNotSent() {
        JsonNode body = parse("{\"model\":\"m\",\"prompt\":\"p\",\"temperature\":null,\"seed\":null,\"stop\":null,"
                + "\"response_format\":null,\"stream_options\":null,\"num_beams\":null,\"embedding_to_replace\":null}");

        InferenceRequest request = RequestJson.read(ApiKind.COMPLETIONS, body);

        assertThat(new String(RequestJson.write(request), StandardCharsets.UTF_8))
                .isEqualTo("{\"model\":\"m\",\"prompt\":\"p\"}");
    }

    @Test
    void explicitNullsInsideMessagesAreNotSent() {
        JsonNode body = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":null,\"name\":null,"
                + "\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}],"
                + "\"tools\":null,\"tool_choice\":null,\"logprobs\":null}");

        InferenceRequest request = RequestJson.read(ApiKind.CHAT_COMPLETIONS, body);

        assertThat(new String(RequestJson.write(request), StandardCharsets.UTF_8)).isEqualTo(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]}");
    }

    @Test
    void absentFieldsOfABuiltRequestAreNotSentButEmptyListsAre() {
        ChatCompletionsRequest request = ChatCompletionsRequest.builder("m")
                .messages(List.of(ChatMessage.user("hi")))
                .stop(List.of())
                .build();

        assertThat(new String(RequestJson.write(request), StandardCharsets.UTF_8))
                .isEqualTo("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stop\":[]}");
    }

    @Test
    void extraFieldsAddedToABuilderAreSentAfterTheKnownOnesInCallOrder() {
        CompletionsRequest request = CompletionsRequest.builder("m")
                .prompt(Prompt.of("p"))
                .extraField("b", parse("2"))
                .extraField("a", parse("{\"k\":[1]}"))
                .build();

        assertThat(new String(RequestJson.write(request), StandardCharsets.UTF_8))
                .isEqualTo("{\"model\":\"m\",\"prompt\":\"p\",\"b\":2,\"a\":{\"k\":[1]}}");
    }

    @Test
    void readRefusesABodyWithWrongTypesNamingEveryField() {
        JsonNode body = parse("{\"model\":1,\"prompt\":\"p\",\"temperature\":\"hot\"}");

        assertThatThrownBy(() -> RequestJson.read(ApiKind.COMPLETIONS, body))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("model=1: must be a string")
                .hasMessageContaining("temperature=\"hot\": must be a number");
    }

    @Test
    void numbersGivenAsIntegersInNumberFieldsComeBackWithTheSameValue() {
        JsonNode body = parse("{\"model\":\"m\",\"prompt\":\"p\",\"temperature\":1,\"logit_bias_like\":1}");

        JsonNode written = parse(RequestJson.write(RequestJson.read(ApiKind.COMPLETIONS, body)));

        assertThat(written.get("temperature").doubleValue()).isEqualTo(1.0);
        assertThat(sameTree(written, body)).isTrue();
        assertThat(written.get("logit_bias_like")).isEqualTo(body.get("logit_bias_like"));
    }

    @Test
    void typedRequestsAreImmutable() {
        List<ChatMessage> messages = new ArrayList<>(List.of(ChatMessage.user("hi")));
        ChatCompletionsRequest request = ChatCompletionsRequest.builder("m").messages(messages).build();
        messages.add(ChatMessage.user("later"));

        assertThat(request.messages()).hasSize(1);
        assertThatThrownBy(() -> request.messages().add(ChatMessage.user("x")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> request.extraFields().put("x", parse("1")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(new TokenSequence(List.of(1), Map.of()).extraFields()).isEmpty();
    }
}
