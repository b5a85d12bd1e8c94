package io.friendliflink.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.api.ApiKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The token reaches the wire and nowhere else: not in toString(), exception messages or their causes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TokenSecrecyTest {
    private static final String SECRET = "flp_TopSecret_9f8e7d";
    private static final byte[] BODY = "{\"model\":\"m\",\"prompt\":\"p\"}".getBytes(UTF_8);

    @Test
    void tokenAppearsOnlyInTheAuthorizationHeader() throws Exception {
        List<String> seen = new ArrayList<>();
        List<String> authorization = new ArrayList<>();
        int refusedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusedPort = s.getLocalPort();
        }
        try (ScriptedServer server = new ScriptedServer((req, reply) -> {
                    authorization.add(req.header("authorization"));
                    switch (req.bodyText().contains("\"n\":") ? "" : req.path()) {
                        case "/serverless/v1/completions" -> reply.json(401,
                                "{\"error\":{\"message\":\"invalid token\",\"type\":\"auth\"}}");
                        case "/serverless/v1/chat/completions" -> reply.json(200, "not json");
                        case "/serverless/v1/tokenize" -> reply.json(403, "{\"detail\":\"forbidden\"}");
                        case "/serverless/v1/detokenize" -> {
                            reply.write("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n{");
                            reply.close(true);
                        }
                        default -> reply.stallUntilClientCloses();
                    }
                });
                FriendliClient client = client(server.url());
                FriendliClient refused = client("http://127.0.0.1:" + refusedPort)) {

            seen.add(client.toString());
            seen.add(client.config().toString());
            seen.add(client.config().token().toString());
            HttpResult unauthorized = client.send(ApiKind.COMPLETIONS, BODY, false).get();
            seen.add(unauthorized.toString());
            seen.add(unauthorized.error().toString());
            seen.add(failure(client.send(ApiKind.CHAT_COMPLETIONS, BODY, false)));
            seen.add(failure(client.tokenize("m", "p")));
            seen.add(failure(client.detokenize("m", List.of(1))));
            seen.add(failure(client.send(ApiKind.COMPLETIONS, "{\"n\":1}".getBytes(UTF_8), false,
                    Duration.ofMillis(50))));
            seen.add(failure(refused.send(ApiKind.COMPLETIONS, BODY, false)));
        }

        assertThat(authorization).as("the token does reach the server").contains("Bearer " + SECRET);
        assertThat(seen).hasSize(10).allSatisfy(text -> assertThat(text).doesNotContain(SECRET));
        assertThat(String.join("\n", seen)).contains("ApiToken[env FRIENDLI_TOKEN, ****]",
                "TIMEOUT", "CONNECT", "invalid token", "HttpStatusException");
    }

    private static FriendliClient client(String url) {
        return new FriendliClient(EndpointConfig.builder(url, Deployment.SERVERLESS)
                .token(ApiToken.fromEnv("FRIENDLI_TOKEN", name -> SECRET))
                .build());
    }

    /** Everything a log line could show of the failure: messages, causes, stack trace and the reason. */
    private static String failure(CompletableFuture<?> future) {
        try {
            future.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            StringWriter out = new StringWriter();
            e.printStackTrace(new PrintWriter(out));
            Throwable cause = e.getCause();
            String reason = cause instanceof TransportException t ? " reason=" + t.reason() : "";
            return out + reason;
        }
        throw new AssertionError("expected a failure");
    }
}
