package io.friendliflink.job.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.friendliflink.client.FriendliClient;
import io.friendliflink.client.PreparedRequest;
import io.friendliflink.job.config.JobConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a plan's prompt token counts come from: estimated, or the endpoint's {@code tokenize} call, each distinct
 * prompt of a model asked once. Tokenizing counts the prompt's text, not the tokens a chat template adds around
 * the messages.
 */
final class PromptTokensSource implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FriendliClient client;
    private final long timeoutSeconds;
    private final Map<String, Long> cache = new HashMap<>();
    private long calls;

    private PromptTokensSource(FriendliClient client, long timeoutSeconds) {
        this.client = client;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** @param endpointBaseUrl where to tokenize, or {@code null} to estimate */
    static PromptTokensSource of(JobConfig config, String endpointBaseUrl) {
        if (endpointBaseUrl == null) {
            return new PromptTokensSource(null, 0);
        }
        JobConfig.Endpoint e = config.endpoint();
        return new PromptTokensSource(new FriendliClient(e.client(endpointBaseUrl, 4)),
                Math.max(1, e.client(endpointBaseUrl, 4).attemptTimeout().toSeconds()));
    }

    PromptTokens promptTokens() {
        if (client == null) {
            return PromptTokens.ESTIMATED;
        }
        return new PromptTokens() {
            @Override
            public long count(PreparedRequest request) throws Exception {
                String text = promptText(request);
                String key = request.model() + "\u0000" + text;
                Long cached = cache.get(key);
                if (cached != null) {
                    return cached;
                }
                calls++;
                long tokens = client.tokenize(request.model(), text).get(timeoutSeconds, TimeUnit.SECONDS).size();
                cache.put(key, tokens);
                return tokens;
            }

            @Override
            public String method() {
                return "tokenized";
            }
        };
    }

    long calls() {
        return calls;
    }

    /** The prompt's text: a completion's prompt(s), or the text of a chat's messages, one per line. */
    static String promptText(PreparedRequest request) throws java.io.IOException {
        JsonNode body = JSON.readTree(request.body());
        StringBuilder text = new StringBuilder();
        appendText(body.get("prompt"), text);
        JsonNode messages = body.get("messages");
        if (messages != null && messages.isArray()) {
            for (JsonNode message : messages) {
                appendText(message.get("content"), text);
            }
        }
        return text.toString();
    }

    private static void appendText(JsonNode node, StringBuilder text) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isTextual()) {
            text.append(text.isEmpty() ? "" : "\n").append(node.asText());
        } else if (node.isArray()) {
            for (JsonNode part : node) {
                appendText(part.isObject() ? part.get("text") : part, text);
            }
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
