package io.friendliflink.job.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.friendliflink.client.FriendliClient;
import io.friendliflink.client.PreparedRequest;
import io.friendliflink.job.config.JobConfig;
import io.friendliflink.job.files.FlinkFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.fs.Path;

/**
 * Where a plan's prompt token counts come from: estimated, or the endpoint's {@code tokenize} call, each distinct
 * prompt of a model asked once. Tokenizing counts the prompt's text, not the tokens a chat template adds around
 * the messages.
 *
 * <p>The counts are kept in {@code <output>/_PLAN_TOKENS.tsv} (the model, a SHA-256 of the prompt, the count; no
 * prompt text), so planning the same input again asks only for prompts not seen before.
 */
final class PromptTokensSource implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String CACHE_FILE = "_PLAN_TOKENS.tsv";

    private final FriendliClient client;
    private final long timeoutSeconds;
    private final Path cacheFile;
    private final Map<String, Long> cache = new HashMap<>();
    private long calls;

    private PromptTokensSource(FriendliClient client, long timeoutSeconds, Path cacheFile) throws IOException {
        this.client = client;
        this.timeoutSeconds = timeoutSeconds;
        this.cacheFile = cacheFile;
        if (cacheFile != null && FlinkFiles.isFile(cacheFile)) {
            for (String line : FlinkFiles.readString(cacheFile).split("\n")) {
                int tab = line.lastIndexOf('\t');
                if (tab > 0) {
                    cache.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
                }
            }
        }
    }

    /** @param endpointBaseUrl where to tokenize, or {@code null} to estimate */
    static PromptTokensSource of(JobConfig config, String endpointBaseUrl) throws IOException {
        if (endpointBaseUrl == null) {
            return new PromptTokensSource(null, 0, null);
        }
        JobConfig.Endpoint e = config.endpoint();
        return new PromptTokensSource(new FriendliClient(e.client(endpointBaseUrl, 4)),
                Math.max(1, e.client(endpointBaseUrl, 4).attemptTimeout().toSeconds()),
                FlinkFiles.child(config.output().path(), CACHE_FILE));
    }

    PromptTokens promptTokens() {
        if (client == null) {
            return PromptTokens.ESTIMATED;
        }
        return new PromptTokens() {
            @Override
            public long count(PreparedRequest request) throws Exception {
                String key = request.model() + "\t" + sha256(promptText(request));
                Long cached = cache.get(key);
                if (cached != null) {
                    return cached;
                }
                calls++;
                long tokens = client.tokenize(request.model(), promptText(request))
                        .get(timeoutSeconds, TimeUnit.SECONDS).size();
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

    private static String sha256(String text) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() throws IOException {
        if (client == null) {
            return;
        }
        client.close();
        if (calls > 0) {
            StringBuilder lines = new StringBuilder();
            cache.forEach((key, count) -> lines.append(key).append('\t').append(count).append('\n'));
            FlinkFiles.writeString(cacheFile, lines.toString());
        }
    }
}
