package io.friendliflink.source;

import io.friendliflink.lines.InputLine;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.impl.StreamFormatAdapter;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Reads a file as UTF-8 lines, each with its file and line number, dropping blank lines and a leading
 * byte-order mark.
 *
 * <p>A blank line in a JSONL file separates nothing and carries no request, so dropping it here keeps it
 * from becoming a rejected request further down; it still counts for the line numbers, which are the ones
 * an editor shows. A byte-order mark, which some editors write at the start of a UTF-8 file, would
 * otherwise make the first line fail to parse as JSON. Line ends are {@code \n}, {@code \r\n} or {@code \r}.
 * Decompression by file extension ({@code .gz}, {@code .bz2}, {@code .xz}, {@code .deflate}) happens before
 * the lines are read.
 *
 * <p>Files are not split. A checkpointed position is the number of lines already emitted, which a restored
 * reader reads and skips again from the file's start, counting as it goes: the line numbers after a
 * restore are the same as without one. A stream format is given no file name, so this bulk format makes
 * one stream format per split, with the split's file as its source.
 */
final class NumberedLineFormat implements BulkFormat<InputLine, FileSourceSplit> {
    private static final long serialVersionUID = 1L;

    @Override
    public BulkFormat.Reader<InputLine> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return linesOf(split.path()).createReader(config, split);
    }

    @Override
    public BulkFormat.Reader<InputLine> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        return linesOf(split.path()).restoreReader(config, split);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<InputLine> getProducedType() {
        return TypeInformation.of(InputLine.class);
    }

    private static StreamFormatAdapter<InputLine> linesOf(Path file) {
        return new StreamFormatAdapter<>(new LinesOfFile(displayName(file)));
    }

    /** A local file by its path, as a user typed it; any other file system's file by its URI. */
    static String displayName(Path file) {
        String scheme = file.toUri().getScheme();
        return scheme == null || scheme.equals("file") ? file.toUri().getPath() : file.toString();
    }

    /** The lines of one file. */
    private static final class LinesOfFile extends SimpleStreamFormat<InputLine> {
        private static final long serialVersionUID = 1L;
        private static final char BYTE_ORDER_MARK = '\uFEFF';

        private final String file;

        LinesOfFile(String file) {
            this.file = file;
        }

        @Override
        public StreamFormat.Reader<InputLine> createReader(Configuration config, FSDataInputStream stream)
                throws IOException {
            TextLineInputFormat.Reader lines = new TextLineInputFormat("UTF-8").createReader(config, stream);
            return new StreamFormat.Reader<>() {
                private long lineNumber;

                @Override
                public InputLine read() throws IOException {
                    String line = lines.read();
                    lineNumber++;
                    if (lineNumber == 1 && line != null && !line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK) {
                        line = line.substring(1);
                    }
                    while (line != null && line.isBlank()) {
                        line = lines.read();
                        lineNumber++;
                    }
                    return line == null ? null : new InputLine(line, InputLine.fileSource(file, lineNumber));
                }

                @Override
                public void close() throws IOException {
                    lines.close();
                }
            };
        }

        @Override
        public TypeInformation<InputLine> getProducedType() {
            return TypeInformation.of(InputLine.class);
        }
    }
}
