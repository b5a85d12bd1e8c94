package io.friendliflink.emulator;

import io.friendliflink.emulator.fault.Fault;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone emulator: {@code java -jar friendli-flink-emulator-0.1.0-standalone.jar --port 8080 ...}.
 *
 * <p>Runs until killed. The token to require comes from {@code --token-file} or the environment variable
 * {@value #TOKEN_ENV}, never from the command line, where other users could read it.
 */
public final class Main {
    static final String TOKEN_ENV = "FRIENDLI_EMULATOR_TOKEN";

    static final String USAGE = """
            Usage: java -jar friendli-flink-emulator-0.1.0-standalone.jar [options]

            A local Friendli-compatible inference endpoint (serverless, dedicated, tool-assisted, tokenize,
            detokenize, and OpenAI-style /v1/...). GET /_emulator/stats shows its counters.

              --host ADDR            address to bind (default 127.0.0.1)
              --port N               port (default 8080; 0 picks a free one)
              --ttft-ms MS           time to first token (default 0)
              --tpot-ms MS           time per further output token (default 0)
              --jitter F             each delay scaled by a factor in [1-F, 1+F] (default 0)
              --seed N               seed for jitter, faults and ids (default 0)
              --rpm N                requests per sliding minute, 0 = unlimited (default 0)
              --tpm N                prompt+generated tokens per sliding minute, 0 = unlimited (default 0)
              --retry-after BOOL     send Retry-After with rate-limit 429s (default true)
              --rate-limit-headers BOOL  send X-RateLimit-* headers while a limit is set (default true)
              --concurrency N        requests generating at once, the rest queued; 0 = unlimited (default 0)
              --queue N              requests that may wait for a slot (default 100000)
              --fault-500 P          probability of a 500 per generation request (also --fault-502,
                                     --fault-503, --fault-504)
              --fault-429 P          probability of a transient 429 tied to no limit, without Retry-After
              --fault-429-retry-after P  the same with Retry-After: 1
              --fault-reset P        probability of a connection reset mid-response
              --fault-truncate P     probability of a stream (or body) that ends early, cleanly
              --fault-malformed P    probability of a 200 with malformed JSON
              --fault-slow P         probability of an answer delayed by --slow-ms
              --fault-invalid-output P  probability of an answer that ignores a json_schema response_format
              --slow-ms MS           delay of a slow answer (default 600000)
              --io-threads N         event-loop threads (default: number of cores)
              --token-file PATH      require exactly the bearer token in this file (else FRIENDLI_EMULATOR_TOKEN;
                                     else any non-empty bearer token is accepted). As the real API, a request
                                     without a bearer token is answered 401
              --help                 show this help
            """;

    private Main() {}

    public static void main(String[] args) throws Exception {
        EmulatorConfig config;
        try {
            config = parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("Run with --help for the options.");
            System.exit(2);
            return;
        }
        if (config == null) {
            System.out.print(USAGE);
            return;
        }
        Emulator emulator = Emulator.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "emulator-shutdown"));
        PrintStream out = System.out;
        out.println("Friendli emulator listening on " + emulator.baseUrl() + " " + config);
        out.flush();
        stopped.await();
    }

    /** The configuration the arguments describe, or {@code null} when {@code --help} was asked for. */
    static EmulatorConfig parse(String[] args, Map<String, String> env) {
        EmulatorConfig.Builder b = EmulatorConfig.builder().port(8080);
        String tokenFile = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                return null;
            }
            if (option.equals("--token")) {
                throw new IllegalArgumentException(
                        "--token is not accepted: pass --token-file PATH or set " + TOKEN_ENV);
            }
            if (!option.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + option + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            String name = option.substring(2);
            Fault fault = faultNamed(name);
            if (fault != null) {
                b.fault(fault, number(option, value));
                continue;
            }
            switch (name) {
                case "host" -> b.host(value);
                case "port" -> b.port(integer(option, value));
                case "ttft-ms" -> b.timeToFirstToken(Duration.ofMillis(integer(option, value)));
                case "tpot-ms" -> b.timePerOutputToken(Duration.ofMillis(integer(option, value)));
                case "jitter" -> b.jitter(number(option, value));
                case "seed" -> b.seed(longInteger(option, value));
                case "rpm" -> b.requestsPerMinute(integer(option, value));
                case "tpm" -> b.tokensPerMinute(longInteger(option, value));
                case "retry-after" -> b.retryAfter(bool(option, value));
                case "rate-limit-headers" -> b.rateLimitHeaders(bool(option, value));
                case "concurrency" -> b.concurrency(integer(option, value));
                case "queue" -> b.queueCapacity(integer(option, value));
                case "slow-ms" -> b.slowResponseDelay(Duration.ofMillis(integer(option, value)));
                case "io-threads" -> b.ioThreads(integer(option, value));
                case "token-file" -> tokenFile = value;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        b.token(token(tokenFile, env));
        return b.build();
    }

    private static String token(String tokenFile, Map<String, String> env) {
        if (tokenFile != null) {
            try {
                String token = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).trim();
                if (token.isEmpty()) {
                    throw new IllegalArgumentException("--token-file " + tokenFile + " is empty");
                }
                return token;
            } catch (IOException e) {
                throw new IllegalArgumentException("--token-file " + tokenFile + " cannot be read: " + e.getMessage());
            }
        }
        String fromEnv = env.get(TOKEN_ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : fromEnv.trim();
    }

    private static Fault faultNamed(String name) {
        for (Fault f : Fault.values()) {
            if (f.option().equals(name)) {
                return f;
            }
        }
        return null;
    }

    private static int integer(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be an integer, was '" + value + "'");
        }
    }

    private static long longInteger(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be an integer, was '" + value + "'");
        }
    }

    private static double number(String option, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, was '" + value + "'");
        }
    }

    private static boolean bool(String option, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(option + " must be true or false, was '" + value + "'");
    }
}
