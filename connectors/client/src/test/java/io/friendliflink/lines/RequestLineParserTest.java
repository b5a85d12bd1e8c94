package io.friendliflink.lines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.client.PreparedRequest;
import io.friendliflink.api.ApiKind;
import io.friendliflink.api.request.ChatCompletionsRequest;
import io.friendliflink.api.request.ChatMessage;
import io.friendliflink.api.request.CompletionsRequest;
import io.friendliflink.api.request.MessageContent;
import io.friendliflink.api.request.Prompt;
import io.friendliflink.api.request.RequestCheck;
import io.friendliflink.api.request.RequestJson;
import io.friendliflink.api.request.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestLineParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT_BODY =
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}";

    private final RequestLineParser parser = new RequestLineParser(RequestDefaults.NONE, 4096);

    private static String line(String customId, String url, String body) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"" + url + "\",\"body\":" + body + "}";
    }

    @Test
    void acceptsAnOpenAiBatchChatLine() throws Exception {
        String line = line("req-1", "/v1/chat/completions", CHAT_BODY);

        ParsedLine parsed = parser.parse(line);

        assertThat(parsed.isAccepted()).isTrue();
        RequestLine request = parsed.accepted();
        assertThat(request.customId()).isEqualTo("req-1");
        assertThat(request.request().kind()).isEqualTo(ApiKind.CHAT_COMPLETIONS);
        assertThat(request.request().path()).isNull();
        assertThat(request.request().model()).isEqualTo("m");
        assertThat(request.request().stream()).isFalse();
        assertThat(request.request().promptChars()).isEqualTo("Hello!".length());
        assertThat(request.request().timeoutMicros()).isZero();
        assertThat(JSON.readTree(request.request().body())).isEqualTo(JSON.readTree(CHAT_BODY));
        assertThat(request.rawLine()).isEqualTo(line);
    }

    @Test
    void aStreamIsAskedForItsUsageUnlessItsBodySaysOtherwise() throws Exception {
        String stream = CHAT_BODY.replace("}]}", "}],\"stream\":true}");
        String declined = CHAT_BODY.replace("}]}", "}],\"stream\":true,\"stream_options\":{\"include_usage\":false}}");

        JsonNode asked = JSON.readTree(parser.parse(line("s", "/v1/chat/completions", stream)).accepted().request().body());
        JsonNode kept = JSON.readTree(parser.parse(line("d", "/v1/chat/completions", declined)).accepted().request().body());
        JsonNode plain = JSON.readTree(parser.parse(line("p", "/v1/chat/completions", CHAT_BODY)).accepted().request().body());

        assertThat(asked.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(kept).isEqualTo(JSON.readTree(declined));
        assertThat(plain.has("stream_options")).as("only a stream may have stream_options").isFalse();
    }

    @Test
    void acceptedAndRejectedLinesKeepWhereTheyWereRead() {
        ParsedLine accepted = parser.parse(new InputLine(line("a", "/v1/chat/completions", CHAT_BODY), "in/x.jsonl:7"));
        ParsedLine notJson = parser.parse(new InputLine("{oops", "in/x.jsonl:8"));
        ParsedLine badUrl = parser.parse(new InputLine(line("b", "/v2/nothing", CHAT_BODY), "requests-1@40"));

        assertThat(accepted.accepted().source()).isEqualTo("in/x.jsonl:7");
        assertThat(accepted.key()).isEqualTo("a");
        assertThat(notJson.rejected().source()).isEqualTo("in/x.jsonl:8");
        assertThat(notJson.key()).as("a line without an id is known by where it was read and what it says")
                .isEqualTo(ParsedLine.lineKey("in/x.jsonl:8", "{oops")).isNotEqualTo(parser.parse("{oops").key());
        assertThat(badUrl.rejected().source()).isEqualTo("requests-1@40");
        assertThat(badUrl.key()).isEqualTo("b");
    }

    @Test
    void keepsTheTimeoutABodySetsForTheEndpointsQueue() {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                + "\"timeout_microseconds\":2000000}";

        assertThat(parser.parse(line("t", "/v1/chat/completions", body)).accepted().request().timeoutMicros())
                .isEqualTo(2_000_000);
    }

    @ParameterizedTest
    @CsvSource({
        "/v1/completions, COMPLETIONS, ",
        "/serverless/v1/completions, COMPLETIONS, /serverless/v1/completions",
        "/dedicated/v1/completions, COMPLETIONS, /dedicated/v1/completions",
        "/serverless/v1/chat/completions, CHAT_COMPLETIONS, /serverless/v1/chat/completions",
        "/dedicated/v1/chat/completions, CHAT_COMPLETIONS, /dedicated/v1/chat/completions",
        "/serverless/tools/v1/chat/completions, TOOL_ASSISTED_CHAT_COMPLETIONS, /serverless/tools/v1/chat/completions",
    })
    void mapsEachSupportedUrlOntoItsKindAndPath(String url, ApiKind kind, String path) {
        String body = kind == ApiKind.COMPLETIONS ? "{\"model\":\"m\",\"prompt\":\"Say hi\"}" : CHAT_BODY;

        ParsedLine parsed = parser.parse(line("x", url, body));

        assertThat(parsed.isAccepted()).as("%s", parsed.rejected()).isTrue();
        assertThat(parsed.accepted().request().kind()).isEqualTo(kind);
        assertThat(parsed.accepted().request().path()).isEqualTo(path);
        assertThat(parsed.accepted().url()).isEqualTo(url);
    }

    @Test
    void fillsDefaultsOnlyWhereTheBodyLeavesThemOut() throws Exception {
        ObjectNode common = (ObjectNode) JSON.readTree("{\"model\":\"default-model\",\"temperature\":0.5,\"max_tokens\":64}");
        ObjectNode chat = (ObjectNode) JSON.readTree("{\"temperature\":0.9,\"logprobs\":true}");
        RequestLineParser withDefaults =
                new RequestLineParser(new RequestDefaults(common, Map.of(ApiKind.CHAT_COMPLETIONS, chat)), 4096);
        String body = "{\"model\":\"mine\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":7}";

        RequestLine request = withDefaults.parse(line("d", "/v1/chat/completions", body)).accepted();

        JsonNode sent = JSON.readTree(request.request().body());
        assertThat(sent.get("model").asText()).isEqualTo("mine");
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(7);
        assertThat(sent.get("temperature").asDouble()).isEqualTo(0.9);
        assertThat(sent.get("logprobs").asBoolean()).isTrue();
        assertThat(request.request().maxTokens()).isEqualTo(7);
    }

    @Test
    void theOutputEstimateFallsBackToMaxTotalTokens() {
        String body = "{\"model\":\"m\",\"prompt\":\"Say hi\",\"max_total_tokens\":40}";

        assertThat(parser.parse(line("t", "/v1/completions", body)).accepted().request().maxTokens()).isEqualTo(40);
    }

    @Test
    void chatDefaultsAlsoApplyToToolAssistedChat() throws Exception {
        ObjectNode chat = (ObjectNode) JSON.readTree("{\"model\":\"from-chat-defaults\"}");
        RequestLineParser withDefaults =
                new RequestLineParser(new RequestDefaults(null, Map.of(ApiKind.CHAT_COMPLETIONS, chat)), 4096);
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

        RequestLine request = withDefaults.parse(line("t", "/serverless/tools/v1/chat/completions", body)).accepted();

        assertThat(request.request().model()).isEqualTo("from-chat-defaults");
    }

    @Test
    void aLineThatIsNotJsonIsRejectedWithTheRawLine() {
        ParsedLine parsed = parser.parse("{\"custom_id\": \"a\", oops");

        assertThat(parsed.isAccepted()).isFalse();
        assertThat(parsed.rejected().errorType()).isEqualTo(RejectedLine.INVALID_JSON);
        assertThat(parsed.rejected().customId()).isNull();
        assertThat(parsed.rejected().rawLine()).isEqualTo("{\"custom_id\": \"a\", oops");
    }

    @Test
    void aJsonValueThatIsNotAnObjectIsRejected() {
        ParsedLine parsed = parser.parse("[1,2]");

        assertThat(parsed.rejected().errorType()).isEqualTo(RejectedLine.INVALID_JSON);
        assertThat(parsed.rejected().message()).contains("must be a JSON object").contains("[1,2]");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"url\":\"/v1/completions\",\"body\":{}}|missing",
                "{\"custom_id\":\"\",\"url\":\"/v1/completions\",\"body\":{}}|\"\"",
                "{\"custom_id\":17,\"url\":\"/v1/completions\",\"body\":{}}|17",
            })
    void aLineWithoutAUsableCustomIdIsRejected(String line, String described) {
        ParsedLine parsed = parser.parse(line);

        assertThat(parsed.rejected().errorType()).isEqualTo(RejectedLine.MISSING_CUSTOM_ID);
        assertThat(parsed.rejected().message()).contains("custom_id").endsWith(described);
    }

    @Test
    void aMethodOtherThanPostIsRejected() {
        String line = "{\"custom_id\":\"g\",\"method\":\"GET\",\"url\":\"/v1/chat/completions\",\"body\":" + CHAT_BODY + "}";

        ParsedLine parsed = parser.parse(line);

        assertThat(parsed.rejected().errorType()).isEqualTo(RejectedLine.UNSUPPORTED_METHOD);
        assertThat(parsed.rejected().customId()).isEqualTo("g");
        assertThat(parsed.rejected().message()).contains("GET");
    }

    @Test
    void aLineWithoutMethodIsTakenAsPost() {
        String line = "{\"custom_id\":\"p\",\"url\":\"/v1/chat/completions\",\"body\":" + CHAT_BODY + "}";

        assertThat(parser.parse(line).isAccepted()).isTrue();
    }

    @Test
    void anUnknownUrlIsRejectedNamingTheSupportedOnes() {
        ParsedLine parsed = parser.parse(line("u", "/v1/embeddings", "{\"model\":\"m\"}"));

        assertThat(parsed.rejected().errorType()).isEqualTo(RejectedLine.UNSUPPORTED_URL);
        assertThat(parsed.rejected().message()).contains("/v1/embeddings").contains("/v1/chat/completions");
    }

    @Test
    void aMissingBodyIsRejected() {
        ParsedLine parsed = parser.parse("{\"custom_id\":\"b\",\"url\":\"/v1/completions\"}");

        assertThat(parsed.rejected().errorType()).isEqualTo(RejectedLine.INVALID_REQUEST);
        assertThat(parsed.rejected().message()).contains("body must be a JSON object");
    }

    @Test
    void aBodyThatBreaksAnApiRuleIsRejectedNamingFieldValueAndRule() {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"top_p\":1.5}";

        ParsedLine parsed = parser.parse(line("v", "/v1/chat/completions", body));

        assertThat(parsed.rejected().errorType()).isEqualTo(RejectedLine.INVALID_REQUEST);
        assertThat(parsed.rejected().customId()).isEqualTo("v");
        assertThat(parsed.rejected().message()).contains("top_p").contains("1.5");
    }

    @Test
    void anErrorKeepsOnlyTheConfiguredLengthOfTheRawLine() {
        RequestLineParser shortLines = new RequestLineParser(RequestDefaults.NONE, 20);
        String line = "not json at all, and quite a long line too";

        RejectedLine rejected = shortLines.parse(line).rejected();

        assertThat(rejected.rawLine()).isEqualTo(line.substring(0, 20) + "...[" + (line.length() - 20) + " more chars]");
    }

    @Test
    void promptCharsCountsPromptStringsPartsAndTokenIds() {
        CompletionsRequest texts = CompletionsRequest.builder("m").prompt(Prompt.of(List.of("abc", "de"))).build();
        CompletionsRequest tokens = CompletionsRequest.builder("m").tokens(List.of(1, 2)).build();
        ChatCompletionsRequest chat = ChatCompletionsRequest.builder("m").messages(
                ChatMessage.system("abcd"),
                new ChatMessage(Role.USER, new MessageContent.Parts(List.of(MessageContent.Part.text("xyz"))), null, null,
                        null, Map.of())).build();

        assertThat(PreparedRequest.of(texts).promptChars()).isEqualTo(3 + 2);
        assertThat(PreparedRequest.of(tokens).promptChars()).isEqualTo(8);
        assertThat(PreparedRequest.of(chat).promptChars()).isEqualTo(4 + 3);
    }

    @Test
    void theBodySentIsTheCheckedRequestWithUnknownFieldsPassedThrough() throws Exception {
        String body = "{\"x_first\":{\"keep\":[1,null]},\"model\":\"m\",\"prompt\":\"Say hi\",\"temperature\":1,"
                + "\"stop_tokens\":[{\"tokens\":[2],\"x_inner\":true}],\"x_last\":null}";

        RequestLine request = parser.parse(line("w", "/v1/completions", body)).accepted();

        JsonNode sent = JSON.readTree(request.request().body());
        assertThat(sent.get("x_first")).isEqualTo(JSON.readTree("{\"keep\":[1,null]}"));
        assertThat(sent.has("x_last")).isTrue();
        assertThat(sent.get("x_last").isNull()).isTrue();
        assertThat(sent.get("stop_tokens").get(0).get("x_inner").asBoolean()).isTrue();
        assertThat(sent.get("temperature").asDouble()).isEqualTo(1.0);
        assertThat(request.request().body()).isEqualTo(RequestJson.write(RequestCheck.check(ApiKind.COMPLETIONS, JSON.readTree(body)).request()));
    }

    @Test
    void whatThePacerNeedsComesFromTheCheckedBody() {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],"
                + "\"max_tokens\":9,\"stream\":true,\"timeout_microseconds\":2500000}";

        RequestLine request = parser.parse(line("p", "/v1/chat/completions", body)).accepted();

        assertThat(request.request().maxTokens()).isEqualTo(9);
        assertThat(request.request().stream()).isTrue();
        assertThat(request.request().timeoutMicros()).isEqualTo(2_500_000L);
        assertThat(request.request().promptChars()).isEqualTo("Hello".length());
        assertThat(parser.parse(line("q", "/v1/chat/completions", CHAT_BODY)).accepted().request().timeoutMicros()).isZero();
    }

    @Test
    void rejectsAUselessRawLineLimit() {
        assertThatThrownBy(() -> new RequestLineParser(RequestDefaults.NONE, 3))
                .hasMessageContaining("maxRawLineChars");
    }
}
