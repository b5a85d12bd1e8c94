package io.friendliflink.sink;

import java.io.IOException;
import java.util.Objects;
import org.apache.flink.formats.parquet.ParquetBuilder;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;

/**
 * Creates a compressed Parquet writer of rows for each part file Flink opens.
 *
 * <p>Built by hand rather than through flink-parquet's {@code AvroParquetWriters}, which always writes
 * uncompressed files. The writer's settings come from {@link ParquetSinkOptions} through a plain
 * (non-Hadoop) configuration; Parquet's codec factory still builds a Hadoop {@code Configuration} from it
 * internally, which is why {@code hadoop-common} must be on the class path.
 */
final class AvroMappingParquetBuilder<T> implements ParquetBuilder<T> {
    private static final long serialVersionUID = 1L;

    private final AvroRowMapping<T> mapping;
    private final ParquetSinkOptions options;

    AvroMappingParquetBuilder(AvroRowMapping<T> mapping, ParquetSinkOptions options) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public ParquetWriter<T> createWriter(OutputFile out) throws IOException {
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        // The standard three-level LIST layout; the old two-level one is ambiguous to some readers.
        conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
        return new Builder<>(out, mapping)
                .withConf(conf)
                .withCompressionCodec(options.compression().codec())
                .withRowGroupSize(options.rowGroupSizeBytes())
                .withPageSize(options.pageSizeBytes())
                .withDictionaryEncoding(true)
                .build();
    }

    private static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
        private final AvroRowMapping<T> mapping;

        Builder(OutputFile out, AvroRowMapping<T> mapping) {
            super(out);
            this.mapping = mapping;
        }

        @Override
        protected Builder<T> self() {
            return this;
        }

        @Override
        protected WriteSupport<T> getWriteSupport(ParquetConfiguration conf) {
            return new MappingWriteSupport<>(mapping, conf);
        }

        @Override
        protected WriteSupport<T> getWriteSupport(Configuration conf) {
            throw new UnsupportedOperationException("writers are configured with a ParquetConfiguration");
        }
    }
}
