package io.friendliflink.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.api.ApiKind;
import io.friendliflink.client.TransportException.Cause;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import io.netty.util.NetUtil;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Sends requests to one Friendli (or OpenAI-compatible) endpoint over keep-alive HTTP/1.1 connections.
 *
 * <p>Each call is one attempt: no retries here (that is the retry policy's job). The future completes with
 * an {@link HttpResult} for any HTTP status, or fails with a {@link TransportException} when no usable
 * response arrived (connect, reset, timeout, truncated stream, malformed 2xx body).
 *
 * <p><b>Threading.</b> Calls never block. Futures are completed on a Netty event-loop thread: callbacks
 * attached to them run there and must not block (or hop to another executor with the {@code ...Async}
 * variants), or they stall every connection of that loop.
 *
 * <pre>{@code
 * try (FriendliClient client = new FriendliClient(config)) {
 *     client.send(ApiKind.CHAT_COMPLETIONS, json, false)
 *           .thenAccept(r -> emit(r.result()));
 * }
 * }</pre>
 */
public final class FriendliClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EndpointConfig config;
    private final RequestFactory requests;
    private final EventLoopGroup group;
    private final ConnectionPool[] pools;
    private final long defaultTimeoutNanos;
    private final AtomicInteger nextPool = new AtomicInteger();
    private volatile boolean closed;

    public FriendliClient(EndpointConfig config) {
        this(config, System::nanoTime, Clock.systemUTC());
    }

    /**
     * @param nanoClock measures {@link HttpResult#latencyNanos()}
     * @param wallClock the "now" an HTTP-date {@code Retry-After} is measured against
     */
    FriendliClient(EndpointConfig config, LongSupplier nanoClock, Clock wallClock) {
        this.config = Objects.requireNonNull(config, "config");
        this.requests = new RequestFactory(config);
        this.defaultTimeoutNanos = config.attemptTimeout().toNanos();
        SslContext tls = config.isTls() ? clientTls(config) : null;
        String endpoint = config.host() + ":" + config.port();
        this.group = new NioEventLoopGroup(config.eventLoopThreads(), new DefaultThreadFactory("friendli-client", true));

        // One pool per event loop, each with its share of the connections: a request stays on one thread.
        int loops = config.eventLoopThreads();
        this.pools = new ConnectionPool[loops];
        for (int i = 0; i < loops; i++) {
            EventLoop loop = group.next();
            int share = config.maxConnections() / loops + (i < config.maxConnections() % loops ? 1 : 0);
            Bootstrap bootstrap = new Bootstrap()
                    .group(loop)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_KEEPALIVE, true)
                    // Unresolved: the name is resolved per connect, so DNS changes reach long-running jobs.
                    .remoteAddress(InetSocketAddress.createUnresolved(config.host(), config.port()));
            ConnectionPool pool = new ConnectionPool(loop, bootstrap, share, endpoint);
            bootstrap.handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ChannelPipeline p = ch.pipeline();
                    if (tls != null) {
                        p.addLast(tlsHandler(tls, ch));
                    }
                    p.addLast(new HttpClientCodec());
                    // Bounds one chunk's inflated size too, so a small gzip bomb cannot allocate past the limit.
                    p.addLast(new HttpContentDecompressor(false, config.maxResponseBytes()));
                    p.addLast(new PooledConnection(pool, requests, nanoClock, wallClock, config.maxResponseBytes(),
                            endpoint));
                }
            });
            pools[i] = pool;
        }
    }

    /**
     * Lets the client open {@code connections} more (or, negative, fewer) connections, spread over its event
     * loops as at the start: a client shared by several callers holds the connections of each.
     */
    public void addConnections(int connections) {
        int loops = pools.length;
        for (int i = 0; i < loops; i++) {
            int share = connections / loops + (i < Math.abs(connections) % loops ? Integer.signum(connections) : 0);
            if (share != 0) {
                pools[i].addCapacity(share);
            }
        }
    }

    /** As {@link #send(ApiKind, byte[], boolean, Duration)} with the config's attempt timeout. */
    public CompletableFuture<HttpResult> send(ApiKind kind, byte[] jsonBody, boolean stream) {
        return send(kind, null, jsonBody, stream, defaultTimeoutNanos);
    }

    /**
     * Sends one request; the body is sent as is (not copied, so it must not change until the future completes).
     *
     * @param stream whether the body asked for {@code "stream": true}: the response is then read as SSE
     * @param attemptTimeout from the request's first byte written to the response's last byte read
     * @throws IllegalArgumentException when {@code stream} is set for a kind that does not stream
     * @throws UnsupportedOperationException when the endpoint has no path for {@code kind}
     */
    public CompletableFuture<HttpResult> send(ApiKind kind, byte[] jsonBody, boolean stream, Duration attemptTimeout) {
        return send(kind, null, jsonBody, stream, positiveNanos(attemptTimeout));
    }

    /**
     * As {@link #send(ApiKind, byte[], boolean, Duration)}, to an explicit path on the endpoint's host instead
     * of the configured one: for input that names a full Friendli path such as {@code /dedicated/v1/completions}.
     *
     * @param path an absolute path ({@code /...}); the body is still parsed as {@code kind}
     */
    public CompletableFuture<HttpResult> send(
            ApiKind kind, String path, byte[] jsonBody, boolean stream, Duration attemptTimeout) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("path must be an absolute path of printable ASCII, was " + path);
        }
        return send(kind, path, jsonBody, stream, positiveNanos(attemptTimeout));
    }

    private CompletableFuture<HttpResult> send(
            ApiKind kind, String path, byte[] jsonBody, boolean stream, long timeoutNanos) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(jsonBody, "jsonBody");
        if (stream && !kind.isGeneration()) {
            throw new IllegalArgumentException("stream: " + kind + " does not stream");
        }
        if (path == null && !requests.supports(kind)) {
            config.pathFor(kind); // throws, naming the kind, the deployment and the fix
        }
        Exchange exchange = new Exchange(kind, path, jsonBody, stream, timeoutNanos);
        if (closed) {
            exchange.future.completeExceptionally(new IllegalStateException("FriendliClient is closed"));
        } else {
            pool().submit(exchange);
        }
        return exchange.future;
    }

    /** {@code {"model", "prompt"}} to the tokenize endpoint; fails with {@link HttpStatusException} on non-2xx. */
    public CompletableFuture<List<Integer>> tokenize(String model, String prompt) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", Objects.requireNonNull(model, "model"));
        body.put("prompt", Objects.requireNonNull(prompt, "prompt"));
        return send(ApiKind.TOKENIZE, toBytes(body), false).thenApply(r -> readTokens(checked(ApiKind.TOKENIZE, r)));
    }

    /** {@code {"model", "tokens"}} to the detokenize endpoint; fails with {@link HttpStatusException} on non-2xx. */
    public CompletableFuture<String> detokenize(String model, List<Integer> tokens) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", Objects.requireNonNull(model, "model"));
        ArrayNode array = body.putArray("tokens");
        for (Integer t : Objects.requireNonNull(tokens, "tokens")) {
            array.add(Objects.requireNonNull(t, "tokens must not contain null"));
        }
        return send(ApiKind.DETOKENIZE, toBytes(body), false).thenApply(r -> readText(checked(ApiKind.DETOKENIZE, r)));
    }

    /**
     * Whether the endpoint has a path for {@code kind} (false for {@code null}); without one, only a request that
     * names its own path can be sent.
     */
    public boolean supports(ApiKind kind) {
        return kind != null && requests.supports(kind);
    }

    public EndpointConfig config() {
        return config;
    }

    /** Fails waiting and in-flight requests, closes all connections and stops the event loops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ConnectionPool pool : pools) {
            pool.close();
        }
        var shutdown = group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        if (!isOwnThread()) { // waiting on our own loop would never end
            shutdown.awaitUninterruptibly();
        }
    }

    @Override
    public String toString() {
        return "FriendliClient{" + config + "}";
    }

    private static long positiveNanos(Duration attemptTimeout) {
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("attemptTimeout must be a positive duration, was " + attemptTimeout);
        }
        return attemptTimeout.toNanos();
    }

    private ConnectionPool pool() {
        if (pools.length == 1) {
            return pools[0];
        }
        ConnectionPool own = ownPool();
        if (own != null) {
            return own; // called from a callback: stay on this thread
        }
        return pools[Math.floorMod(nextPool.getAndIncrement(), pools.length)];
    }

    private boolean isOwnThread() {
        return ownPool() != null;
    }

    /** The pool whose event loop is the calling thread, or {@code null} when called from elsewhere. */
    private ConnectionPool ownPool() {
        for (ConnectionPool pool : pools) {
            if (pool.loop().inEventLoop()) {
                return pool;
            }
        }
        return null;
    }

    private HttpResult checked(ApiKind kind, HttpResult result) {
        if (!result.isSuccess()) {
            throw new HttpStatusException(requests.path(kind), result);
        }
        return result;
    }

    private List<Integer> readTokens(HttpResult result) {
        JsonNode tokens = readJson(ApiKind.TOKENIZE, result).get("tokens");
        if (tokens == null || !tokens.isArray()) {
            throw malformed(ApiKind.TOKENIZE, "has no \"tokens\" array", null);
        }
        List<Integer> ids = new ArrayList<>(tokens.size());
        for (JsonNode t : tokens) {
            if (!t.isInt()) {
                throw malformed(ApiKind.TOKENIZE, "has a token that is not an int: " + t, null);
            }
            ids.add(t.intValue());
        }
        return List.copyOf(ids);
    }

    private String readText(HttpResult result) {
        JsonNode text = readJson(ApiKind.DETOKENIZE, result).get("text");
        if (text == null || !text.isTextual()) {
            throw malformed(ApiKind.DETOKENIZE, "has no \"text\" string", null);
        }
        return text.textValue();
    }

    private JsonNode readJson(ApiKind kind, HttpResult result) {
        try {
            JsonNode node = JSON.readTree(result.rawBody());
            if (node == null || !node.isObject()) {
                throw malformed(kind, "is not a JSON object", null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw malformed(kind, "is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw malformed(kind, "cannot be read: " + e, e);
        }
    }

    private TransportException malformed(ApiKind kind, String what, Throwable cause) {
        return new TransportException(Cause.MALFORMED_RESPONSE, "response from " + requests.path(kind) + " " + what,
                cause);
    }

    private static byte[] toBytes(ObjectNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    private static SslContext clientTls(EndpointConfig config) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (config.trustedCertificates().isPresent()) {
                builder.trustManager(config.trustedCertificates().get().toFile());
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot create the TLS context"
                    + config.trustedCertificates().map(p -> " from trustedCertificates " + p).orElse("")
                    + ": " + e.getMessage(), e);
        }
    }

    private SslHandler tlsHandler(SslContext tls, Channel ch) {
        // host and port set SNI; endpoint identification makes the JDK check the certificate's host name.
        SslHandler handler = tls.newHandler(ch.alloc(), config.host(), config.port());
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!NetUtil.isValidIpV4Address(config.host()) && !NetUtil.isValidIpV6Address(config.host())) {
            // Explicit, because the JDK leaves SNI out for a host name without a dot (such as localhost).
            params.setServerNames(List.of(new SNIHostName(config.host())));
        }
        engine.setSSLParameters(params);
        return handler;
    }
}
