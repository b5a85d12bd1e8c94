package io.friendliflink.job.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.emulator.fault.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;

/**
 * The {@code emulator:} section's keys, as {@link ConfigOption}s with the emulator's own defaults, and the
 * {@link EmulatorConfig} they make.
 *
 * <p>Apart from {@link JobOptions} because it names the emulator's classes, which are not in the job's jar for
 * a cluster: {@link JobConfig} touches this class only with {@code endpoint.type: emulator}, a local run.
 */
public final class EmulatorOptions {
    private static final EmulatorConfig DEFAULTS = EmulatorConfig.defaults();

    public static final ConfigOption<Duration> TIME_TO_FIRST_TOKEN = key("emulator.time-to-first-token")
            .durationType().defaultValue(DEFAULTS.timeToFirstToken())
            .withDescription("The emulator's latency before the first token.");
    public static final ConfigOption<Duration> TIME_PER_OUTPUT_TOKEN = key("emulator.time-per-output-token")
            .durationType().defaultValue(DEFAULTS.timePerOutputToken())
            .withDescription("And per further token.");
    public static final ConfigOption<Double> JITTER = key("emulator.jitter").doubleType()
            .defaultValue(DEFAULTS.jitter()).withDescription("Each delay is scaled by U[1-jitter, 1+jitter].");
    /** Not the library's 0: the job's runs have always used 42, and their answers and faults follow the seed. */
    public static final ConfigOption<Long> SEED = key("emulator.seed").longType().defaultValue(42L)
            .withDescription("Seeds latency jitter and faults.");
    public static final ConfigOption<Integer> REQUESTS_PER_MINUTE = key("emulator.requests-per-minute").intType()
            .defaultValue(DEFAULTS.requestsPerMinute()).withDescription("A limit it enforces with 429; 0 for none.");
    public static final ConfigOption<Long> TOKENS_PER_MINUTE = key("emulator.tokens-per-minute").longType()
            .defaultValue(DEFAULTS.tokensPerMinute()).withDescription("A limit it enforces with 429; 0 for none.");
    public static final ConfigOption<Boolean> RETRY_AFTER = key("emulator.retry-after").booleanType()
            .defaultValue(DEFAULTS.retryAfter()).withDescription("Send Retry-After with its 429s.");
    public static final ConfigOption<Boolean> RATE_LIMIT_HEADERS = key("emulator.rate-limit-headers").booleanType()
            .defaultValue(DEFAULTS.rateLimitHeaders())
            .withDescription("Send X-RateLimit-* headers while a limit is set.");
    public static final ConfigOption<Integer> CONCURRENCY = key("emulator.concurrency").intType()
            .defaultValue(DEFAULTS.concurrency())
            .withDescription("Requests generated at once, the rest queued; 0 for no limit.");
    /** {@code emulator.faults.<name>}: the probability of each fault, named as the standalone emulator's flags. */
    public static final Map<Fault, ConfigOption<Double>> FAULTS = faultOptions();

    private EmulatorOptions() {}

    /** Every option of the section, the faults last. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> all = new ArrayList<>(JobOptions.optionsOf(EmulatorOptions.class));
        all.addAll(FAULTS.values());
        return all;
    }

    /** The emulator's configuration from the {@code emulator:} section; where to listen is chosen at start. */
    static EmulatorSection read(ConfigSection s) {
        EmulatorConfig.Builder b = EmulatorConfig.builder()
                .timeToFirstToken(s.duration(TIME_TO_FIRST_TOKEN, Duration.ZERO))
                .timePerOutputToken(s.duration(TIME_PER_OUTPUT_TOKEN, Duration.ZERO))
                .jitter(s.doubleValue(JITTER, 0, 1))
                .seed(s.longValue(SEED, Long.MIN_VALUE, Long.MAX_VALUE))
                .requestsPerMinute(s.intValue(REQUESTS_PER_MINUTE, 0, Integer.MAX_VALUE))
                .tokensPerMinute(s.longValue(TOKENS_PER_MINUTE, 0, Long.MAX_VALUE))
                .retryAfter(s.bool(RETRY_AFTER))
                .rateLimitHeaders(s.bool(RATE_LIMIT_HEADERS))
                .concurrency(s.intValue(CONCURRENCY, 0, 1_000_000));
        ConfigSection f = s.section("faults");
        Map<Fault, Double> faults = new EnumMap<>(Fault.class);
        double total = 0;
        for (Map.Entry<Fault, ConfigOption<Double>> e : FAULTS.entrySet()) {
            double p = f.doubleValue(e.getValue(), 0, 1);
            faults.put(e.getKey(), p);
            total += p;
        }
        if (total > 1) {
            // Said here, naming the key, rather than by the builder's exception.
            s.problem("faults", "probabilities add up to " + total + "; they must add up to at most 1");
        } else {
            faults.forEach(b::fault);
        }
        return new EmulatorSection(b.build());
    }

    private static Map<Fault, ConfigOption<Double>> faultOptions() {
        Map<Fault, ConfigOption<Double>> options = new EnumMap<>(Fault.class);
        for (Fault fault : Fault.values()) {
            options.put(fault, key("emulator.faults." + fault.option().substring("fault-".length())).doubleType()
                    .defaultValue(DEFAULTS.faultProbability(fault))
                    .withDescription("The probability of a " + fault.name().toLowerCase().replace('_', ' ')
                            + " per generation request."));
        }
        return options;
    }
}
