package io.friendliflink.emulator;

import io.friendliflink.emulator.fault.FaultInjector;
import io.friendliflink.emulator.latency.LatencyModel;
import io.friendliflink.emulator.limit.GenerationSlots;
import io.friendliflink.emulator.limit.RateLimiter;
import io.friendliflink.emulator.model.LanguageModel;
import io.friendliflink.emulator.model.TinyLanguageModel;
import io.friendliflink.emulator.server.BearerAuth;
import io.friendliflink.emulator.server.EmulatorServer;
import io.friendliflink.emulator.server.ServerContext;
import io.friendliflink.emulator.server.StatsRecorder;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running Friendli-compatible endpoint on loopback: our embedded endpoint, not a stub.
 *
 * <p>It serves every path of API-NOTES (serverless, dedicated, tool-assisted, tokenize, detokenize, and
 * the OpenAI-style {@code /v1/...} prefix) with the API's shapes, status codes, limits and faults, as
 * configured. Close it to free the port and threads.
 *
 * <pre>{@code
 * try (Emulator emulator = Emulator.start(EmulatorConfig.defaults())) {
 *     URI chat = URI.create(emulator.baseUrl() + "/serverless/v1/chat/completions");
 *     ...
 *     emulator.stats().responses(200);
 * }
 * }</pre>
 */
public final class Emulator implements AutoCloseable {
    private final EmulatorConfig config;
    private final EmulatorServer server;
    private final StatsRecorder stats;

    private Emulator(EmulatorConfig config, EmulatorServer server, StatsRecorder stats) {
        this.config = config;
        this.server = server;
        this.stats = stats;
    }

    /** Starts an emulator answering with the {@link TinyLanguageModel}, as the quick start and benchmarks do. */
    public static Emulator start(EmulatorConfig config) {
        return start(config, new TinyLanguageModel());
    }

    /** Starts an emulator answering with the given language model. */
    public static Emulator start(EmulatorConfig config, LanguageModel model) {
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(model, "model must not be null");
        StatsRecorder stats = new StatsRecorder();
        ServerContext context = new ServerContext(
                model,
                new BearerAuth(config.token()),
                new RateLimiter(config.requestsPerMinute(), config.tokensPerMinute(),
                        config.rateLimitWindow().toNanos(), System::nanoTime),
                config.retryAfter(),
                config.rateLimitHeaders(),
                config.concurrency() == 0 ? null : new GenerationSlots(config.concurrency(), config.queueCapacity()),
                new LatencyModel(config.timeToFirstToken(), config.timePerOutputToken(), config.jitter()),
                new FaultInjector(config.faults()),
                config.slowResponseDelay(),
                config.seed(),
                stats,
                new AtomicLong());
        try {
            EmulatorServer server = EmulatorServer.start(
                    config.host(), config.port(), config.ioThreads(), config.maxBodyBytes(), context);
            return new Emulator(config, server, stats);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + config.host() + ":" + config.port(), e);
        }
    }

    public int port() {
        return server.port();
    }

    /** {@code http://host:port}, without a trailing slash; append an API path to it. */
    public String baseUrl() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port();
    }

    public EmulatorConfig config() {
        return config;
    }

    /** What has been served so far. */
    public EmulatorStats stats() {
        return stats.snapshot();
    }

    @Override
    public void close() {
        server.close();
    }
}
