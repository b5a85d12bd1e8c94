package io.friendliflink.operator;

import io.friendliflink.client.ApiToken;
import io.friendliflink.client.Deployment;
import io.friendliflink.client.EndpointConfig;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where to send requests, in a form that travels inside a Flink job graph.
 *
 * <p>It holds where the token is ({@code tokenEnv} or {@code tokenFile}), never the token: the job graph
 * is written to disk and sent over the network, so the token is read on each task manager when the
 * function opens. {@link #toEndpointConfig()} reads it and fails with a message naming the variable or file.
 *
 * @param tokenEnv the environment variable holding the token, or {@code null}
 * @param tokenFile a file holding the token, or {@code null}; when both are {@code null} no token is sent
 * @param maxConnections connections per subtask
 */
public record EndpointSettings(
        String baseUrl,
        Deployment deployment,
        String tokenEnv,
        String tokenFile,
        String teamId,
        Duration attemptTimeout,
        Duration connectTimeout,
        int maxConnections)
        implements Serializable {

    public EndpointSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (tokenEnv != null && tokenFile != null) {
            throw new IllegalArgumentException("tokenEnv and tokenFile are exclusive: name one place for the token");
        }
        // Fail at start, not on a task manager: validation of everything but the token itself.
        config(baseUrl, deployment, ApiToken.none(), teamId, attemptTimeout, connectTimeout, maxConnections);
    }

    /** The client configuration, with the token read from its environment variable or file. */
    public EndpointConfig toEndpointConfig() {
        ApiToken token = tokenEnv != null ? ApiToken.fromEnv(tokenEnv)
                : tokenFile != null ? ApiToken.fromFile(Path.of(tokenFile))
                : ApiToken.none();
        return config(baseUrl, deployment, token, teamId, attemptTimeout, connectTimeout, maxConnections);
    }

    private static EndpointConfig config(String baseUrl, Deployment deployment, ApiToken token, String teamId,
            Duration attemptTimeout, Duration connectTimeout, int maxConnections) {
        EndpointConfig.Builder b = EndpointConfig.builder(baseUrl, deployment)
                .token(token)
                .attemptTimeout(attemptTimeout)
                .connectTimeout(connectTimeout)
                .maxConnections(maxConnections);
        if (teamId != null) {
            b.teamId(teamId);
        }
        return b.build();
    }
}
