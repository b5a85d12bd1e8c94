package io.friendliflink.job;

import io.friendliflink.job.config.JobConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * What a local run checks before it starts Flink, because every request would fail without it: a token where the
 * configuration says there is one, and an endpoint that accepts connections. A run on a cluster skips these: its
 * task managers, not the client, hold the token and reach the endpoint (and stop the run themselves when they
 * cannot, see {@code FailFast}).
 */
final class Preflight {
    private Preflight() {}

    /** Why no request could carry the token the configuration names, or {@code null} when it can be read. */
    static String tokenProblem(JobConfig.Endpoint endpoint) {
        try {
            endpoint.token().requireReadable();
            return null;
        } catch (IllegalArgumentException e) {
            String variable = endpoint.token().environmentVariable();
            String where = variable != null ? "endpoint.token-env" : "endpoint.token-file";
            String fix = variable != null
                    ? "export " + variable + "=<your token>, or name a file in endpoint.token-file"
                    : "write the token to that file, or name a variable in endpoint.token-env";
            return where + ": " + e.getMessage().replaceFirst("^token: ", "") + " (" + fix + ")";
        }
    }

    /** Why the endpoint at {@code baseUrl} cannot be reached, or {@code null} when it accepts a connection. */
    static String unreachable(String baseUrl, Duration timeout) {
        URI uri = URI.create(baseUrl);
        String host = uri.getHost();
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return null;
        } catch (UnknownHostException e) {
            return "cannot reach the endpoint " + baseUrl + ": unknown host " + host
                    + ". Check endpoint.base-url";
        } catch (IOException e) {
            return "cannot reach the endpoint " + baseUrl + " (" + host + ":" + port + "): " + e.getMessage()
                    + ". Check endpoint.base-url and that the server is running";
        }
    }
}
