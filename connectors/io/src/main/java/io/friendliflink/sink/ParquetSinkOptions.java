package io.friendliflink.sink;

import java.io.Serializable;
import java.util.Objects;

/**
 * How the Parquet files are written: compression and the sizes that trade memory for scan speed.
 *
 * <p>Immutable and validated once in {@link Builder#build()}. A Parquet writer holds its current row
 * group in memory, and each parallel sink subtask has one open writer for results and one for errors,
 * so the row-group size bounds the heap a subtask needs. Files are also closed at every checkpoint,
 * which caps row groups at what arrives between two checkpoints.
 *
 * <pre>{@code
 * ParquetSinkOptions options = ParquetSinkOptions.custom()
 *         .compression(ParquetCompression.SNAPPY)
 *         .rowGroupSizeBytes(64L << 20)
 *         .build();
 * }</pre>
 */
public final class ParquetSinkOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final ParquetCompression DEFAULT_COMPRESSION = ParquetCompression.ZSTD;
    public static final long DEFAULT_ROW_GROUP_SIZE_BYTES = 32L << 20;
    public static final int DEFAULT_PAGE_SIZE_BYTES = 1 << 20;

    static final long MIN_ROW_GROUP_SIZE_BYTES = 1L << 20;
    static final long MAX_ROW_GROUP_SIZE_BYTES = 1L << 30;
    static final int MIN_PAGE_SIZE_BYTES = 8 << 10;
    static final int MAX_PAGE_SIZE_BYTES = 64 << 20;

    private static final ParquetSinkOptions DEFAULTS = new Builder().build();

    private final ParquetCompression compression;
    private final long rowGroupSizeBytes;
    private final int pageSizeBytes;

    private ParquetSinkOptions(Builder b) {
        this.compression = b.compression;
        this.rowGroupSizeBytes = b.rowGroupSizeBytes;
        this.pageSizeBytes = b.pageSizeBytes;
    }

    /** ZSTD, 32 MiB row groups, 1 MiB pages. */
    public static ParquetSinkOptions ofDefaults() {
        return DEFAULTS;
    }

    public static Builder custom() {
        return new Builder();
    }

    public static Builder from(ParquetSinkOptions prototype) {
        return new Builder()
                .compression(prototype.compression)
                .rowGroupSizeBytes(prototype.rowGroupSizeBytes)
                .pageSizeBytes(prototype.pageSizeBytes);
    }

    public ParquetCompression compression() {
        return compression;
    }

    public long rowGroupSizeBytes() {
        return rowGroupSizeBytes;
    }

    public int pageSizeBytes() {
        return pageSizeBytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParquetSinkOptions other
                && compression == other.compression
                && rowGroupSizeBytes == other.rowGroupSizeBytes
                && pageSizeBytes == other.pageSizeBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(compression, rowGroupSizeBytes, pageSizeBytes);
    }

    @Override
    public String toString() {
        return "ParquetSinkOptions{compression=" + compression
                + ", rowGroupSizeBytes=" + rowGroupSizeBytes
                + ", pageSizeBytes=" + pageSizeBytes + '}';
    }

    /** Builds {@link ParquetSinkOptions}; each setter checks its own value, {@link #build()} the combination. */
    public static final class Builder {
        private ParquetCompression compression = DEFAULT_COMPRESSION;
        private long rowGroupSizeBytes = DEFAULT_ROW_GROUP_SIZE_BYTES;
        private int pageSizeBytes = DEFAULT_PAGE_SIZE_BYTES;

        private Builder() {}

        public Builder compression(ParquetCompression compression) {
            this.compression = Objects.requireNonNull(compression, "compression must not be null");
            return this;
        }

        /** Target size of a row group, between 1 MiB and 1 GiB. */
        public Builder rowGroupSizeBytes(long rowGroupSizeBytes) {
            if (rowGroupSizeBytes < MIN_ROW_GROUP_SIZE_BYTES || rowGroupSizeBytes > MAX_ROW_GROUP_SIZE_BYTES) {
                throw new IllegalArgumentException("rowGroupSizeBytes must be between " + MIN_ROW_GROUP_SIZE_BYTES
                        + " and " + MAX_ROW_GROUP_SIZE_BYTES + ", was " + rowGroupSizeBytes);
            }
            this.rowGroupSizeBytes = rowGroupSizeBytes;
            return this;
        }

        /** Target size of a data page, between 8 KiB and 64 MiB. */
        public Builder pageSizeBytes(int pageSizeBytes) {
            if (pageSizeBytes < MIN_PAGE_SIZE_BYTES || pageSizeBytes > MAX_PAGE_SIZE_BYTES) {
                throw new IllegalArgumentException("pageSizeBytes must be between " + MIN_PAGE_SIZE_BYTES
                        + " and " + MAX_PAGE_SIZE_BYTES + ", was " + pageSizeBytes);
            }
            this.pageSizeBytes = pageSizeBytes;
            return this;
        }

        public ParquetSinkOptions build() {
            if (pageSizeBytes > rowGroupSizeBytes) {
                throw new IllegalArgumentException("pageSizeBytes (" + pageSizeBytes
                        + ") must not exceed rowGroupSizeBytes (" + rowGroupSizeBytes + ")");
            }
            return new ParquetSinkOptions(this);
        }
    }
}
