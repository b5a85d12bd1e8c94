package io.friendliflink.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.emulator.fault.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each injected fault, with probability 1 so every request gets it. */
class EmulatorFaultsTest {
    static final String CHAT_PATH = "/serverless/v1/chat/completions";
    static final String CHAT = EmulatorPathsTest.CHAT + "}";
    static final String CHAT_STREAM = EmulatorPathsTest.CHAT + ",\"stream\":true}";

    private static Emulator start(Fault fault) {
        return Emulator.start(EmulatorConfig.builder().ioThreads(1).fault(fault, 1.0)
                .slowResponseDelay(Duration.ofSeconds(3)).build(), new ScriptedTestModel());
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"HTTP_500", "HTTP_502", "HTTP_503", "HTTP_504"})
    void errorStatusFaultsAnswerWithThatStatusAndAnErrorBody(Fault fault) throws Exception {
        try (Emulator e = start(fault)) {
            HttpResponse<String> r = new TestHttp(e).postJson(CHAT_PATH, CHAT);

            assertThat(r.statusCode()).isEqualTo(fault.status());
            JsonNode error = TestHttp.json(r.body()).get("error");
            assertThat(error.get("type").asText()).isEqualTo("server_error");
            assertThat(error.get("message").asText()).isNotBlank();
            assertThat(e.stats().faults(fault.option())).isEqualTo(1);
            assertThat(e.stats().responses(fault.status())).isEqualTo(1);
        }
    }

    @Test
    void anInvalidOutputIgnoresTheJsonSchemaButAnswersARequestWithoutOneFaithfully() throws Exception {
        String schema = ",\"max_tokens\":200,\"seed\":3,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":"
                + "{\"schema\":{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"}},"
                + "\"required\":[\"answer\"],\"additionalProperties\":false}}}}";
        String plain = ",\"max_tokens\":8,\"seed\":3}";
        try (Emulator faulty = Emulator.start(EmulatorConfig.builder().ioThreads(1).fault(Fault.INVALID_OUTPUT, 1.0)
                .build());
                Emulator faithful = Emulator.start(EmulatorConfig.builder().ioThreads(1).build())) {
            HttpResponse<String> ignored = new TestHttp(faulty).postJson(CHAT_PATH, EmulatorPathsTest.CHAT + schema);
            HttpResponse<String> kept = new TestHttp(faithful).postJson(CHAT_PATH, EmulatorPathsTest.CHAT + schema);

            assertThat(ignored.statusCode()).isEqualTo(200);
            JsonNode answer = TestHttp.json(content(ignored));
            assertThat(answer.isObject()).as("still a JSON object: %s", answer).isTrue();
            assertThat(answer.has("answer")).as("outside the schema: %s", answer).isFalse();
            assertThat(TestHttp.json(content(kept)).fieldNames()).toIterable().containsExactly("answer");
            assertThat(faulty.stats().faults("fault-invalid-output")).isEqualTo(1);

            assertThat(content(new TestHttp(faulty).postJson(CHAT_PATH, EmulatorPathsTest.CHAT + plain)))
                    .as("a request without a json_schema").isEqualTo(
                            content(new TestHttp(faithful).postJson(CHAT_PATH, EmulatorPathsTest.CHAT + plain)));
        }
    }

    private static String content(HttpResponse<String> r) throws JsonProcessingException {
        return TestHttp.json(r.body()).get("choices").get(0).get("message").get("content").asText();
    }

    @Test
    void aTransient429TiedToNoLimitCarriesNoRetryAfterNorRateLimitHeaders() throws Exception {
        try (Emulator e = start(Fault.HTTP_429)) {
            HttpResponse<String> r = new TestHttp(e).postJson(CHAT_PATH, CHAT);

            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("retry-after")).isEmpty();
            assertThat(r.headers().map().keySet()).noneMatch(h -> h.startsWith("x-ratelimit"));
            assertThat(TestHttp.json(r.body()).get("error").get("message").asText()).isNotBlank();
            assertThat(e.stats().faults("fault-429")).isEqualTo(1);
            assertThat(e.stats().responses(429)).isEqualTo(1);
        }
    }

    @Test
    void aTransient429WithRetryAfterAsksForOneSecond() throws Exception {
        try (Emulator e = start(Fault.HTTP_429_RETRY_AFTER)) {
            HttpResponse<String> r = new TestHttp(e).postJson(CHAT_PATH, CHAT);

            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("retry-after")).hasValue("1");
            assertThat(e.stats().faults("fault-429-retry-after")).isEqualTo(1);
        }
    }

    @Test
    void aTransient429UnderARequestLimitStillNamesWhatRemains() throws Exception {
        try (Emulator e = Emulator.start(EmulatorConfig.builder().ioThreads(1).requestsPerMinute(100)
                .fault(Fault.HTTP_429, 1.0).build(), new ScriptedTestModel())) {
            HttpResponse<String> r = new TestHttp(e).postJson(CHAT_PATH, CHAT);

            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("99");
            assertThat(r.headers().firstValue("retry-after")).isEmpty();
        }
    }

    @Test
    void faultsDoNotHitRequestsThatFailValidation() throws Exception {
        try (Emulator e = start(Fault.HTTP_503)) {
            assertThat(new TestHttp(e).postJson(CHAT_PATH, "{\"model\":\"m\"}").statusCode()).isEqualTo(422);
            assertThat(e.stats().faults("fault-503")).isZero();
        }
    }

    @Test
    void connectionResetOnJsonSendsHeadersAndPartOfTheBodyThenResets() throws Exception {
        try (Emulator e = start(Fault.CONNECTION_RESET)) {
            RawExchange raw = RawExchange.post(e, CHAT_PATH, CHAT);

            assertThat(raw.text).startsWith("HTTP/1.1 200 OK");
            assertThat(raw.contentLength()).isGreaterThan(raw.body().length());
            assertThat(raw.body()).startsWith("{\"id\":\"chatcmpl-");
            assertThat(raw.failure).isInstanceOf(SocketException.class);
            assertThat(raw.failure.getMessage()).containsIgnoringCase("reset");
            assertThat(e.stats().faults("fault-reset")).isEqualTo(1);
        }
    }

    @Test
    void connectionResetOnStreamResetsAfterSomeChunks() throws Exception {
        try (Emulator e = start(Fault.CONNECTION_RESET)) {
            RawExchange raw = RawExchange.post(e, CHAT_PATH, CHAT_STREAM);

            assertThat(raw.text).startsWith("HTTP/1.1 200 OK").contains("data: {");
            assertThat(raw.text).doesNotContain("[DONE]");
            assertThat(raw.failure).isInstanceOf(SocketException.class);
        }
    }

    @Test
    void connectionResetFailsTheJdkClient() throws Exception {
        try (Emulator e = start(Fault.CONNECTION_RESET)) {
            assertThatThrownBy(() -> new TestHttp(e).postJson(CHAT_PATH, CHAT)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void truncatedStreamEndsCleanlyWithoutDone() throws Exception {
        try (Emulator e = start(Fault.TRUNCATED_STREAM)) {
            TestHttp.Stream s = new TestHttp(e).stream(CHAT_PATH, CHAT_STREAM);

            assertThat(s.response.statusCode()).isEqualTo(200);
            assertThat(s.chunks()).isNotEmpty();
            assertThat(s.endsWithDone()).isFalse();
            assertThat(s.dataPayloads()).doesNotContain("[DONE]");
            assertThat(e.stats().faults("fault-truncate")).isEqualTo(1);
        }
    }

    @Test
    void truncatedJsonBodyEndsShortOfItsContentLength() throws Exception {
        try (Emulator e = start(Fault.TRUNCATED_STREAM)) {
            RawExchange raw = RawExchange.post(e, CHAT_PATH, CHAT);

            assertThat(raw.failure).isNull();
            assertThat(raw.contentLength()).isGreaterThan(raw.body().length());
        }
    }

    @Test
    void malformedJsonComesWithStatus200() throws Exception {
        try (Emulator e = start(Fault.MALFORMED_JSON)) {
            HttpResponse<String> r = new TestHttp(e).postJson(CHAT_PATH, CHAT);

            assertThat(r.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> TestHttp.JSON.readTree(r.body())).isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void malformedJsonInAStreamBreaksOneEventAndTheStreamGoesOn() throws Exception {
        try (Emulator e = start(Fault.MALFORMED_JSON)) {
            TestHttp.Stream s = new TestHttp(e).stream(CHAT_PATH, CHAT_STREAM);

            long broken = s.dataPayloads().stream().filter(p -> !p.equals("[DONE]")).filter(p -> {
                try {
                    TestHttp.JSON.readTree(p);
                    return false;
                } catch (JsonProcessingException ex) {
                    return true;
                }
            }).count();
            assertThat(broken).isEqualTo(1);
            assertThat(s.endsWithDone()).isTrue();
        }
    }

    @Test
    void slowResponseOutlastsTheClientTimeout() throws Exception {
        try (Emulator e = start(Fault.SLOW_RESPONSE)) {
            TestHttp http = new TestHttp(e);

            assertThatThrownBy(() -> http.send(http.post(CHAT_PATH, CHAT).timeout(Duration.ofMillis(300)).build()))
                    .isInstanceOf(HttpTimeoutException.class);
            assertThat(e.stats().faults("fault-slow")).isEqualTo(1);
        }
    }

    @Test
    void slowResponseStillAnswersAfterItsDelay() throws Exception {
        try (Emulator e = Emulator.start(EmulatorConfig.builder().ioThreads(1).fault(Fault.SLOW_RESPONSE, 1.0)
                .slowResponseDelay(Duration.ofMillis(300)).build(), new ScriptedTestModel())) {
            long start = System.nanoTime();
            HttpResponse<String> r = new TestHttp(e).postJson(CHAT_PATH, CHAT);

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(280);
        }
    }

    @Test
    void faultsAreDrawnByProbabilityReproduciblyFromTheSeed() throws Exception {
        EmulatorConfig config = EmulatorConfig.builder().ioThreads(1).seed(1234).fault(Fault.HTTP_503, 0.5).build();
        StringBuilder[] runs = {new StringBuilder(), new StringBuilder()};
        for (StringBuilder run : runs) {
            try (Emulator e = Emulator.start(config, new ScriptedTestModel())) {
                TestHttp http = new TestHttp(e);
                for (int i = 0; i < 40; i++) {
                    run.append(http.postJson(CHAT_PATH, CHAT).statusCode() == 503 ? 'F' : '.');
                }
            }
        }
        assertThat(runs[0].toString()).isEqualTo(runs[1].toString()).contains("F").contains(".");
    }

    /** A hand-written HTTP/1.1 exchange on a socket, to see exactly what arrived before a reset. */
    static final class RawExchange {
        String text = "";
        IOException failure;

        static RawExchange post(Emulator e, String path, String body) throws IOException {
            RawExchange raw = new RawExchange();
            try (Socket socket = new Socket("127.0.0.1", e.port())) {
                socket.setSoTimeout(5000);
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer x\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.flush();
                InputStream in = socket.getInputStream();
                java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
                byte[] buf = new byte[4096];
                try {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        received.write(buf, 0, n);
                    }
                } catch (IOException ex) {
                    raw.failure = ex;
                }
                raw.text = received.toString(StandardCharsets.UTF_8);
            }
            return raw;
        }

        int contentLength() {
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    return Integer.parseInt(line.substring(15).trim());
                }
            }
            return -1;
        }

        String body() {
            int at = text.indexOf("\r\n\r\n");
            return at < 0 ? "" : text.substring(at + 4);
        }
    }
}
