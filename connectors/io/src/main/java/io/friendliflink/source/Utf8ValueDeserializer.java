package io.friendliflink.source;

import io.friendliflink.lines.InputLine;
import java.nio.charset.StandardCharsets;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a Kafka record's value into a request line, decoded as UTF-8, with its topic, partition and offset as
 * its source; the key is ignored.
 *
 * <p>A record without a value (a tombstone) holds no request and is skipped with a warning naming its
 * topic, partition and offset. Every other value, empty or not, is emitted for the request parser to
 * accept or reject.
 */
final class Utf8ValueDeserializer implements KafkaRecordDeserializationSchema<InputLine> {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(Utf8ValueDeserializer.class);

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<InputLine> out) {
        byte[] value = record.value();
        if (value == null) {
            LOG.warn("Skipped a record without a value (tombstone) at {}-{} offset {}",
                    record.topic(), record.partition(), record.offset());
            return;
        }
        out.collect(new InputLine(new String(value, StandardCharsets.UTF_8),
                InputLine.kafkaSource(record.topic(), record.partition(), record.offset())));
    }

    @Override
    public TypeInformation<InputLine> getProducedType() {
        return TypeInformation.of(InputLine.class);
    }
}
