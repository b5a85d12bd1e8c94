package io.friendliflink.emulator;

import io.friendliflink.emulator.fault.Fault;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the emulator is told: where to listen, how slow and how strict to be, and how often to fail.
 *
 * <p>Immutable; build it with {@link #builder()} (or {@link #toBuilder()} from another). Each setter checks
 * its own value and {@link Builder#build()} checks the combinations, with messages that name the
 * parameter. Defaults give a fast, lenient, faithful endpoint on an ephemeral loopback port:
 *
 * <pre>{@code
 * EmulatorConfig config = EmulatorConfig.builder()
 *         .timeToFirstToken(Duration.ofMillis(200)).timePerOutputToken(Duration.ofMillis(20)).jitter(0.1)
 *         .requestsPerMinute(600).fault(Fault.HTTP_503, 0.01).seed(42)
 *         .build();
 * }</pre>
 *
 * <p>The token, when set, never appears in {@link #toString()}.
 */
public final class EmulatorConfig {
    /** The default delay of a {@link Fault#SLOW_RESPONSE}: longer than any client timeout we use. */
    public static final Duration DEFAULT_SLOW_RESPONSE_DELAY = Duration.ofMinutes(10);
    /** The API's limits are per minute. */
    public static final Duration DEFAULT_RATE_LIMIT_WINDOW = Duration.ofMinutes(1);

    private final String host;
    private final int port;
    private final Duration timeToFirstToken;
    private final Duration timePerOutputToken;
    private final double jitter;
    private final long seed;
    private final int requestsPerMinute;
    private final long tokensPerMinute;
    private final boolean retryAfter;
    private final boolean rateLimitHeaders;
    private final Duration rateLimitWindow;
    private final int concurrency;
    private final int queueCapacity;
    private final Map<Fault, Double> faults;
    private final Duration slowResponseDelay;
    private final String token;
    private final int ioThreads;
    private final int maxBodyBytes;

    private EmulatorConfig(Builder b) {
        host = b.host;
        port = b.port;
        timeToFirstToken = b.timeToFirstToken;
        timePerOutputToken = b.timePerOutputToken;
        jitter = b.jitter;
        seed = b.seed;
        requestsPerMinute = b.requestsPerMinute;
        tokensPerMinute = b.tokensPerMinute;
        retryAfter = b.retryAfter;
        rateLimitHeaders = b.rateLimitHeaders;
        rateLimitWindow = b.rateLimitWindow;
        concurrency = b.concurrency;
        queueCapacity = b.queueCapacity;
        faults = Collections.unmodifiableMap(new EnumMap<>(b.faults));
        slowResponseDelay = b.slowResponseDelay;
        token = b.token;
        ioThreads = b.ioThreads;
        maxBodyBytes = b.maxBodyBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: loopback, ephemeral port, no latency, no limits, no faults, any bearer token. */
    public static EmulatorConfig defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.timeToFirstToken = timeToFirstToken;
        b.timePerOutputToken = timePerOutputToken;
        b.jitter = jitter;
        b.seed = seed;
        b.requestsPerMinute = requestsPerMinute;
        b.tokensPerMinute = tokensPerMinute;
        b.retryAfter = retryAfter;
        b.rateLimitHeaders = rateLimitHeaders;
        b.rateLimitWindow = rateLimitWindow;
        b.concurrency = concurrency;
        b.queueCapacity = queueCapacity;
        b.faults.putAll(faults);
        b.slowResponseDelay = slowResponseDelay;
        b.token = token;
        b.ioThreads = ioThreads;
        b.maxBodyBytes = maxBodyBytes;
        return b;
    }

    /** The address to bind; {@code 127.0.0.1} unless told otherwise. */
    public String host() {
        return host;
    }

    /** The port to bind; {@code 0} picks a free one ({@link Emulator#port()} tells which). */
    public int port() {
        return port;
    }

    public Duration timeToFirstToken() {
        return timeToFirstToken;
    }

    public Duration timePerOutputToken() {
        return timePerOutputToken;
    }

    /** Each delay is scaled by a factor drawn uniformly from {@code [1 - jitter, 1 + jitter]}. */
    public double jitter() {
        return jitter;
    }

    /** Seeds latency jitter, fault draws and ids, so one client's run is reproducible. */
    public long seed() {
        return seed;
    }

    /** Requests admitted per sliding minute; {@code 0} means no limit. */
    public int requestsPerMinute() {
        return requestsPerMinute;
    }

    /** Prompt plus generated tokens per sliding minute; {@code 0} means no limit. */
    public long tokensPerMinute() {
        return tokensPerMinute;
    }

    /**
     * Whether responses carry {@code X-RateLimit-*} headers while a limit is set. Off, the endpoint says no
     * more than a real one that does not send them (API-NOTES: unconfirmed for Friendli today).
     */
    public boolean rateLimitHeaders() {
        return rateLimitHeaders;
    }

    /** Whether a {@code 429} of the rate limiter carries {@code Retry-After}. */
    public boolean retryAfter() {
        return retryAfter;
    }

    /** The window the request and token limits count over; see {@link Builder#rateLimitWindow}. */
    public Duration rateLimitWindow() {
        return rateLimitWindow;
    }

    /** Requests generating at once; the rest wait in a FIFO queue. {@code 0} means no limit. */
    public int concurrency() {
        return concurrency;
    }

    /** Requests that may wait for a generation slot; one more gets {@code 429}. */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** The probability of each fault per generation request; absent means never. */
    public Map<Fault, Double> faults() {
        return faults;
    }

    public double faultProbability(Fault fault) {
        return faults.getOrDefault(fault, 0.0);
    }

    public Duration slowResponseDelay() {
        return slowResponseDelay;
    }

    /** Whether a specific bearer token is required; otherwise any {@code Bearer} token passes. */
    public boolean requiresToken() {
        return token != null;
    }

    /** The required bearer token; package-private so it cannot leak through the public API. */
    String token() {
        return token;
    }

    /** Event-loop threads serving connections. */
    public int ioThreads() {
        return ioThreads;
    }

    /** The largest request body accepted; a larger one gets {@code 413}. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    @Override
    public String toString() {
        return "EmulatorConfig{host=" + host
                + ", port=" + port
                + ", timeToFirstToken=" + timeToFirstToken.toMillis() + "ms"
                + ", timePerOutputToken=" + timePerOutputToken.toMillis() + "ms"
                + ", jitter=" + jitter
                + ", seed=" + seed
                + ", requestsPerMinute=" + (requestsPerMinute == 0 ? "unlimited" : requestsPerMinute)
                + ", tokensPerMinute=" + (tokensPerMinute == 0 ? "unlimited" : tokensPerMinute)
                + ", retryAfter=" + retryAfter
                + ", rateLimitHeaders=" + rateLimitHeaders
                + ", rateLimitWindow=" + rateLimitWindow.toMillis() + "ms"
                + ", concurrency=" + (concurrency == 0 ? "unlimited" : concurrency)
                + ", queueCapacity=" + queueCapacity
                + ", faults=" + faults
                + ", slowResponseDelay=" + slowResponseDelay.toMillis() + "ms"
                + ", token=" + (token == null ? "any" : "required(redacted)")
                + ", ioThreads=" + ioThreads
                + ", maxBodyBytes=" + maxBodyBytes
                + '}';
    }

    /** Collects settings; each setter rejects a bad value at once, naming the parameter. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private Duration timeToFirstToken = Duration.ZERO;
        private Duration timePerOutputToken = Duration.ZERO;
        private double jitter = 0;
        private long seed = 0;
        private int requestsPerMinute = 0;
        private long tokensPerMinute = 0;
        private boolean retryAfter = true;
        private boolean rateLimitHeaders = true;
        private Duration rateLimitWindow = DEFAULT_RATE_LIMIT_WINDOW;
        private int concurrency = 0;
        private int queueCapacity = 100_000;
        private final Map<Fault, Double> faults = new EnumMap<>(Fault.class);
        private Duration slowResponseDelay = DEFAULT_SLOW_RESPONSE_DELAY;
        private String token;
        private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int maxBodyBytes = 16 * 1024 * 1024;

        private Builder() {}

        public Builder host(String host) {
            Objects.requireNonNull(host, "host must not be null");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
            }
            this.port = port;
            return this;
        }

        public Builder timeToFirstToken(Duration ttft) {
            this.timeToFirstToken = nonNegative("timeToFirstToken", ttft);
            return this;
        }

        public Builder timePerOutputToken(Duration tpot) {
            this.timePerOutputToken = nonNegative("timePerOutputToken", tpot);
            return this;
        }

        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("jitter must be in [0, 1], was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder requestsPerMinute(int rpm) {
            if (rpm < 0) {
                throw new IllegalArgumentException("requestsPerMinute must be >= 0 (0 = unlimited), was " + rpm);
            }
            this.requestsPerMinute = rpm;
            return this;
        }

        public Builder tokensPerMinute(long tpm) {
            if (tpm < 0) {
                throw new IllegalArgumentException("tokensPerMinute must be >= 0 (0 = unlimited), was " + tpm);
            }
            this.tokensPerMinute = tpm;
            return this;
        }

        public Builder retryAfter(boolean retryAfter) {
            this.retryAfter = retryAfter;
            return this;
        }

        public Builder rateLimitHeaders(boolean send) {
            this.rateLimitHeaders = send;
            return this;
        }

        /**
         * The sliding window the request and token limits count over: a minute, as the API's. A test may
         * shorten it to watch a spent limit refill in seconds; the limits then count per window, so
         * {@code requestsPerMinute(20)} with a 1 s window admits 20 requests per second.
         */
        public Builder rateLimitWindow(Duration window) {
            Objects.requireNonNull(window, "rateLimitWindow must not be null");
            if (window.compareTo(Duration.ofMillis(100)) < 0 || window.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("rateLimitWindow must be in [100ms, 1h], was " + window);
            }
            this.rateLimitWindow = window;
            return this;
        }

        public Builder concurrency(int concurrency) {
            if (concurrency < 0) {
                throw new IllegalArgumentException("concurrency must be >= 0 (0 = unlimited), was " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        public Builder queueCapacity(int queueCapacity) {
            if (queueCapacity < 0) {
                throw new IllegalArgumentException("queueCapacity must be >= 0, was " + queueCapacity);
            }
            this.queueCapacity = queueCapacity;
            return this;
        }

        /** Sets the probability of one fault per generation request; {@code 0} turns it off. */
        public Builder fault(Fault fault, double probability) {
            Objects.requireNonNull(fault, "fault must not be null");
            if (!(probability >= 0 && probability <= 1)) {
                throw new IllegalArgumentException(
                        "fault probability of " + fault.option() + " must be in [0, 1], was " + probability);
            }
            if (probability == 0) {
                faults.remove(fault);
            } else {
                faults.put(fault, probability);
            }
            return this;
        }

        public Builder slowResponseDelay(Duration delay) {
            Duration d = nonNegative("slowResponseDelay", delay);
            if (d.isZero()) {
                throw new IllegalArgumentException("slowResponseDelay must be positive, was " + d);
            }
            this.slowResponseDelay = d;
            return this;
        }

        /** Requires exactly this bearer token; {@code null} accepts any. Never logged. */
        public Builder token(String token) {
            if (token != null && token.isBlank()) {
                throw new IllegalArgumentException("token must not be blank (use null to accept any token)");
            }
            this.token = token;
            return this;
        }

        public Builder ioThreads(int ioThreads) {
            if (ioThreads < 1) {
                throw new IllegalArgumentException("ioThreads must be >= 1, was " + ioThreads);
            }
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes < 1024) {
                throw new IllegalArgumentException("maxBodyBytes must be >= 1024, was " + maxBodyBytes);
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** @throws IllegalArgumentException when the fault probabilities add up to more than 1 */
        public EmulatorConfig build() {
            double sum = 0;
            for (double p : faults.values()) {
                sum += p;
            }
            if (sum > 1 + 1e-9) {
                throw new IllegalArgumentException(
                        "fault probabilities must add up to at most 1, were " + sum + " " + faults);
            }
            return new EmulatorConfig(this);
        }

        private static Duration nonNegative(String name, Duration d) {
            Objects.requireNonNull(d, name + " must not be null");
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + d);
            }
            return d;
        }
    }
}
