package io.friendliflink.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

/**
 * Flink's own {@code ML_PREDICT} in a local mini cluster, reading the prompts of the same request file the job
 * reads: the benchmark's peer with the {@code flink-model-openai} provider, and the same query with ours
 * ({@code --provider friendli}, one word changed in {@code CREATE MODEL}).
 *
 * <p>{@code --input FILE --endpoint URL [--provider openai|friendli] [--parallelism 2] [--concurrency 1024]
 * [--sink blackhole|parquet|print] [--output DIR] [--result FILE] [--model-options "'adaptive' = 'false'"]}; prints (and writes to FILE) one line
 * {@code peer rows=N seconds=S requests_per_second=R}. The endpoint is the full chat completions URL, as both
 * providers take it. {@code flink-model-openai} must be on the class path for {@code openai} (bench/lib.sh puts it
 * there), {@code friendli-sql} for {@code friendli} (a dependency of this module). {@code --concurrency} is the
 * query's {@code max-concurrent-operations} per subtask; the friendli model opens as many connections.
 */
public final class PeerMlPredict {
    private PeerMlPredict() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        String input = Path.of(require(opts, "input")).toAbsolutePath().toString();
        String endpoint = require(opts, "endpoint");
        int parallelism = Integer.parseInt(opts.getOrDefault("parallelism", "2"));
        String concurrency = opts.getOrDefault("concurrency", "1024");
        String sink = opts.getOrDefault("sink", "blackhole");
        String provider = opts.getOrDefault("provider", "openai");
        long rows;
        try (var lines = Files.lines(Path.of(input))) {
            rows = lines.filter(l -> !l.isBlank()).count();
        }

        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        TableEnvironment env = TableEnvironment.create(
                EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(conf).build());
        env.getConfig().set("table.exec.async-ml-predict.max-concurrent-operations", concurrency);
        env.getConfig().set("parallelism.default", String.valueOf(parallelism));

        // The request lines themselves, read as JSON: the prompt is the first message's content.
        env.executeSql("CREATE TABLE requests (custom_id STRING, body ROW<messages ARRAY<ROW<`role` STRING,"
                + " content STRING>>>) WITH ('connector' = 'filesystem', 'path' = '" + sql(input)
                + "', 'format' = 'json')");
        env.executeSql("CREATE TEMPORARY VIEW prompts AS SELECT custom_id, body.messages[1].content AS prompt"
                + " FROM requests");
        if (provider.equals("openai")) {
            env.executeSql("CREATE MODEL answerer INPUT (prompt STRING) OUTPUT (answer STRING) WITH ("
                    + "'provider' = 'openai', 'endpoint' = '" + sql(endpoint) + "', 'api-key' = 'bench-no-key', "
                    + "'model' = 'bench-model', 'max-tokens' = '16')");
        } else if (provider.equals("friendli")) {
            env.executeSql("CREATE MODEL answerer INPUT (prompt STRING) OUTPUT (answer STRING) WITH ("
                    + "'provider' = 'friendli', 'endpoint' = '" + sql(endpoint) + "', "
                    + "'model' = 'bench-model', 'body.max_tokens' = '16', 'max-connections' = '" + concurrency + "'"
                    + (opts.containsKey("model-options") ? ", " + opts.get("model-options") : "") + ")");
        } else {
            throw new IllegalArgumentException("--provider is openai or friendli, was " + provider);
        }
        if (sink.equals("parquet")) {
            String out = Path.of(require(opts, "output")).toAbsolutePath().toString();
            env.executeSql("CREATE TABLE answers (custom_id STRING, answer STRING) WITH ('connector' = "
                    + "'filesystem', 'path' = '" + sql(out) + "', 'format' = 'parquet')");
        } else if (sink.equals("print")) { // to check what the peer got, on a few lines
            env.executeSql("CREATE TABLE answers (custom_id STRING, answer STRING) WITH ('connector' = 'print')");
        } else {
            env.executeSql("CREATE TABLE answers (custom_id STRING, answer STRING) WITH ('connector' = 'blackhole')");
        }

        long start = System.nanoTime();
        TableResult result = env.executeSql("INSERT INTO answers SELECT custom_id, answer FROM ML_PREDICT("
                + "TABLE prompts, MODEL answerer, DESCRIPTOR(prompt))");
        result.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        String line = String.format(java.util.Locale.ROOT, "peer rows=%d seconds=%.3f requests_per_second=%.1f",
                rows, seconds, rows / seconds);
        System.out.println(line);
        if (opts.containsKey("result")) { // Flink's log shares stdout and may cut into the line above
            Files.writeString(Path.of(opts.get("result")), line + "\n");
        }
        System.exit(0); // the provider's HTTP client leaves non-daemon threads behind
    }

    private static String sql(String literal) {
        return literal.replace("'", "''");
    }

    private static String require(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }
}
