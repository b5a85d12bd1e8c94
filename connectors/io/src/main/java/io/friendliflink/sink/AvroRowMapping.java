package io.friendliflink.sink;

import java.io.Serializable;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * How one kind of row becomes an Avro record of a fixed schema, the last step before Parquet encoding.
 *
 * <p>The conversion runs inside the Parquet writer, so {@link GenericRecord}s never cross Flink's
 * serialization: rows travel through the job as plain records and are converted one at a time on write.
 *
 * @param <T> the row type
 */
public interface AvroRowMapping<T> extends Serializable {
    /** The schema of the records {@link #toRecord} returns. */
    Schema schema();

    /** The record for one row; the record may share the row's immutable lists. */
    GenericRecord toRecord(T row);
}
