package io.friendliflink.client;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client artifact is usable from any JVM program: none of Flink, Hadoop, Parquet, Avro or Kafka is on its
 * class path (this module's tests see exactly its dependencies, plus JUnit, AssertJ and a logger).
 */
class ClassPathTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "org.apache.flink.api.common.JobID",
        "org.apache.flink.streaming.api.datastream.DataStream",
        "org.apache.hadoop.conf.Configuration",
        "org.apache.parquet.hadoop.ParquetWriter",
        "org.apache.avro.Schema",
        "org.apache.kafka.clients.consumer.KafkaConsumer"
    })
    void hasNoneOfTheHeavyDependencies(String className) {
        assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
    }
}
