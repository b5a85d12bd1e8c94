package io.friendliflink.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.api.ApiKind;
import io.friendliflink.api.response.InferenceResult;
import io.friendliflink.client.TransportException.Cause;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FriendliClientTest {
    static final String SECRET = "flp_SECRET_abc123XYZ";
    static final String CHAT_JSON = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"m\",\"created\":1,"
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello there\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";
    static final byte[] BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(UTF_8);
    static final byte[] STREAM_BODY =
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}".getBytes(UTF_8);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private ScriptedServer server(ScriptedServer.Script script) throws IOException {
        ScriptedServer server = new ScriptedServer(script);
        toClose.add(server);
        return server;
    }

    private FriendliClient client(EndpointConfig.Builder builder) {
        FriendliClient client = new FriendliClient(builder.build());
        toClose.add(client);
        return client;
    }

    private static EndpointConfig.Builder config(String url, Deployment deployment) {
        return EndpointConfig.builder(url, deployment)
                .token(ApiToken.fromEnv("T", name -> SECRET))
                .attemptTimeout(Duration.ofSeconds(10))
                .connectTimeout(Duration.ofSeconds(5));
    }

    private static EndpointConfig.Builder serverless(ScriptedServer server) {
        return config(server.url(), Deployment.SERVERLESS);
    }

    private static TransportException transportFailure(CompletableFuture<?> future) {
        Throwable t = catchFailure(future);
        assertThat(t).isInstanceOf(TransportException.class);
        return (TransportException) t;
    }

    private static Throwable catchFailure(CompletableFuture<?> future) {
        try {
            future.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("future did not complete", e);
        }
        throw new AssertionError("expected the future to fail, but it completed");
    }

    private static List<byte[]> pieces(String... texts) {
        List<byte[]> out = new ArrayList<>();
        for (String t : texts) {
            out.add(t.getBytes(UTF_8));
        }
        return out;
    }

    @Test
    void jsonSuccessIsParsedWithStatusLatencyAndRawBody() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.json(200, CHAT_JSON));
        FriendliClient client = client(serverless(server));

        long before = System.nanoTime();
        HttpResult r = client.send(ApiKind.CHAT_COMPLETIONS, BODY, false).get();
        long elapsed = System.nanoTime() - before;

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.isSuccess()).isTrue();
        assertThat(r.error()).isNull();
        assertThat(r.result().choices()).singleElement().satisfies(c -> {
            assertThat(c.text()).isEqualTo("Hello there");
            assertThat(c.finishReason()).isEqualTo("stop");
        });
        assertThat(r.result().usage().totalTokens()).isEqualTo(5);
        assertThat(new String(r.rawBody(), UTF_8)).isEqualTo(CHAT_JSON);
        assertThat(r.rateLimit()).isEqualTo(RateLimitHeaders.NONE);
        assertThat(r.latencyNanos()).isPositive().isLessThanOrEqualTo(elapsed);
        assertThat(server.onlyRequest().bodyText()).isEqualTo(new String(BODY, UTF_8));
    }

    @Test
    void sseStreamWrittenInManyPiecesIsAssembledIncludingSplitUtf8() throws Exception {
        byte[] accented = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" caf\u00e9\"}}]}\n\n"
                .getBytes(UTF_8);
        int split = indexOf(accented, (byte) 0xC3) + 1; // inside the two-byte é
        List<byte[]> writes = new ArrayList<>(pieces(
                "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,",
                "\"delta\":{\"role\":\"assistant\",\"content\":\"Bonjour\"}}]}\n",
                "\n"));
        writes.add(Arrays.copyOfRange(accented, 0, split));
        writes.add(Arrays.copyOfRange(accented, split, accented.length));
        writes.addAll(pieces(
                "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\r\n\r\n",
                "data: [DO", "NE]\n\n"));
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        writes.forEach(whole::writeBytes);
        ScriptedServer server = server((req, reply) -> reply.sse(writes, true));
        FriendliClient client = client(serverless(server));

        HttpResult r = client.send(ApiKind.CHAT_COMPLETIONS, BODY, true).get();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.result().object()).isEqualTo("chat.completion");
        assertThat(r.result().choices()).singleElement().satisfies(c -> {
            assertThat(c.text()).isEqualTo("Bonjour caf\u00e9");
            assertThat(c.finishReason()).isEqualTo("stop");
        });
        assertThat(r.rawBody()).isEqualTo(whole.toByteArray());
        assertThat(server.onlyRequest().header("accept")).isEqualTo("text/event-stream");
    }

    /** The queue signal of the adaptive concurrency limit: a role alone is not a token; the first text is. */
    @Test
    void aStreamTellsWhenItsFirstTokenCameAndAJsonBodyDoesNot() throws Exception {
        ScriptedServer server = server((req, reply) -> {
            if (!req.bodyText().contains("\"stream\":true")) {
                reply.json(200, CHAT_JSON);
                return;
            }
            reply.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            chunk(reply, "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n");
            try {
                Thread.sleep(300); // the server's queue and prefill, after it has answered with headers and a role
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            chunk(reply, "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n");
            chunk(reply, "data: [DONE]\n\n");
            reply.write("0\r\n\r\n");
        });
        FriendliClient client = client(serverless(server));

        HttpResult streamed = client.send(ApiKind.CHAT_COMPLETIONS, STREAM_BODY, true).get();
        HttpResult json = client.send(ApiKind.CHAT_COMPLETIONS, BODY, false).get();

        assertThat(streamed.result().choices().get(0).text()).isEqualTo("Hi");
        assertThat(streamed.firstOutputNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300))
                .isLessThanOrEqualTo(streamed.latencyNanos());
        assertThat(json.firstOutputNanos()).isEqualTo(-1);
    }

    private static void chunk(ScriptedServer.Reply reply, String text) throws java.io.IOException {
        byte[] bytes = text.getBytes(UTF_8);
        reply.write(Integer.toHexString(bytes.length) + "\r\n").write(bytes).write("\r\n");
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new AssertionError("byte not found");
    }

    @Test
    void pathsAndHeadersFollowTheDeployment() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.json(200, CHAT_JSON));
        FriendliClient serverless = client(serverless(server).teamId("team-7"));
        FriendliClient dedicated = client(config(server.url(), Deployment.DEDICATED));
        FriendliClient openAi = client(config(server.url() + "/v1/", Deployment.OPENAI_COMPATIBLE)
                .token(ApiToken.none()));

        serverless.send(ApiKind.CHAT_COMPLETIONS, BODY, false).get();
        serverless.send(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, BODY, false).get();
        dedicated.send(ApiKind.COMPLETIONS, BODY, false).get();
        openAi.send(ApiKind.CHAT_COMPLETIONS, BODY, false).get();

        List<ScriptedServer.Recorded> seen = server.requests();
        assertThat(seen).extracting(ScriptedServer.Recorded::path).containsExactly(
                "/serverless/v1/chat/completions",
                "/serverless/tools/v1/chat/completions",
                "/dedicated/v1/completions",
                "/v1/chat/completions");
        assertThat(seen).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.header("content-type")).isEqualTo("application/json");
            assertThat(r.header("accept")).isEqualTo("application/json");
            assertThat(r.header("accept-encoding")).isEqualTo("gzip");
            assertThat(r.header("user-agent")).isEqualTo(EndpointConfig.DEFAULT_USER_AGENT);
            assertThat(r.header("host")).isEqualTo("127.0.0.1:" + server.port());
            assertThat(r.body()).isEqualTo(BODY);
        });
        assertThat(seen.get(0).header("authorization")).isEqualTo("Bearer " + SECRET);
        assertThat(seen.get(0).header("x-friendli-team")).isEqualTo("team-7");
        assertThat(seen.get(2).header("authorization")).isEqualTo("Bearer " + SECRET);
        assertThat(seen.get(2).header("x-friendli-team")).isNull();
        assertThat(seen.get(3).header("authorization")).as("no token, no header").isNull();
    }

    @Test
    void pathOverrideReplacesTheDeploymentPath() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.json(200, CHAT_JSON));
        FriendliClient client = client(config(server.url() + "/proxy", Deployment.DEDICATED)
                .pathOverride(ApiKind.CHAT_COMPLETIONS, "/custom/chat"));

        client.send(ApiKind.CHAT_COMPLETIONS, BODY, false).get();

        assertThat(server.onlyRequest().path()).isEqualTo("/proxy/custom/chat");
    }

    @Test
    void tokenizeAndDetokenizeSendTheDocumentedBodiesAndReadTheAnswers() throws Exception {
        ScriptedServer server = server((req, reply) -> {
            if (req.path().endsWith("/tokenize")) {
                reply.json(200, "{\"tokens\":[128000,3923,374]}");
            } else {
                reply.json(200, "{\"text\":\"What is\"}");
            }
        });
        FriendliClient client = client(serverless(server));

        List<Integer> tokens = client.tokenize("llama", "What is").get();
        String text = client.detokenize("llama", List.of(128000, 3923, 374)).get();

        assertThat(tokens).containsExactly(128000, 3923, 374);
        assertThat(text).isEqualTo("What is");
        assertThat(server.requests()).extracting(ScriptedServer.Recorded::path)
                .containsExactly("/serverless/v1/tokenize", "/serverless/v1/detokenize");
        assertThat(server.requests().get(0).bodyText()).isEqualTo("{\"model\":\"llama\",\"prompt\":\"What is\"}");
        assertThat(server.requests().get(1).bodyText()).isEqualTo("{\"model\":\"llama\",\"tokens\":[128000,3923,374]}");
    }

    @Test
    void tokenizeErrorStatusFailsWithTheParsedError() throws Exception {
        ScriptedServer server = server((req, reply) ->
                reply.json(422, "{\"detail\":\"unknown model\"}"));
        FriendliClient client = client(serverless(server));

        Throwable failure = catchFailure(client.tokenize("nope", "x"));

        assertThat(failure).isInstanceOf(HttpStatusException.class)
                .hasMessage("HTTP 422 from /serverless/v1/tokenize: unknown model");
        assertThat(((HttpStatusException) failure).status()).isEqualTo(422);
    }

    @Test
    void tokenizeAnswerWithoutTokensIsMalformed() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.json(200, "{\"ids\":[1]}"));
        FriendliClient client = client(serverless(server));

        TransportException e = transportFailure(client.tokenize("m", "x"));

        assertThat(e.reason()).isEqualTo(Cause.MALFORMED_RESPONSE);
        assertThat(e).hasMessageContaining("\"tokens\"");
    }

    @Test
    void errorStatusCarriesTheParsedErrorAndRateLimitHeaders() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.json(429,
                "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_exceeded\",\"code\":\"429\"}}",
                "Retry-After: 7",
                "X-RateLimit-Limit-Requests: 100",
                "X-RateLimit-Remaining-Requests: 0",
                "X-RateLimit-Reset-Requests: 1m30s",
                "X-RateLimit-Limit-Tokens: 50000",
                "X-RateLimit-Remaining-Tokens: 1234",
                "X-RateLimit-Reset-Tokens: 250ms"));
        FriendliClient client = client(serverless(server));

        HttpResult r = client.send(ApiKind.COMPLETIONS, BODY, false).get();

        assertThat(r.status()).isEqualTo(429);
        assertThat(r.isSuccess()).isFalse();
        assertThat(r.result()).isNull();
        assertThat(r.error().message()).isEqualTo("slow down");
        assertThat(r.error().type()).isEqualTo("rate_limit_exceeded");
        assertThat(r.rateLimit()).isEqualTo(new RateLimitHeaders(Duration.ofSeconds(7), 100L, 0L,
                Duration.ofSeconds(90), 50000L, 1234L, Duration.ofMillis(250)));
    }

    @Test
    void retryAfterAsHttpDateIsMeasuredAgainstTheWallClock() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.json(503, "{\"message\":\"busy\"}",
                "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT"));
        Clock clock = Clock.fixed(Instant.parse("2015-10-21T07:27:30Z"), ZoneOffset.UTC);
        FriendliClient client = new FriendliClient(serverless(server).build(), System::nanoTime, clock);
        toClose.add(client);

        HttpResult r = client.send(ApiKind.COMPLETIONS, BODY, false).get();

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.error().message()).isEqualTo("busy");
        assertThat(r.rateLimit().retryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void retryAfterMsWinsOverRetryAfter() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.json(429, "{}", "Retry-After: 7", "retry-after-ms: 1500"));
        FriendliClient client = client(serverless(server));

        HttpResult r = client.send(ApiKind.COMPLETIONS, BODY, false).get();

        assertThat(r.rateLimit().retryAfter()).isEqualTo(Duration.ofMillis(1500));
        assertThat(r.rateLimit().limitRequests()).isNull();
    }

    @Test
    void attemptTimeoutFailsTheAttemptAndClosesItsConnection() throws Exception {
        ScriptedServer server = server((req, reply) -> {
            if (req.connection() == 1) {
                reply.stallUntilClientCloses();
            } else {
                reply.json(200, CHAT_JSON);
            }
        });
        FriendliClient client = client(serverless(server).attemptTimeout(Duration.ofMillis(150)).maxConnections(1));

        TransportException e = transportFailure(client.send(ApiKind.CHAT_COMPLETIONS, BODY, false));

        assertThat(e.reason()).isEqualTo(Cause.TIMEOUT);
        assertThat(e).hasMessageContaining("within 150 ms");
        assertThat(server.closedByClient.poll(10, TimeUnit.SECONDS)).as("connection closed by the client").isEqualTo(1);
        HttpResult next = client.send(ApiKind.CHAT_COMPLETIONS, BODY, false).get();
        assertThat(next.status()).isEqualTo(200);
        assertThat(server.connectionsAccepted()).as("the timed-out connection was not reused").isEqualTo(2);
    }

    @Test
    void perCallTimeoutOverridesTheConfiguredOne() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.stallUntilClientCloses());
        FriendliClient client = client(serverless(server).attemptTimeout(Duration.ofMinutes(5)));

        TransportException e = transportFailure(
                client.send(ApiKind.CHAT_COMPLETIONS, BODY, false, Duration.ofMillis(100)));

        assertThat(e.reason()).isEqualTo(Cause.TIMEOUT);
        assertThat(e).hasMessageContaining("within 100 ms");
    }

    @Test
    void refusedConnectionFailsWithConnect() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        FriendliClient client = client(config("http://127.0.0.1:" + port, Deployment.SERVERLESS).maxConnections(2));

        List<CompletableFuture<HttpResult>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(client.send(ApiKind.CHAT_COMPLETIONS, BODY, false));
        }

        for (CompletableFuture<HttpResult> f : futures) {
            TransportException e = transportFailure(f);
            assertThat(e.reason()).isEqualTo(Cause.CONNECT);
            assertThat(e).hasMessageContaining("127.0.0.1:" + port);
        }
    }

    @Test
    void connectionClosedInsideTheBodyFailsWithConnectionReset() throws Exception {
        ScriptedServer server = server((req, reply) -> {
            reply.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"id\":");
            reply.close(false);
        });
        FriendliClient client = client(serverless(server));

        TransportException e = transportFailure(client.send(ApiKind.CHAT_COMPLETIONS, BODY, false));

        assertThat(e.reason()).isEqualTo(Cause.CONNECTION_RESET);
    }

    @Test
    void aFailureOnAnExplicitPathOfAKindTheEndpointHasNoPathForStillCompletesNamingThatPath() throws Exception {
        ScriptedServer server = server((req, reply) -> {
            reply.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"id\":");
            reply.close(false);
        });
        FriendliClient client = client(config("http://127.0.0.1:" + server.port(), Deployment.DEDICATED));
        String path = "/serverless/tools/v1/chat/completions";

        CompletableFuture<HttpResult> answer = client.send(
                ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, path, BODY, false, Duration.ofSeconds(5));

        TransportException e = transportFailure(answer);
        assertThat(e.reason()).isEqualTo(Cause.CONNECTION_RESET);
        assertThat(e).hasMessageContaining(path);
    }

    @Test
    void connectionResetInsideAStreamFailsWithConnectionReset() throws Exception {
        ScriptedServer server = server((req, reply) -> {
            reply.sse(pieces("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"), false);
            reply.close(true);
        });
        FriendliClient client = client(serverless(server));

        TransportException e = transportFailure(client.send(ApiKind.CHAT_COMPLETIONS, BODY, true));

        assertThat(e.reason()).isEqualTo(Cause.CONNECTION_RESET);
    }

    @Test
    void streamThatEndsWithoutDoneFailsAsTruncated() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.sse(pieces(
                "data: {\"id\":\"c\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"partial\"}]}\n\n"),
                true));
        FriendliClient client = client(serverless(server));

        TransportException e = transportFailure(client.send(ApiKind.COMPLETIONS, BODY, true));

        assertThat(e.reason()).isEqualTo(Cause.TRUNCATED_STREAM);
        assertThat(e).hasMessageContaining("/serverless/v1/completions");
    }

    @Test
    void aConnectionWhoseAnswerCouldNotBeUsedIsNotReused() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        ScriptedServer server = server((req, reply) -> {
            if (answered.getAndIncrement() == 0) {
                // A stream cut short of [DONE] on a connection kept open: a server in trouble.
                reply.sse(pieces("data: {\"id\":\"c\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"x\"}]}\n\n"),
                        true);
            } else {
                reply.json(200, CHAT_JSON);
            }
        });
        FriendliClient client = client(serverless(server));

        assertThat(transportFailure(client.send(ApiKind.COMPLETIONS, BODY, true)).reason())
                .isEqualTo(Cause.TRUNCATED_STREAM);
        assertThat(client.send(ApiKind.CHAT_COMPLETIONS, BODY, false).get().status()).isEqualTo(200);

        assertThat(server.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void streamReadUntilCloseWithoutDoneFailsAsTruncated() throws Exception {
        ScriptedServer server = server((req, reply) -> {
            reply.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n");
            reply.write("data: {\"id\":\"c\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"x\"}]}\n\n");
            reply.close(false);
        });
        FriendliClient client = client(serverless(server));

        TransportException e = transportFailure(client.send(ApiKind.COMPLETIONS, BODY, true));

        assertThat(e.reason()).isEqualTo(Cause.TRUNCATED_STREAM);
    }

    @Test
    void malformedJsonOnSuccessFailsAsMalformedResponse() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.json(200, "{\"choices\": [ oops"));
        FriendliClient client = client(serverless(server));

        TransportException e = transportFailure(client.send(ApiKind.CHAT_COMPLETIONS, BODY, false));

        assertThat(e.reason()).isEqualTo(Cause.MALFORMED_RESPONSE);
        assertThat(e).hasMessageContaining("HTTP 200").hasMessageContaining("/serverless/v1/chat/completions");
    }

    @Test
    void streamWithAnErrorEventFailsAsMalformedResponseKeepingTheError() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.sse(pieces(
                "event: error\ndata: {\"error\":{\"message\":\"model overloaded\"}}\n\n"), true));
        FriendliClient client = client(serverless(server));

        TransportException e = transportFailure(client.send(ApiKind.CHAT_COMPLETIONS, BODY, true));

        assertThat(e.reason()).isEqualTo(Cause.MALFORMED_RESPONSE);
        assertThat(e).hasMessageContaining("model overloaded");
    }

    @Test
    void streamAnsweredWithJsonIsParsedAsJson() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.json(200, CHAT_JSON));
        FriendliClient client = client(serverless(server));

        HttpResult r = client.send(ApiKind.CHAT_COMPLETIONS, BODY, true).get();

        assertThat(r.result().choices().get(0).text()).isEqualTo("Hello there");
    }

    @Test
    void gzipBodyIsDecompressed() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(CHAT_JSON.getBytes(UTF_8));
        }
        ScriptedServer server = server((req, reply) -> {
            reply.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: "
                    + zipped.size() + "\r\n\r\n");
            reply.write(zipped.toByteArray());
        });
        FriendliClient client = client(serverless(server));

        HttpResult r = client.send(ApiKind.CHAT_COMPLETIONS, BODY, false).get();

        assertThat(new String(r.rawBody(), UTF_8)).isEqualTo(CHAT_JSON);
        assertThat(r.result().choices().get(0).text()).isEqualTo("Hello there");
    }

    @Test
    void bodyLargerThanMaxResponseBytesFailsClearly() throws Exception {
        String big = "{\"pad\":\"" + "x".repeat(5000) + "\"}";
        ScriptedServer server = server((req, reply) -> {
            if (req.path().endsWith("/completions") && req.path().contains("chat")) {
                reply.json(200, big);
            } else {
                reply.sse(pieces("data: " + big + "\n\n"), true);
            }
        });
        FriendliClient client = client(serverless(server).maxResponseBytes(4096));

        TransportException known = transportFailure(client.send(ApiKind.CHAT_COMPLETIONS, BODY, false));
        TransportException streamed = transportFailure(client.send(ApiKind.COMPLETIONS, BODY, true));

        assertThat(known.reason()).isEqualTo(Cause.MALFORMED_RESPONSE);
        assertThat(known).hasMessageContaining("exceeds maxResponseBytes (4096)");
        assertThat(streamed.reason()).isEqualTo(Cause.MALFORMED_RESPONSE);
        assertThat(streamed).hasMessageContaining("exceeds maxResponseBytes (4096)");
    }

    @Test
    void sequentialRequestsReuseOneKeepAliveConnection() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.json(200, CHAT_JSON));
        FriendliClient client = client(serverless(server));

        for (int i = 0; i < 50; i++) {
            assertThat(client.send(ApiKind.CHAT_COMPLETIONS, BODY, false).get().status()).isEqualTo(200);
        }

        assertThat(server.requests()).hasSize(50);
        assertThat(server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void responseWithConnectionCloseIsNotReused() throws Exception {
        ScriptedServer server = server((req, reply) -> {
            reply.json(200, CHAT_JSON, "Connection: close");
            reply.close(false);
        });
        FriendliClient client = client(serverless(server));

        for (int i = 0; i < 3; i++) {
            assertThat(client.send(ApiKind.CHAT_COMPLETIONS, BODY, false).get().status()).isEqualTo(200);
        }

        assertThat(server.connectionsAccepted()).isEqualTo(3);
    }

    @Test
    void manyConcurrentRequestsShareABoundedPoolAndAllComplete() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.json(200, CHAT_JSON));
        FriendliClient client = client(serverless(server).maxConnections(8));

        List<CompletableFuture<HttpResult>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(client.send(ApiKind.CHAT_COMPLETIONS, BODY, false));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        assertThat(futures).allSatisfy(f -> assertThat(f.join().status()).isEqualTo(200));
        assertThat(server.requests()).hasSize(200);
        assertThat(server.connectionsAccepted()).isBetween(1, 8);
        assertThat(server.maxConcurrentConnections()).isLessThanOrEqualTo(8);
    }

    @Test
    void twoThousandRequestsInFlightAllComplete() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.json(200, CHAT_JSON));
        FriendliClient client = client(serverless(server).maxConnections(32));

        List<CompletableFuture<HttpResult>> futures = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            futures.add(client.send(ApiKind.CHAT_COMPLETIONS, BODY, false));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        assertThat(futures).allSatisfy(f -> assertThat(f.join().result().choices()).hasSize(1));
        assertThat(server.connectionsAccepted()).isLessThanOrEqualTo(32);
    }

    @Test
    void poolBoundHoldsAcrossSeveralEventLoops() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.json(200, CHAT_JSON));
        FriendliClient client = client(serverless(server).maxConnections(5).eventLoopThreads(2));

        List<CompletableFuture<HttpResult>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(client.send(ApiKind.CHAT_COMPLETIONS, BODY, false));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        assertThat(server.requests()).hasSize(200);
        assertThat(server.connectionsAccepted()).isBetween(2, 5);
    }

    /** A client shared by more callers holds the connections of each: waiting requests get the new ones at once. */
    @Test
    void addedConnectionsServeRequestsThatWaitedForOne() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.stallUntilClientCloses());
        FriendliClient client = client(serverless(server).maxConnections(2));
        for (int i = 0; i < 6; i++) {
            client.send(ApiKind.CHAT_COMPLETIONS, BODY, false);
        }
        server.takeRequest();
        server.takeRequest();
        Thread.sleep(200);
        assertThat(server.requests()).as("two connections, each busy").hasSize(2);

        client.addConnections(3);

        for (int i = 0; i < 3; i++) {
            server.takeRequest();
        }
        Thread.sleep(200);
        assertThat(server.requests()).hasSize(5);
        assertThat(server.maxConcurrentConnections()).isEqualTo(5);
    }

    @Test
    void closeFailsWaitingRequestsAndLaterSends() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.stallUntilClientCloses());
        FriendliClient client = new FriendliClient(serverless(server).maxConnections(1).build());
        CompletableFuture<HttpResult> inFlight = client.send(ApiKind.CHAT_COMPLETIONS, BODY, false);
        server.takeRequest();
        CompletableFuture<HttpResult> waiting = client.send(ApiKind.CHAT_COMPLETIONS, BODY, false);

        client.close();

        assertThat(((TransportException) catchFailure(inFlight)).reason()).isEqualTo(Cause.CONNECTION_RESET);
        assertThat(catchFailure(waiting)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(catchFailure(client.send(ApiKind.CHAT_COMPLETIONS, BODY, false)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void streamingAKindThatDoesNotStreamIsRejected() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.json(200, "{}"));
        FriendliClient client = client(serverless(server));

        assertThatThrownBy(() -> client.send(ApiKind.TOKENIZE, BODY, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stream: TOKENIZE does not stream");
    }

    @Test
    void toolAssistedChatOnADedicatedEndpointNeedsAnOverride() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.json(200, "{}"));
        FriendliClient client = client(config(server.url(), Deployment.DEDICATED));

        assertThatThrownBy(() -> client.send(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, BODY, false))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("pathOverride(TOOL_ASSISTED_CHAT_COMPLETIONS");
    }

    @Test
    void supportsNamesTheKindsTheEndpointHasAPathFor() throws Exception {
        ScriptedServer server = server((req, reply) -> reply.json(200, "{}"));
        FriendliClient dedicated = client(config(server.url(), Deployment.DEDICATED));
        FriendliClient overridden = client(config(server.url(), Deployment.DEDICATED)
                .pathOverride(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, "/tools/chat"));

        assertThat(dedicated.supports(ApiKind.CHAT_COMPLETIONS)).isTrue();
        assertThat(dedicated.supports(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS)).isFalse();
        assertThat(overridden.supports(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS)).isTrue();
        assertThat(dedicated.supports(null)).isFalse();
    }
}
