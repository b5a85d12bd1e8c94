package io.friendliflink.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParquetSinkOptionsTest {
    @Test
    void defaultsAreZstdWith32MiBRowGroupsAnd1MiBPages() {
        ParquetSinkOptions defaults = ParquetSinkOptions.ofDefaults();

        assertThat(defaults.compression()).isEqualTo(ParquetCompression.ZSTD);
        assertThat(defaults.rowGroupSizeBytes()).isEqualTo(32L << 20);
        assertThat(defaults.pageSizeBytes()).isEqualTo(1 << 20);
        assertThat(defaults).hasToString(
                "ParquetSinkOptions{compression=ZSTD, rowGroupSizeBytes=33554432, pageSizeBytes=1048576}");
    }

    @Test
    void fromCopiesEverySetting() {
        ParquetSinkOptions custom = ParquetSinkOptions.custom()
                .compression(ParquetCompression.SNAPPY)
                .rowGroupSizeBytes(8L << 20)
                .pageSizeBytes(64 << 10)
                .build();

        assertThat(ParquetSinkOptions.from(custom).build()).isEqualTo(custom).isNotEqualTo(ParquetSinkOptions.ofDefaults());
    }

    @Test
    void outOfRangeSizesAreRejectedWithTheParameterName() {
        assertThatThrownBy(() -> ParquetSinkOptions.custom().rowGroupSizeBytes(1000))
                .hasMessage("rowGroupSizeBytes must be between 1048576 and 1073741824, was 1000");
        assertThatThrownBy(() -> ParquetSinkOptions.custom().pageSizeBytes(100))
                .hasMessage("pageSizeBytes must be between 8192 and 67108864, was 100");
        assertThatThrownBy(() -> ParquetSinkOptions.custom().compression(null))
                .hasMessage("compression must not be null");
    }

    @Test
    void pagesLargerThanRowGroupsAreRejected() {
        assertThatThrownBy(() -> ParquetSinkOptions.custom()
                        .rowGroupSizeBytes(2L << 20)
                        .pageSizeBytes(4 << 20)
                        .build())
                .hasMessage("pageSizeBytes (4194304) must not exceed rowGroupSizeBytes (2097152)");
    }

    @Test
    void compressionIsParsedCaseInsensitively() {
        assertThat(ParquetCompression.parse("zstd")).isEqualTo(ParquetCompression.ZSTD);
        assertThat(ParquetCompression.parse(" Snappy ")).isEqualTo(ParquetCompression.SNAPPY);
        assertThat(ParquetCompression.parse("none")).isEqualTo(ParquetCompression.UNCOMPRESSED);
        assertThat(ParquetCompression.parse("UNCOMPRESSED")).isEqualTo(ParquetCompression.UNCOMPRESSED);
    }

    @Test
    void unknownCompressionIsRejectedNamingTheAcceptedValues() {
        assertThatThrownBy(() -> ParquetCompression.parse("gzip"))
                .hasMessage("compression must be one of zstd, snappy, uncompressed (or none), was gzip");
        assertThatThrownBy(() -> ParquetCompression.parse(null))
                .hasMessage("compression must be one of zstd, snappy, uncompressed (or none), was null");
    }
}
