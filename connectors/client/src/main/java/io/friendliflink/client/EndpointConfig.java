package io.friendliflink.client;

import io.friendliflink.api.ApiKind;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how a {@link FriendliClient} calls one endpoint: immutable, made by {@link #builder}, and
 * validated once, with messages that name the parameter.
 *
 * <p>A request's path is the base URL's path followed by the kind's path: the deployment's from
 * {@link ApiPaths} ({@code /serverless/v1/completions}, {@code /dedicated/v1/completions}, {@code /completions}
 * for OpenAI-compatible servers) or the one set by {@link Builder#pathOverride}. Tool-assisted chat exists
 * only on serverless ({@code /serverless/tools/v1/chat/completions}); other deployments need an override.
 * {@link #toString()} is safe to log: it shows the token's source, never its value.
 *
 * <p>Serializable, so that it is what travels into a Flink operator: the token travels as where it is
 * ({@link ApiToken#inEnv}, {@link ApiToken#inFile}), never as its value, and is read where the client is made.
 *
 * <pre>{@code
 * EndpointConfig config = EndpointConfig.builder("https://api.friendli.ai", Deployment.SERVERLESS)
 *         .token(ApiToken.fromEnv())
 *         .teamId("my-team")
 *         .maxConnections(256)
 *         .build();
 * }</pre>
 */
public final class EndpointConfig implements Serializable {
    private static final long serialVersionUID = 1L;


    /** Friendli's own API, serverless and dedicated endpoints alike. */
    public static final String FRIENDLI_BASE_URL = "https://api.friendli.ai";
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** As many as the calling operator keeps requests at once by default, so none waits for a connection. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final int DEFAULT_EVENT_LOOP_THREADS = 1;
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
    public static final String DEFAULT_USER_AGENT = "friendli-flink/0.1.0";

    private final URI baseUrl;
    private final Deployment deployment;
    private final String host;
    private final int port;
    private final boolean tls;
    private final Map<ApiKind, String> overrides;
    private final Map<ApiKind, String> paths;
    private final String teamId;
    private final ApiToken token;
    private final Duration attemptTimeout;
    private final Duration connectTimeout;
    private final int maxConnections;
    private final int eventLoopThreads;
    private final int maxResponseBytes;
    private final String userAgent;
    /** A path, kept as text: {@link Path} is not serializable. */
    private final String trustedCertificates;

    private EndpointConfig(Builder b, URI baseUrl) {
        this.baseUrl = baseUrl;
        this.deployment = b.deployment;
        String h = baseUrl.getHost();
        // URI keeps an IPv6 literal's brackets; the socket address wants it bare.
        this.host = h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
        this.tls = "https".equals(baseUrl.getScheme());
        this.port = baseUrl.getPort() != -1 ? baseUrl.getPort() : tls ? 443 : 80;
        this.overrides = b.overrides.isEmpty() ? Map.of() : new EnumMap<>(b.overrides);
        this.teamId = b.teamId;
        this.token = b.token;
        this.attemptTimeout = b.attemptTimeout;
        this.connectTimeout = b.connectTimeout;
        this.maxConnections = b.maxConnections;
        this.eventLoopThreads = b.eventLoopThreads;
        this.maxResponseBytes = b.maxResponseBytes;
        this.userAgent = b.userAgent;
        this.trustedCertificates = b.trustedCertificates == null ? null : b.trustedCertificates.toString();

        String basePath = stripTrailingSlash(baseUrl.getRawPath());
        EnumMap<ApiKind, String> p = new EnumMap<>(ApiKind.class);
        for (ApiKind kind : ApiKind.values()) {
            String kindPath = overrides.containsKey(kind) ? overrides.get(kind) : ApiPaths.path(deployment, kind);
            if (kindPath != null) {
                p.put(kind, basePath + kindPath);
            }
        }
        this.paths = p;
    }

    public static Builder builder(String baseUrl, Deployment deployment) {
        return new Builder(baseUrl, deployment);
    }

    /** A builder holding every setting of this config, to change some: a copy at another address, say. */
    public Builder toBuilder() {
        return toBuilder(baseUrl.toString());
    }

    /** A builder holding every setting of this config but its address, {@code baseUrl} (same deployment). */
    public Builder toBuilder(String baseUrl) {
        Builder b = new Builder(baseUrl, deployment);
        b.overrides.putAll(overrides);
        b.teamId = teamId;
        b.token = token;
        b.attemptTimeout = attemptTimeout;
        b.connectTimeout = connectTimeout;
        b.maxConnections = maxConnections;
        b.eventLoopThreads = eventLoopThreads;
        b.maxResponseBytes = maxResponseBytes;
        b.userAgent = userAgent;
        b.trustedCertificates = trustedCertificates == null ? null : Path.of(trustedCertificates);
        return b;
    }

    /**
     * The request path (and only the path) for {@code kind}, e.g. {@code /serverless/v1/chat/completions}.
     *
     * @throws UnsupportedOperationException when the deployment has no such endpoint and no override was set
     */
    public String pathFor(ApiKind kind) {
        String path = paths.get(Objects.requireNonNull(kind, "kind"));
        if (path == null) {
            throw new UnsupportedOperationException(kind + " has no endpoint on a " + deployment
                    + " deployment; set pathOverride(" + kind + ", ...) if the server has one");
        }
        return path;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public Deployment deployment() {
        return deployment;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public boolean isTls() {
        return tls;
    }

    /** The {@code Host} header value: the host, with the port only when it is not the scheme's default. */
    public String hostHeader() {
        boolean defaultPort = baseUrl.getPort() == -1 || port == (tls ? 443 : 80);
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return defaultPort ? h : h + ":" + port;
    }

    public Optional<String> teamId() {
        return Optional.ofNullable(teamId);
    }

    public ApiToken token() {
        return token;
    }

    /** From the request's first byte written to the response's last byte read. */
    public Duration attemptTimeout() {
        return attemptTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Upper bound on open (or opening) connections to this endpoint; further requests wait in FIFO order. */
    public int maxConnections() {
        return maxConnections;
    }

    public int eventLoopThreads() {
        return eventLoopThreads;
    }

    /** A response body (after gzip decoding) larger than this fails the attempt instead of filling the heap. */
    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    public String userAgent() {
        return userAgent;
    }

    /** A PEM file of certificates to trust instead of the JDK's trust store, or empty for the JDK's. */
    public Optional<Path> trustedCertificates() {
        return Optional.ofNullable(trustedCertificates).map(Path::of);
    }

    /**
     * Equal when every setting is: two operators with equal configs may share one client (one per endpoint per
     * task manager). The token compares by where it is, not by its value ({@link ApiToken#equals}).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof EndpointConfig c
                && baseUrl.equals(c.baseUrl)
                && deployment == c.deployment
                && overrides.equals(c.overrides)
                && Objects.equals(teamId, c.teamId)
                && token.equals(c.token)
                && attemptTimeout.equals(c.attemptTimeout)
                && connectTimeout.equals(c.connectTimeout)
                && maxConnections == c.maxConnections
                && eventLoopThreads == c.eventLoopThreads
                && maxResponseBytes == c.maxResponseBytes
                && userAgent.equals(c.userAgent)
                && Objects.equals(trustedCertificates, c.trustedCertificates);
    }

    @Override
    public int hashCode() {
        return Objects.hash(baseUrl, deployment, overrides, teamId, token, attemptTimeout, connectTimeout,
                maxConnections, eventLoopThreads, maxResponseBytes, userAgent, trustedCertificates);
    }

    @Override
    public String toString() {
        return "EndpointConfig{baseUrl=" + baseUrl
                + ", deployment=" + deployment
                + (overrides.isEmpty() ? "" : ", pathOverrides=" + overrides)
                + ", teamId=" + (teamId == null ? "none" : teamId)
                + ", token=" + token
                + ", attemptTimeout=" + attemptTimeout
                + ", connectTimeout=" + connectTimeout
                + ", maxConnections=" + maxConnections
                + ", eventLoopThreads=" + eventLoopThreads
                + ", maxResponseBytes=" + maxResponseBytes
                + ", userAgent=" + userAgent
                + (trustedCertificates == null ? "" : ", trustedCertificates=" + trustedCertificates)
                + '}';
    }

    private static String stripTrailingSlash(String path) {
        if (path == null) {
            return "";
        }
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    /** Builds an {@link EndpointConfig}; each setter checks its own value, {@link #build()} the rest. */
    public static final class Builder {
        private final String baseUrl;
        private final Deployment deployment;
        private final EnumMap<ApiKind, String> overrides = new EnumMap<>(ApiKind.class);
        private String teamId;
        private ApiToken token;
        private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int eventLoopThreads = DEFAULT_EVENT_LOOP_THREADS;
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private String userAgent = DEFAULT_USER_AGENT;
        private Path trustedCertificates;

        private Builder(String baseUrl, Deployment deployment) {
            this.baseUrl = baseUrl;
            this.deployment = deployment;
        }

        /** Required; {@link ApiToken#none()} for a server without auth, so that no token is left out by accident. */
        public Builder token(ApiToken token) {
            this.token = Objects.requireNonNull(token, "token must not be null (use ApiToken.none())");
            return this;
        }

        /** Sent as {@code X-Friendli-Team}. */
        public Builder teamId(String teamId) {
            this.teamId = headerValue("teamId", teamId);
            return this;
        }

        /** Replaces the deployment's path for {@code kind}; appended to the base URL's path. */
        public Builder pathOverride(ApiKind kind, String path) {
            Objects.requireNonNull(kind, "pathOverride: kind must not be null");
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException(
                        "pathOverride(" + kind + "): path must start with '/', was " + quoted(path));
            }
            for (int i = 0; i < path.length(); i++) {
                char c = path.charAt(i);
                if (c <= 0x20 || c >= 0x7f || c == '?' || c == '#') {
                    throw new IllegalArgumentException("pathOverride(" + kind + "): path must be a plain URL"
                            + " path (no whitespace, control characters, '?' or '#'), was " + quoted(path));
                }
            }
            overrides.put(kind, path);
            return this;
        }

        public Builder attemptTimeout(Duration timeout) {
            this.attemptTimeout = positive("attemptTimeout", timeout);
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            Duration t = positive("connectTimeout", timeout);
            if (t.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("connectTimeout must be at most " + Integer.MAX_VALUE
                        + " ms, was " + t);
            }
            this.connectTimeout = t;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be >= 1, was " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /** Netty event-loop threads; each owns a share of the connections. One is enough for most jobs. */
        public Builder eventLoopThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("eventLoopThreads must be >= 1, was " + threads);
            }
            this.eventLoopThreads = threads;
            return this;
        }

        public Builder maxResponseBytes(int maxResponseBytes) {
            if (maxResponseBytes < 1) {
                throw new IllegalArgumentException("maxResponseBytes must be >= 1, was " + maxResponseBytes);
            }
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = headerValue("userAgent", userAgent);
            return this;
        }

        /** For an https endpoint whose certificate chains to a private CA: trust the PEM file's certificates. */
        public Builder trustedCertificates(Path pemFile) {
            if (pemFile == null || !Files.isReadable(pemFile)) {
                throw new IllegalArgumentException(
                        "trustedCertificates must be a readable PEM file, was " + pemFile);
            }
            this.trustedCertificates = pemFile;
            return this;
        }

        public EndpointConfig build() {
            if (deployment == null) {
                throw new IllegalArgumentException("deployment must not be null");
            }
            if (token == null) {
                throw new IllegalArgumentException(
                        "token must be set: ApiToken.fromEnv(), ApiToken.fromFile(path) or ApiToken.none()");
            }
            if (eventLoopThreads > maxConnections) {
                throw new IllegalArgumentException("eventLoopThreads (" + eventLoopThreads
                        + ") must not exceed maxConnections (" + maxConnections
                        + "): each event loop owns at least one connection");
            }
            URI uri = parseBaseUrl(baseUrl);
            if (trustedCertificates != null && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("trustedCertificates is set but baseUrl is not https");
            }
            return new EndpointConfig(this, uri);
        }

        private static URI parseBaseUrl(String baseUrl) {
            if (baseUrl == null || baseUrl.isBlank()) {
                throw new IllegalArgumentException("baseUrl must be an http or https URL, was " + quoted(baseUrl));
            }
            URI uri;
            try {
                uri = new URI(baseUrl.trim());
            } catch (URISyntaxException e) {
                // The reason only: the URL itself could carry credentials.
                throw new IllegalArgumentException("baseUrl is not a valid URL: " + e.getReason());
            }
            // Checked before anything echoes the URL: user info or a query may hold a secret.
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException(
                        "baseUrl must not contain user info (credentials belong in the token)");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("baseUrl must not contain a query or fragment");
            }
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new IllegalArgumentException("baseUrl must use http or https, was " + quoted(baseUrl));
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("baseUrl must name a host, was " + quoted(baseUrl));
            }
            if (!scheme.equals(uri.getScheme())) {
                try {
                    uri = new URI(scheme, null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("baseUrl is not a valid URL: " + e.getReason());
                }
            }
            return uri;
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
            }
            return d;
        }

        private static String headerValue(String name, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank, was " + quoted(value));
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c >= 0x7f) {
                    throw new IllegalArgumentException(name
                            + " must be printable ASCII (it is sent as a header), has a bad character at index " + i);
                }
            }
            return value;
        }

        private static String quoted(String s) {
            return s == null ? "null" : "'" + s + "'";
        }
    }
}
