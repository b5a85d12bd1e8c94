package io.friendliflink.source;

import java.io.IOException;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a file as UTF-8 lines, dropping blank lines and a leading byte-order mark.
 *
 * <p>A blank line in a JSONL file separates nothing and carries no request, so dropping it here keeps
 * it from becoming a rejected request further down. A byte-order mark, which some editors write at the
 * start of a UTF-8 file, would otherwise make the first line fail to parse as JSON. Line ends are
 * {@code \n}, {@code \r\n} or {@code \r}. Decompression by file extension ({@code .gz}, {@code .bz2},
 * {@code .xz}, {@code .deflate}) happens before this format sees the bytes.
 *
 * <p>Files are not split; a checkpointed position is the number of lines already emitted, which the
 * restored reader skips again.
 */
final class NonBlankLineFormat extends SimpleStreamFormat<String> {

    private static final long serialVersionUID = 1L;

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final TextLineInputFormat lines = new TextLineInputFormat("UTF-8");

    @Override
    public StreamFormat.Reader<String> createReader(Configuration config, FSDataInputStream stream)
            throws IOException {
        return new Reader(lines.createReader(config, stream));
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }

    private static final class Reader implements StreamFormat.Reader<String> {

        private final TextLineInputFormat.Reader lines;
        private boolean first = true;

        Reader(TextLineInputFormat.Reader lines) {
            this.lines = lines;
        }

        @Override
        public String read() throws IOException {
            String line = lines.read();
            if (first && line != null) {
                first = false;
                if (!line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK) {
                    line = line.substring(1);
                }
            }
            while (line != null && line.isBlank()) {
                line = lines.read();
            }
            return line;
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }
}
