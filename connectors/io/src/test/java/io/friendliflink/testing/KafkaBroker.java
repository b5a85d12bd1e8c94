package io.friendliflink.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker in this JVM: one KRaft node acting as broker and controller, from Kafka's own
 * test kit, on a free port chosen at start.
 *
 * <p>Replication factors of Kafka's internal topics are 1, so consumer groups and committed offsets
 * work with the single node. Data lives in a temporary directory deleted by {@link #close()}, which also
 * waits until every broker thread has ended.
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.start()) {
 *     kafka.createTopic("requests", 3);
 *     kafka.send("requests", List.of("{...}", "{...}"));
 *     KafkaInput.builder().bootstrapServers(kafka.bootstrapServers())...
 * }
 * }</pre>
 */
public final class KafkaBroker implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 30;

    private final KafkaClusterTestKit cluster;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Starts the node and returns once it accepts clients. */
    public static KafkaBroker start() throws Exception {
        // Our own directory: the kit's default one is deleted by a JVM shutdown hook that races the
        // broker's own shutdown when LocalKafka is stopped with Ctrl-C. close() deletes it.
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setBaseDirectory(Files.createTempDirectory("friendli-kafka-"))
                // A released feature set, as a real cluster has, not the kit's unstable newest one.
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("unstable.api.versions.enable", "false")
                .setConfigProp("unstable.feature.versions.enable", "false")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception | Error e) {
            try {
                cluster.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new KafkaBroker(cluster);
    }

    /** The {@code bootstrap.servers} value for clients, {@code localhost:<port>}. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates a topic and waits until it exists. */
    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Sets a consumer group's committed offset for one partition, as a finished earlier run would have. */
    public void commitOffset(String groupId, String topic, int partition, long offset) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.alterConsumerGroupOffsets(groupId,
                            Map.of(new TopicPartition(topic, partition), new OffsetAndMetadata(offset)))
                    .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * Writes each value as one record without a key, round-robin over the topic's partitions, and
     * returns once every record is acknowledged.
     */
    public void send(String topic, List<String> values) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            int partitions = producer.partitionsFor(topic).size();
            List<Future<RecordMetadata>> acks = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                byte[] value = values.get(i) == null ? null : values.get(i).getBytes(StandardCharsets.UTF_8);
                acks.add(producer.send(new ProducerRecord<>(topic, i % partitions, null, value)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    /** Stops the node, deletes its data and waits for its threads to end. */
    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
