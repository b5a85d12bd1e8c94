package io.friendliflink.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link KafkaBroker} from the command line until interrupted, for trying the job locally
 * without installing Kafka or Docker.
 *
 * <p>Arguments: {@code --topic NAME[:PARTITIONS]} (repeatable, 1 partition by default),
 * {@code --load TOPIC=FILE} (repeatable: sends the file's non-blank lines to the topic, one record each) and
 * {@code --bootstrap-file PATH} (writes the {@code bootstrap.servers} value there for scripts). The
 * port is chosen at start and printed. Ctrl-C stops the broker and deletes its data.
 *
 * <pre>
 * mvn -q -pl connectors test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.friendliflink.testing.LocalKafka -Dexec.args="--topic requests:4"
 * </pre>
 */
public final class LocalKafka {

    private LocalKafka() {}

    public static void main(String[] args) throws Exception {
        List<String> topics = new ArrayList<>();
        List<Integer> partitions = new ArrayList<>();
        Path bootstrapFile = null;
        List<String[]> loads = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length) {
                usage("missing value after " + arg);
            }
            String value = args[++i];
            switch (arg) {
                case "--topic": {
                    int colon = value.lastIndexOf(':');
                    topics.add(colon < 0 ? value : value.substring(0, colon));
                    partitions.add(colon < 0 ? 1 : parsePartitions(value.substring(colon + 1)));
                    break;
                }
                case "--load": {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        usage("--load takes TOPIC=FILE, was '" + value + "'");
                    }
                    loads.add(new String[] {value.substring(0, eq), value.substring(eq + 1)});
                    break;
                }
                case "--bootstrap-file":
                    bootstrapFile = Path.of(value);
                    break;
                default:
                    usage("unknown argument " + arg);
            }
        }

        KafkaBroker broker = KafkaBroker.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.close();
            } catch (Exception e) {
                System.err.println("Kafka broker did not stop cleanly: " + e);
            } finally {
                stopped.countDown();
            }
        }, "local-kafka-shutdown"));

        for (int i = 0; i < topics.size(); i++) {
            broker.createTopic(topics.get(i), partitions.get(i));
            System.out.println("Created topic " + topics.get(i) + " with " + partitions.get(i) + " partition(s)");
        }
        for (String[] load : loads) {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of(load[1]), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
            broker.send(load[0], lines);
            System.out.println("Sent " + lines.size() + " lines of " + load[1] + " to topic " + load[0]);
        }
        if (bootstrapFile != null) {
            Files.writeString(bootstrapFile, broker.bootstrapServers() + "\n", StandardCharsets.UTF_8);
        }
        System.out.println("Kafka is ready: bootstrap.servers=" + broker.bootstrapServers()
                + " (Ctrl-C to stop)");
        stopped.await();
    }

    private static int parsePartitions(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage("partitions must be a positive integer, was '" + text + "'");
        return 0;
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: LocalKafka [--topic NAME[:PARTITIONS]]... [--load TOPIC=FILE]... [--bootstrap-file PATH]");
        System.exit(2);
    }
}
