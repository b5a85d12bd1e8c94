package io.friendliflink.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.emulator.fault.Fault;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pacing of answers by the latency model, and the counters in {@link Emulator#stats()}. */
class EmulatorLatencyAndStatsTest {
    static final String CHAT_PATH = "/serverless/v1/chat/completions";

    @Test
    void streamedTokensArriveSpreadOverTime() throws Exception {
        try (Emulator e = Emulator.start(EmulatorConfig.builder().ioThreads(1)
                .timeToFirstToken(Duration.ofMillis(150)).timePerOutputToken(Duration.ofMillis(60)).jitter(0.2)
                .build(), new ScriptedTestModel())) {
            long start = System.nanoTime();
            TestHttp.Stream s = new TestHttp(e).stream("/serverless/v1/completions",
                    EmulatorPathsTest.COMPLETION + ",\"stream\":true}");

            List<Long> arrivals = s.dataArrivalNanos;
            assertThat(arrivals).hasSize(6);
            long firstMs = (arrivals.get(0) - start) / 1_000_000;
            long spreadMs = (arrivals.get(4) - arrivals.get(0)) / 1_000_000;
            // 150 ms +-20% to the first token; 4 more tokens at 60 ms +-20% each: >= 192 ms between them
            assertThat(firstMs).isGreaterThanOrEqualTo(110);
            assertThat(spreadMs).isGreaterThanOrEqualTo(180);
        }
    }

    @Test
    void nonStreamedAnswerComesAfterTheWholeGenerationTime() throws Exception {
        try (Emulator e = Emulator.start(EmulatorConfig.builder().ioThreads(1)
                .timeToFirstToken(Duration.ofMillis(100)).timePerOutputToken(Duration.ofMillis(50)).build(),
                new ScriptedTestModel())) {
            long start = System.nanoTime();
            HttpResponse<String> r = new TestHttp(e).postJson(CHAT_PATH, EmulatorPathsTest.CHAT + "}");

            assertThat(r.statusCode()).isEqualTo(200);
            // 100 ms + 4 x 50 ms for five tokens
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(290);
        }
    }

    @Test
    void statsCountStatusesPathsTokensAndFaults() throws Exception {
        try (Emulator e = Emulator.start(EmulatorConfig.builder().ioThreads(1).build(), new ScriptedTestModel())) {
            TestHttp http = new TestHttp(e);
            http.postJson(CHAT_PATH, EmulatorPathsTest.CHAT + "}");
            http.postJson(CHAT_PATH, EmulatorPathsTest.CHAT + "}");
            http.postJson("/v1/completions", EmulatorPathsTest.COMPLETION + "}");
            http.postJson(CHAT_PATH, "{\"model\":\"m\"}");
            http.postJson("/nowhere", "{}");

            EmulatorStats stats = e.stats();
            assertThat(stats.responses(200)).isEqualTo(3);
            assertThat(stats.responses(422)).isEqualTo(1);
            assertThat(stats.responses(404)).isEqualTo(1);
            assertThat(stats.requests(CHAT_PATH)).isEqualTo(3);
            assertThat(stats.requests("/v1/completions")).isEqualTo(1);
            assertThat(stats.requests("other")).isEqualTo(1);
            assertThat(stats.promptTokens()).isEqualTo(2 * "Hello!".length() + "Say hi".length());
            assertThat(stats.completionTokens()).isEqualTo(15);
            assertThat(stats.faultsInjected()).isEmpty();

            HttpResponse<String> served = http.send(HttpRequest.newBuilder(
                    URI.create(e.baseUrl() + "/_emulator/stats")).GET().build());
            assertThat(served.statusCode()).isEqualTo(200);
            JsonNode json = TestHttp.json(served.body());
            assertThat(json.get("responsesByStatus").get("200").asLong()).isEqualTo(3);
            assertThat(json.get("completionTokens").asLong()).isEqualTo(15);
        }
    }

    @Test
    void statsCountInjectedFaultsByName() throws Exception {
        try (Emulator e = Emulator.start(EmulatorConfig.builder().ioThreads(1).fault(Fault.HTTP_502, 1.0).build(),
                new ScriptedTestModel())) {
            TestHttp http = new TestHttp(e);
            http.postJson(CHAT_PATH, EmulatorPathsTest.CHAT + "}");
            http.postJson(CHAT_PATH, EmulatorPathsTest.CHAT + "}");

            assertThat(e.stats().faultsInjected()).containsEntry("fault-502", 2L);
            assertThat(e.stats().responses(502)).isEqualTo(2);
            assertThat(e.stats().completionTokens()).isZero();
        }
    }
}
