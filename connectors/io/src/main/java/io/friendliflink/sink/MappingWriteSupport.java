package io.friendliflink.sink;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;

/** Writes rows through parquet-avro's write support, converting each row to its Avro record on the way. */
final class MappingWriteSupport<T> extends WriteSupport<T> {
    private final AvroRowMapping<T> mapping;
    private final AvroWriteSupport<GenericRecord> avro;

    MappingWriteSupport(AvroRowMapping<T> mapping, ParquetConfiguration conf) {
        this.mapping = mapping;
        this.avro = new AvroWriteSupport<>(
                new AvroSchemaConverter(conf).convert(mapping.schema()), mapping.schema(), GenericData.get());
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return avro.init(configuration);
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return avro.init(configuration);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        avro.prepareForWrite(recordConsumer);
    }

    @Override
    public void write(T row) {
        avro.write(mapping.toRecord(row));
    }

    @Override
    public String getName() {
        return avro.getName();
    }

    @Override
    public FinalizedWriteContext finalizeWrite() {
        return avro.finalizeWrite();
    }
}
