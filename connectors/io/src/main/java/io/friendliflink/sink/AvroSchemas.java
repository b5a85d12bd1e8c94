package io.friendliflink.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/** Loads the hand-written {@code .avsc} schemas shipped next to this class. */
final class AvroSchemas {
    private AvroSchemas() {}

    static Schema load(String resource) {
        try (InputStream in = AvroSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Avro schema resource not found: " + resource);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Avro schema resource " + resource, e);
        }
    }

    /** The position of a field, failing at class initialisation if a schema and its mapping disagree. */
    static int pos(Schema record, String field) {
        Schema.Field f = record.getField(field);
        if (f == null) {
            throw new IllegalStateException("schema " + record.getFullName() + " has no field " + field);
        }
        return f.pos();
    }

    /** The record schema of an array field, looking through a {@code ["null", array]} union. */
    static Schema elementRecord(Schema record, String arrayField) {
        Schema s = nonNull(record.getField(arrayField).schema());
        return nonNull(s.getElementType());
    }

    static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch;
            }
        }
        throw new IllegalStateException("union without a non-null branch: " + schema);
    }
}
