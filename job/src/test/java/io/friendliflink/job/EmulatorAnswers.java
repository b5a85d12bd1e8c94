package io.friendliflink.job;

import static io.friendliflink.job.RunOutput.str;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * Asks the emulator itself what a request's answer is, with a plain JDK HTTP client and Jackson (none of the
 * job's code), and checks a result row against it field by field.
 *
 * <p>The emulator's answer is a function of the body (every body has a seed), so sending the body again
 * gives the answer the job got, apart from the response id and time. A streamed request is asked for
 * without {@code stream}: the row the job assembled from the chunks must equal the whole answer.
 */
final class EmulatorAnswers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    EmulatorAnswers(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** The emulator's non-streamed answer to {@code body} sent to {@code path}. */
    JsonNode answer(String path, ObjectNode body) throws IOException, InterruptedException {
        ObjectNode whole = body.deepCopy();
        whole.remove("stream");
        whole.remove("stream_options");
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(whole.toString()))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("the emulator's answer to %s", whole).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Checks every result row against the emulator's answer to the body that was sent for its id. */
    void assertResultsMatch(Map<String, RequestMix.Sent> sent, Map<String, GenericRecord> results) throws Exception {
        for (Map.Entry<String, GenericRecord> e : results.entrySet()) {
            String id = e.getKey();
            RequestMix.Sent request = sent.get(id);
            assertThat(request).as("result %s was requested", id).isNotNull();
            assertRowMatches(e.getValue(), request.body(), answer(request.path(), request.body()));
        }
    }

    static void assertRowMatches(GenericRecord row, ObjectNode body, JsonNode answer) throws IOException {
        String id = str(row, "custom_id");
        boolean stream = body.path("stream").asBoolean(false);
        boolean chat = body.has("messages");
        assertThat((Integer) row.get("http_status")).as("%s http_status", id).isEqualTo(200);
        assertThat(str(row, "model")).as("%s model", id).isEqualTo(answer.path("model").asText());

        List<?> choices = (List<?>) row.get("choices");
        JsonNode expectedChoices = answer.path("choices");
        assertThat(choices).as("%s choices", id).hasSize(expectedChoices.size());
        for (int i = 0; i < choices.size(); i++) {
            GenericRecord choice = (GenericRecord) choices.get(i);
            JsonNode expected = expectedChoices.get(i);
            String what = id + " choice " + i;
            assertThat((Integer) choice.get("index")).as("%s index", what).isEqualTo(expected.path("index").asInt());
            assertThat(str(choice, "finish_reason")).as("%s finish_reason", what)
                    .isEqualTo(expected.path("finish_reason").asText());
            if (chat) {
                JsonNode message = expected.path("message");
                assertThat(str(choice, "text")).as("%s text", what).isEqualTo(textOrNull(message.path("content")));
                assertThat(str(choice, "role")).as("%s role", what).isEqualTo(message.path("role").asText());
                assertToolCalls(what, (List<?>) choice.get("tool_calls"), message.path("tool_calls"));
                assertChatLogprobs(what, (List<?>) choice.get("logprobs"), expected.path("logprobs"));
            } else {
                assertThat(str(choice, "text")).as("%s text", what).isEqualTo(expected.path("text").asText());
                assertThat(ints(choice.get("tokens"))).as("%s tokens", what).isEqualTo(ints(expected.path("tokens")));
                if (!stream) {
                    assertThat((Long) choice.get("seed")).as("%s seed", what).isEqualTo(expected.path("seed").asLong());
                }
                assertCompletionLogprobs(what, (List<?>) choice.get("logprobs"), expected.path("logprobs"));
            }
        }

        // The job asks a stream for its usage unless the line's stream_options say otherwise.
        boolean usageSent = !stream || body.path("stream_options").path("include_usage").asBoolean(true);
        GenericRecord usage = (GenericRecord) row.get("usage");
        if (usageSent) {
            JsonNode u = answer.path("usage");
            assertThat(usage).as("%s usage", id).isNotNull();
            assertThat(usage.get("prompt_tokens")).as("%s prompt_tokens", id).isEqualTo(u.path("prompt_tokens").asInt());
            assertThat(usage.get("completion_tokens")).as("%s completion_tokens", id)
                    .isEqualTo(u.path("completion_tokens").asInt());
            assertThat(usage.get("total_tokens")).as("%s total_tokens", id).isEqualTo(u.path("total_tokens").asInt());
        } else {
            assertThat(usage).as("%s usage of a stream that did not ask for it", id).isNull();
        }

        String raw = str(row, "response_json");
        assertThat(raw).as("%s response_json", id).isNotNull();
        if (stream) {
            // Kept as the JSON the stream assembles to, the shape of the answer without streaming.
            JsonNode assembled = JSON.readTree(raw);
            assertThat(assembled.path("object").asText()).as("%s object", id).isEqualTo(answer.path("object").asText());
            for (int i = 0; i < expectedChoices.size(); i++) {
                JsonNode got = assembled.path("choices").get(i);
                JsonNode expected = expectedChoices.get(i);
                JsonNode text = chat ? got.path("message").path("content") : got.path("text");
                JsonNode expectedText = chat ? expected.path("message").path("content") : expected.path("text");
                assertThat(text).as("%s assembled choice %d", id, i).isEqualTo(expectedText);
            }
            if (usageSent) {
                assertThat(assembled.path("usage")).as("%s assembled usage", id).isEqualTo(answer.path("usage"));
            }
        } else {
            JsonNode received = JSON.readTree(raw);
            assertThat(str(row, "response_id")).as("%s response_id", id).isEqualTo(received.path("id").asText());
            assertThat(withoutIdAndTime(received)).as("%s response_json", id).isEqualTo(withoutIdAndTime(answer));
        }
    }

    private static void assertToolCalls(String what, List<?> calls, JsonNode expected) {
        assertThat(calls).as("%s tool_calls", what).hasSize(expected.size());
        for (int k = 0; k < calls.size(); k++) {
            GenericRecord call = (GenericRecord) calls.get(k);
            JsonNode e = expected.get(k);
            assertThat(str(call, "id")).as("%s tool call %d id", what, k).isEqualTo(e.path("id").asText());
            assertThat(str(call, "type")).as("%s tool call %d type", what, k).isEqualTo(e.path("type").asText());
            assertThat(str(call, "name")).as("%s tool call %d name", what, k)
                    .isEqualTo(e.path("function").path("name").asText());
            assertThat(str(call, "arguments")).as("%s tool call %d arguments", what, k)
                    .isEqualTo(e.path("function").path("arguments").asText());
        }
    }

    private static void assertChatLogprobs(String what, List<?> rows, JsonNode expected) {
        JsonNode content = expected.path("content");
        if (content.isMissingNode() || content.isNull()) {
            assertThat(rows).as("%s logprobs (not asked for)", what).isNull();
            return;
        }
        assertThat(rows).as("%s logprobs", what).isNotNull().hasSize(content.size());
        for (int j = 0; j < rows.size(); j++) {
            GenericRecord row = (GenericRecord) rows.get(j);
            JsonNode e = content.get(j);
            String at = what + " logprob " + j;
            assertThat(str(row, "token")).as("%s token", at).isEqualTo(e.path("token").asText());
            assertThat((Double) row.get("logprob")).as("%s logprob", at).isEqualTo(e.path("logprob").asDouble());
            assertThat(ints(row.get("bytes"))).as("%s bytes", at).isEqualTo(ints(e.path("bytes")));
            List<?> top = (List<?>) row.get("top_logprobs");
            JsonNode expectedTop = e.path("top_logprobs");
            assertThat(top).as("%s top_logprobs", at).hasSize(expectedTop.size());
            for (int k = 0; k < top.size(); k++) {
                GenericRecord alt = (GenericRecord) top.get(k);
                assertThat(str(alt, "token")).as("%s top %d token", at, k)
                        .isEqualTo(expectedTop.get(k).path("token").asText());
                assertThat((Double) alt.get("logprob")).as("%s top %d logprob", at, k)
                        .isEqualTo(expectedTop.get(k).path("logprob").asDouble());
            }
        }
    }

    private static void assertCompletionLogprobs(String what, List<?> rows, JsonNode expected) {
        if (expected.isMissingNode() || expected.isNull()) {
            assertThat(rows).as("%s logprobs (not asked for)", what).isNull();
            return;
        }
        JsonNode tokens = expected.path("tokens");
        assertThat(rows).as("%s logprobs", what).isNotNull().hasSize(tokens.size());
        for (int j = 0; j < rows.size(); j++) {
            GenericRecord row = (GenericRecord) rows.get(j);
            String at = what + " logprob " + j;
            assertThat(str(row, "token")).as("%s token", at).isEqualTo(tokens.get(j).asText());
            assertThat((Double) row.get("logprob")).as("%s logprob", at)
                    .isEqualTo(expected.path("token_logprobs").get(j).asDouble());
            assertThat((Integer) row.get("text_offset")).as("%s text_offset", at)
                    .isEqualTo(expected.path("text_offset").get(j).asInt());
            List<?> top = (List<?>) row.get("top_logprobs");
            JsonNode expectedTop = expected.path("top_logprobs").get(j);
            List<String> topTokens = new ArrayList<>();
            List<Double> topLogprobs = new ArrayList<>();
            for (Object o : top) {
                topTokens.add(str((GenericRecord) o, "token"));
                topLogprobs.add((Double) ((GenericRecord) o).get("logprob"));
            }
            List<String> expectedTokens = new ArrayList<>();
            List<Double> expectedLogprobs = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = expectedTop.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> alt = it.next();
                expectedTokens.add(alt.getKey());
                expectedLogprobs.add(alt.getValue().asDouble());
            }
            assertThat(topTokens).as("%s top tokens", at).isEqualTo(expectedTokens);
            assertThat(topLogprobs).as("%s top logprobs", at).isEqualTo(expectedLogprobs);
        }
    }

    private static String textOrNull(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    private static List<Integer> ints(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof JsonNode node) {
            if (node.isMissingNode() || node.isNull()) {
                return null;
            }
            List<Integer> out = new ArrayList<>();
            node.forEach(n -> out.add(n.asInt()));
            return out;
        }
        List<Integer> out = new ArrayList<>();
        for (Object o : (List<?>) value) {
            out.add((Integer) o);
        }
        return out;
    }

    private static JsonNode withoutIdAndTime(JsonNode answer) {
        ObjectNode copy = answer.deepCopy();
        copy.remove("id");
        copy.remove("created");
        return copy;
    }
}
