package io.friendliflink.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** TEST FIXTURE: plain JDK HTTP calls against a running emulator. */
final class TestHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "flp_test_token";

    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String baseUrl;

    TestHttp(Emulator emulator) {
        this.baseUrl = emulator.baseUrl();
    }

    HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String path, String body) throws IOException, InterruptedException {
        return send(post(path, body).build());
    }

    /** Reads a streamed answer line by line, noting when each {@code data:} line arrived. */
    Stream stream(String path, String body) throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> response =
                client.send(post(path, body).build(), HttpResponse.BodyHandlers.ofInputStream());
        Stream s = new Stream(response);
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                s.lines.add(line);
                if (line.startsWith("data: ")) {
                    s.dataArrivalNanos.add(System.nanoTime());
                }
            }
        }
        return s;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stream's raw lines, and the JSON of its {@code data:} events other than {@code [DONE]}. */
    static final class Stream {
        final HttpResponse<?> response;
        final List<String> lines = new ArrayList<>();
        final List<Long> dataArrivalNanos = new ArrayList<>();

        Stream(HttpResponse<?> response) {
            this.response = response;
        }

        List<String> dataPayloads() {
            List<String> out = new ArrayList<>();
            for (String line : lines) {
                if (line.startsWith("data: ")) {
                    out.add(line.substring(6));
                }
            }
            return out;
        }

        List<JsonNode> chunks() {
            List<JsonNode> out = new ArrayList<>();
            for (String p : dataPayloads()) {
                if (!p.equals("[DONE]")) {
                    out.add(json(p));
                }
            }
            return out;
        }

        boolean endsWithDone() {
            List<String> data = dataPayloads();
            return !data.isEmpty() && data.get(data.size() - 1).equals("[DONE]");
        }
    }
}
