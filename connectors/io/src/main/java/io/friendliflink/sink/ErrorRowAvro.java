package io.friendliflink.sink;

import static io.friendliflink.sink.AvroSchemas.pos;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Maps an {@link ErrorRow} onto the errors schema ({@code error-row.avsc}). */
public enum ErrorRowAvro implements AvroRowMapping<ErrorRow> {
    INSTANCE;

    /** The errors schema. */
    public static final Schema SCHEMA = AvroSchemas.load("error-row.avsc");

    private static final int CUSTOM_ID = pos(SCHEMA, "custom_id");
    private static final int ERROR_TYPE = pos(SCHEMA, "error_type");
    private static final int ERROR_MESSAGE = pos(SCHEMA, "error_message");
    private static final int HTTP_STATUS = pos(SCHEMA, "http_status");
    private static final int ATTEMPTS = pos(SCHEMA, "attempts");
    private static final int INPUT_LINE = pos(SCHEMA, "input_line");
    private static final int SOURCE = pos(SCHEMA, "source");
    private static final int RESPONSE_JSON = pos(SCHEMA, "response_json");

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public GenericRecord toRecord(ErrorRow row) {
        GenericData.Record r = new GenericData.Record(SCHEMA);
        r.put(CUSTOM_ID, row.customId());
        r.put(ERROR_TYPE, row.errorType());
        r.put(ERROR_MESSAGE, row.errorMessage());
        r.put(HTTP_STATUS, row.httpStatus());
        r.put(ATTEMPTS, row.attempts());
        r.put(INPUT_LINE, row.inputLine());
        r.put(SOURCE, row.source());
        r.put(RESPONSE_JSON, row.responseJson());
        return r;
    }
}
