package io.friendliflink.sink;

import java.util.Locale;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/** The page compression of the Parquet files this project writes; each one is tested end to end. */
public enum ParquetCompression {
    /** Zstandard (level 3): the best ratio for text and JSON at a modest CPU cost. The default. */
    ZSTD(CompressionCodecName.ZSTD),
    /** Snappy: faster and larger than ZSTD, read by every Parquet tool. */
    SNAPPY(CompressionCodecName.SNAPPY),
    /** No compression, for debugging. */
    UNCOMPRESSED(CompressionCodecName.UNCOMPRESSED);

    private final CompressionCodecName codec;

    ParquetCompression(CompressionCodecName codec) {
        this.codec = codec;
    }

    CompressionCodecName codec() {
        return codec;
    }

    /**
     * The compression named by a configuration value, case-insensitive ({@code zstd}, {@code snappy},
     * {@code uncompressed}, or {@code none} for the latter).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static ParquetCompression parse(String value) {
        if (value != null) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            if (v.equals("NONE")) {
                return UNCOMPRESSED;
            }
            for (ParquetCompression c : values()) {
                if (c.name().equals(v)) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException(
                "compression must be one of zstd, snappy, uncompressed (or none), was " + value);
    }
}
