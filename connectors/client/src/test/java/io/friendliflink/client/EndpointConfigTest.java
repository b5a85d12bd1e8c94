package io.friendliflink.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.api.ApiKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointConfigTest {
    private static final ApiToken TOKEN = ApiToken.fromEnv("FRIENDLI_TOKEN", Map.of("FRIENDLI_TOKEN", "flp_hidden42")::get);

    private static EndpointConfig.Builder builder(String url, Deployment deployment) {
        return EndpointConfig.builder(url, deployment).token(TOKEN);
    }

    @Test
    void serverlessPathsAreUnderServerlessV1WithToolsOnTheirOwnPath() {
        EndpointConfig c = builder("https://api.friendli.ai", Deployment.SERVERLESS).build();

        assertThat(c.pathFor(ApiKind.CHAT_COMPLETIONS)).isEqualTo("/serverless/v1/chat/completions");
        assertThat(c.pathFor(ApiKind.COMPLETIONS)).isEqualTo("/serverless/v1/completions");
        assertThat(c.pathFor(ApiKind.TOKENIZE)).isEqualTo("/serverless/v1/tokenize");
        assertThat(c.pathFor(ApiKind.DETOKENIZE)).isEqualTo("/serverless/v1/detokenize");
        assertThat(c.pathFor(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS)).isEqualTo("/serverless/tools/v1/chat/completions");
        assertThat(c.isTls()).isTrue();
        assertThat(c.port()).isEqualTo(443);
        assertThat(c.hostHeader()).isEqualTo("api.friendli.ai");
    }

    @Test
    void dedicatedPathsAreUnderDedicatedV1() {
        EndpointConfig c = builder("https://api.friendli.ai/", Deployment.DEDICATED).build();

        assertThat(c.pathFor(ApiKind.CHAT_COMPLETIONS)).isEqualTo("/dedicated/v1/chat/completions");
        assertThat(c.pathFor(ApiKind.COMPLETIONS)).isEqualTo("/dedicated/v1/completions");
        assertThat(c.pathFor(ApiKind.TOKENIZE)).isEqualTo("/dedicated/v1/tokenize");
        assertThatThrownBy(() -> c.pathFor(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("TOOL_ASSISTED_CHAT_COMPLETIONS has no endpoint on a DEDICATED deployment;"
                        + " set pathOverride(TOOL_ASSISTED_CHAT_COMPLETIONS, ...) if the server has one");
    }

    @Test
    void openAiCompatiblePathsFollowTheBaseUrlPrefix() {
        EndpointConfig c = builder("http://localhost:8000/v1", Deployment.OPENAI_COMPATIBLE).build();

        assertThat(c.pathFor(ApiKind.CHAT_COMPLETIONS)).isEqualTo("/v1/chat/completions");
        assertThat(c.pathFor(ApiKind.COMPLETIONS)).isEqualTo("/v1/completions");
        assertThat(c.pathFor(ApiKind.TOKENIZE)).isEqualTo("/v1/tokenize");
        assertThat(c.pathFor(ApiKind.DETOKENIZE)).isEqualTo("/v1/detokenize");
        assertThat(c.isTls()).isFalse();
        assertThat(c.hostHeader()).isEqualTo("localhost:8000");
    }

    @Test
    void pathOverrideReplacesOnlyItsKind() {
        EndpointConfig c = builder("http://h:8000/v1", Deployment.OPENAI_COMPATIBLE)
                .pathOverride(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, "/tools/chat")
                .build();

        assertThat(c.pathFor(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS)).isEqualTo("/v1/tools/chat");
        assertThat(c.pathFor(ApiKind.CHAT_COMPLETIONS)).isEqualTo("/v1/chat/completions");
    }

    @Test
    void defaultsAreDocumented() {
        EndpointConfig c = builder("http://127.0.0.1:1", Deployment.SERVERLESS).build();

        assertThat(c.attemptTimeout()).isEqualTo(EndpointConfig.DEFAULT_ATTEMPT_TIMEOUT);
        assertThat(c.connectTimeout()).isEqualTo(EndpointConfig.DEFAULT_CONNECT_TIMEOUT);
        assertThat(c.maxConnections()).isEqualTo(EndpointConfig.DEFAULT_MAX_CONNECTIONS);
        assertThat(c.eventLoopThreads()).isEqualTo(1);
        assertThat(c.teamId()).isEmpty();
        assertThat(c.userAgent()).isEqualTo(EndpointConfig.DEFAULT_USER_AGENT);
    }

    @Test
    void toStringIsWorthLoggingAndHidesTheToken() {
        EndpointConfig c = builder("https://api.friendli.ai", Deployment.SERVERLESS)
                .teamId("team-9").maxConnections(32).attemptTimeout(Duration.ofSeconds(30)).build();

        assertThat(c.toString())
                .contains("baseUrl=https://api.friendli.ai", "deployment=SERVERLESS", "teamId=team-9",
                        "token=ApiToken[env FRIENDLI_TOKEN, ****]", "maxConnections=32", "attemptTimeout=PT30S")
                .doesNotContain("flp_hidden42");
    }

    @Test
    void baseUrlMustBeHttpOrHttpsWithAHost() {
        assertThatThrownBy(() -> builder("ftp://h", Deployment.SERVERLESS).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("baseUrl must use http or https, was 'ftp://h'");
        assertThatThrownBy(() -> builder("api.friendli.ai", Deployment.SERVERLESS).build())
                .hasMessage("baseUrl must use http or https, was 'api.friendli.ai'");
        assertThatThrownBy(() -> builder("http:///v1", Deployment.SERVERLESS).build())
                .hasMessage("baseUrl must name a host, was 'http:///v1'");
        assertThatThrownBy(() -> builder("http://h x", Deployment.SERVERLESS).build())
                .hasMessageStartingWith("baseUrl is not a valid URL");
        assertThatThrownBy(() -> builder(null, Deployment.SERVERLESS).build())
                .hasMessage("baseUrl must be an http or https URL, was null");
    }

    @Test
    void baseUrlWithCredentialsOrQueryIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> builder("https://user:pa55word@h", Deployment.SERVERLESS).build())
                .hasMessage("baseUrl must not contain user info (credentials belong in the token)");
        assertThatThrownBy(() -> builder("https://h/v1?api_key=k3y", Deployment.SERVERLESS).build())
                .hasMessage("baseUrl must not contain a query or fragment");
    }

    @Test
    void requiredAndNumericParametersAreNamedInTheirErrors() {
        assertThatThrownBy(() -> EndpointConfig.builder("http://h", Deployment.SERVERLESS).build())
                .hasMessageStartingWith("token must be set");
        assertThatThrownBy(() -> EndpointConfig.builder("http://h", null).token(TOKEN).build())
                .hasMessage("deployment must not be null");
        assertThatThrownBy(() -> builder("http://h", Deployment.SERVERLESS).maxConnections(0))
                .hasMessage("maxConnections must be >= 1, was 0");
        assertThatThrownBy(() -> builder("http://h", Deployment.SERVERLESS).eventLoopThreads(0))
                .hasMessage("eventLoopThreads must be >= 1, was 0");
        assertThatThrownBy(() -> builder("http://h", Deployment.SERVERLESS).maxResponseBytes(0))
                .hasMessage("maxResponseBytes must be >= 1, was 0");
        assertThatThrownBy(() -> builder("http://h", Deployment.SERVERLESS).attemptTimeout(Duration.ZERO))
                .hasMessage("attemptTimeout must be a positive duration, was PT0S");
        assertThatThrownBy(() -> builder("http://h", Deployment.SERVERLESS).connectTimeout(Duration.ofSeconds(-1)))
                .hasMessage("connectTimeout must be a positive duration, was PT-1S");
        assertThatThrownBy(() -> builder("http://h", Deployment.SERVERLESS).maxConnections(2).eventLoopThreads(3).build())
                .hasMessageStartingWith("eventLoopThreads (3) must not exceed maxConnections (2)");
    }

    @Test
    void headerValuesAndPathsCannotInjectIntoTheRequest() {
        assertThatThrownBy(() -> builder("http://h", Deployment.SERVERLESS).teamId("t\r\nX-Evil: 1"))
                .hasMessage("teamId must be printable ASCII (it is sent as a header), has a bad character at index 1");
        assertThatThrownBy(() -> builder("http://h", Deployment.SERVERLESS).teamId(" "))
                .hasMessage("teamId must not be blank, was ' '");
        assertThatThrownBy(() -> builder("http://h", Deployment.SERVERLESS).userAgent(""))
                .hasMessage("userAgent must not be blank, was ''");
        assertThatThrownBy(() -> builder("http://h", Deployment.SERVERLESS).pathOverride(ApiKind.COMPLETIONS, "v1/x"))
                .hasMessage("pathOverride(COMPLETIONS): path must start with '/', was 'v1/x'");
        assertThatThrownBy(() -> builder("http://h", Deployment.SERVERLESS).pathOverride(ApiKind.COMPLETIONS, "/a b"))
                .hasMessageStartingWith("pathOverride(COMPLETIONS): path must be a plain URL path");
    }

    @Test
    void trustedCertificatesMustBeAReadableFileForAnHttpsEndpoint(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("ca.pem");
        assertThatThrownBy(() -> builder("https://h", Deployment.SERVERLESS).trustedCertificates(missing))
                .hasMessage("trustedCertificates must be a readable PEM file, was " + missing);
        Path pem = Files.writeString(missing, "not a certificate");
        assertThatThrownBy(() -> builder("http://h", Deployment.SERVERLESS).trustedCertificates(pem).build())
                .hasMessage("trustedCertificates is set but baseUrl is not https");
        EndpointConfig bad = builder("https://h", Deployment.SERVERLESS).trustedCertificates(pem).build();
        assertThatThrownBy(() -> new FriendliClient(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot create the TLS context from trustedCertificates " + pem);
    }

    /** Equal configs may share one client in a task manager, also after travelling there serialized. */
    @Test
    void configsWithTheSameSettingsAreEqualAlsoAfterTravellingSerialized() throws Exception {
        EndpointConfig a = EndpointConfig.builder("https://api.friendli.ai/", Deployment.DEDICATED)
                .token(ApiToken.inEnv("FRIENDLI_TOKEN")).teamId("team").maxConnections(64)
                .pathOverride(ApiKind.COMPLETIONS, "/v1/complete").build();
        EndpointConfig b = EndpointConfig.builder("https://api.friendli.ai/", Deployment.DEDICATED)
                .token(ApiToken.inEnv("FRIENDLI_TOKEN")).teamId("team").maxConnections(64)
                .pathOverride(ApiKind.COMPLETIONS, "/v1/complete").build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(travelled(a)).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(EndpointConfig.builder("https://api.friendli.ai/", Deployment.DEDICATED)
                .token(ApiToken.inEnv("FRIENDLI_TOKEN")).teamId("team").maxConnections(65)
                .pathOverride(ApiKind.COMPLETIONS, "/v1/complete").build());
        assertThat(a).isNotEqualTo(EndpointConfig.builder("https://api.friendli.ai/", Deployment.DEDICATED)
                .token(ApiToken.inEnv("OTHER_TOKEN")).teamId("team").maxConnections(64)
                .pathOverride(ApiKind.COMPLETIONS, "/v1/complete").build());
    }

    private static EndpointConfig travelled(EndpointConfig config) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(config);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (EndpointConfig) in.readObject();
        }
    }
}
