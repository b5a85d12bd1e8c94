package io.friendliflink.source;

import io.friendliflink.lines.InputLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.friendliflink.source.KafkaInput.StartingOffsets;
import io.friendliflink.testing.KafkaBroker;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaInputTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void boundedSourceReadsExactlyTheRecordsPresentAtStartAndUnboundedKeepsReading() throws Exception {
        kafka.createTopic("requests", 3);
        List<String> first = requestLines("a", 30);
        first.set(7, "{\"custom_id\":\"a-7\",\"body\":\"Grüße, 日本語 ✓\"}");
        first.set(8, ""); // an empty value is still a record: the parser decides about it
        List<String> sent = new ArrayList<>(first);
        sent.add(12, null); // a tombstone carries no request
        kafka.send("requests", sent);

        KafkaInput bounded = KafkaInput.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .topics("requests")
                .groupId("bounded-run")
                .build();
        List<String> read = new ArrayList<>();
        try (CloseableIterator<String> it = linesOf(bounded).executeAndCollect()) {
            it.forEachRemaining(read::add);
        }
        assertThat(read).containsExactlyInAnyOrderElementsOf(first);

        // Written after the bounded job ended; then more while the unbounded job runs.
        List<String> second = requestLines("b", 5);
        kafka.send("requests", second);
        KafkaInput unbounded = KafkaInput.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .topics("requests")
                .groupId("unbounded-run")
                .unbounded()
                .build();
        StreamExecutionEnvironment env = environment();
        try (CloseableIterator<String> it = env.fromSource(unbounded.createSource(),
                WatermarkStrategy.noWatermarks(), "request lines").map(InputLine::text).collectAsync()) {
            JobClient job = env.executeAsync("unbounded kafka input");

            List<String> caughtUp = new ArrayList<>(first);
            caughtUp.addAll(second);
            assertThat(take(it, caughtUp.size())).containsExactlyInAnyOrderElementsOf(caughtUp);

            List<String> third = requestLines("c", 5);
            kafka.send("requests", third);
            assertThat(take(it, third.size())).containsExactlyInAnyOrderElementsOf(third);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

            job.cancel().get();
            job.getJobExecutionResult().handle((result, failure) -> null).get(30, TimeUnit.SECONDS);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.CANCELED);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void topicPatternReadsEveryMatchingTopicFromEarliestForAGroupWithoutCommittedOffsets() throws Exception {
        kafka.createTopic("pattern-x", 2);
        kafka.createTopic("pattern-y", 1);
        kafka.createTopic("unrelated", 1);
        kafka.send("pattern-x", requestLines("x", 4));
        kafka.send("pattern-y", requestLines("y", 3));
        kafka.send("unrelated", requestLines("u", 2));

        KafkaInput input = KafkaInput.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .topicPattern("pattern-.*")
                .groupId("never-committed")
                .startingOffsets(StartingOffsets.COMMITTED_OR_EARLIEST)
                .build();
        List<String> read = new ArrayList<>();
        try (CloseableIterator<String> it = linesOf(input).executeAndCollect()) {
            it.forEachRemaining(read::add);
        }

        List<String> expected = new ArrayList<>(requestLines("x", 4));
        expected.addAll(requestLines("y", 3));
        assertThat(read).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void committedOrEarliestResumesAfterTheGroupsCommittedOffset() throws Exception {
        kafka.createTopic("resumable", 1);
        List<String> lines = requestLines("r", 10);
        kafka.send("resumable", lines);
        kafka.commitOffset("resumer", "resumable", 0, 6);

        KafkaInput input = KafkaInput.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .topics("resumable")
                .groupId("resumer")
                .startingOffsets(StartingOffsets.COMMITTED_OR_EARLIEST)
                .build();
        List<String> read = new ArrayList<>();
        try (CloseableIterator<String> it = linesOf(input).executeAndCollect()) {
            it.forEachRemaining(read::add);
        }

        assertThat(read).containsExactlyElementsOf(lines.subList(6, 10));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void eachRecordNamesItsTopicPartitionAndOffset() throws Exception {
        kafka.createTopic("located", 1);
        kafka.send("located", requestLines("l", 3));

        KafkaInput input = KafkaInput.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .topics("located")
                .groupId("locator")
                .build();
        List<String> sources = new ArrayList<>();
        try (CloseableIterator<InputLine> it = environment().fromSource(input.createSource(),
                WatermarkStrategy.noWatermarks(), "request lines").executeAndCollect()) {
            it.forEachRemaining(line -> sources.add(line.source()));
        }

        assertThat(sources).containsExactlyInAnyOrder("located-0@0", "located-0@1", "located-0@2");
    }

    @Test
    void toStringMasksSecretValues() {
        KafkaInput input = KafkaInput.builder()
                .bootstrapServers("broker-1:9093, broker-2:9093")
                .topics("requests")
                .groupId("batch")
                .property("security.protocol", "SASL_SSL")
                .properties(Map.of(
                        "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                + " username=\"u\" password=\"hunter2\";",
                        "ssl.truststore.password", "changeit",
                        "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----",
                        "sasl.oauthbearer.client.credentials.client.secret", "s3cr3t"))
                .build();

        assertThat(input.toString())
                .isEqualTo("KafkaInput{bootstrapServers=broker-1:9093,broker-2:9093, topics=[requests],"
                        + " groupId=batch, startingOffsets=earliest, bounded, properties={"
                        + "sasl.jaas.config=****, sasl.oauthbearer.client.credentials.client.secret=****,"
                        + " security.protocol=SASL_SSL, ssl.keystore.key=****, ssl.truststore.password=****}}")
                .doesNotContain("hunter2", "changeit", "PRIVATE", "s3cr3t");
        // The source itself still gets the real values.
        assertThat(input.properties()).containsEntry("ssl.truststore.password", "changeit");
    }

    @Test
    void startingOffsetsParseTheirCommandLineNames() {
        assertThat(StartingOffsets.parse("earliest")).isEqualTo(StartingOffsets.EARLIEST);
        assertThat(StartingOffsets.parse("LATEST")).isEqualTo(StartingOffsets.LATEST);
        assertThat(StartingOffsets.parse(" committed-or-earliest ")).isEqualTo(StartingOffsets.COMMITTED_OR_EARLIEST);
        assertThatThrownBy(() -> StartingOffsets.parse("committed"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("startingOffsets 'committed' is not one of earliest, latest, committed-or-earliest");
    }

    @Test
    void settersRefuseBadValuesNamingTheParameter() {
        KafkaInput.Builder b = KafkaInput.builder();

        assertThatThrownBy(() -> b.bootstrapServers(" "))
                .hasMessage("bootstrapServers must not be blank");
        assertThatThrownBy(() -> b.bootstrapServers("broker-1:9092,broker-2"))
                .hasMessage("bootstrapServers entry 'broker-2' must be host:port with a port in 1..65535");
        assertThatThrownBy(() -> b.bootstrapServers("broker-1:70000"))
                .hasMessage("bootstrapServers entry 'broker-1:70000' must be host:port with a port in 1..65535");
        assertThatThrownBy(() -> b.topics())
                .hasMessage("topics must name at least one topic");
        assertThatThrownBy(() -> b.topics("ok", "no spaces"))
                .hasMessage("topics entry 'no spaces' is not a legal topic name (1 to 249 of a-z A-Z 0-9 . _ -)");
        assertThatThrownBy(() -> b.topicPattern("requests-["))
                .hasMessageStartingWith("topicPattern 'requests-[' is not a valid regular expression");
        assertThatThrownBy(() -> b.groupId(""))
                .hasMessage("groupId must not be blank");
        assertThatThrownBy(() -> b.startingOffsets(null))
                .hasMessage("startingOffsets must not be null");
        assertThatThrownBy(() -> b.property("group.id", "other"))
                .hasMessage("property 'group.id' is set through groupId, not as an extra property");
        assertThatThrownBy(() -> b.property("auto.offset.reset", "latest"))
                .hasMessage("property 'auto.offset.reset' is set through startingOffsets, not as an extra property");
        assertThatThrownBy(() -> b.property("value.deserializer", "x"))
                .hasMessageStartingWith("property 'value.deserializer' is set through this class");
        assertThatThrownBy(() -> b.property("request.timeout.ms", null))
                .hasMessage("property 'request.timeout.ms' must have a value");
    }

    @Test
    void buildRefusesIncompleteOrContradictorySettings() {
        assertThatThrownBy(() -> KafkaInput.builder().topics("t").groupId("g").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bootstrapServers must be set");
        assertThatThrownBy(() -> KafkaInput.builder().bootstrapServers("h:1").groupId("g").build())
                .hasMessage("one of topics or topicPattern must be set");
        assertThatThrownBy(() -> KafkaInput.builder().bootstrapServers("h:1").groupId("g")
                        .topics("t").topicPattern("t.*").build())
                .hasMessage("topics and topicPattern are exclusive; set only one");
        assertThatThrownBy(() -> KafkaInput.builder().bootstrapServers("h:1").topics("t").build())
                .hasMessage("groupId must be set");
        assertThatThrownBy(() -> KafkaInput.builder().bootstrapServers("h:1").topics("t").groupId("g")
                        .startingOffsets(StartingOffsets.LATEST).build())
                .hasMessageStartingWith("startingOffsets=latest with a bounded source reads nothing");

        KafkaInput latestUnbounded = KafkaInput.builder().bootstrapServers("h:1").topics("t").groupId("g")
                .startingOffsets(StartingOffsets.LATEST).unbounded().build();
        assertThat(latestUnbounded.isBounded()).isFalse();
        assertThat(latestUnbounded.createSource().getBoundedness())
                .isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
    }

    private static List<String> requestLines(String prefix, int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> "{\"custom_id\":\"" + prefix + "-" + i + "\",\"method\":\"POST\"}")
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        return env;
    }

    private static DataStream<String> linesOf(KafkaInput input) {
        return environment().fromSource(input.createSource(), WatermarkStrategy.noWatermarks(), "request lines")
                .map(InputLine::text);
    }

    /** Blocks until {@code n} more elements arrived; the test's timeout bounds the wait. */
    private static List<String> take(CloseableIterator<String> it, int n) {
        List<String> taken = new ArrayList<>(n);
        while (taken.size() < n && it.hasNext()) {
            taken.add(it.next());
        }
        return taken;
    }
}
