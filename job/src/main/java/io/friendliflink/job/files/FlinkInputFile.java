package io.friendliflink.job.files;

import java.io.IOException;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/** A Parquet file read through Flink's file system, so parquet-mr needs no Hadoop file system of its own. */
public final class FlinkInputFile implements InputFile {
    private final Path file;

    public FlinkInputFile(Path file) {
        this.file = file;
    }

    @Override
    public long getLength() throws IOException {
        return FlinkFiles.length(file);
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
        FSDataInputStream in = file.getFileSystem().open(file);
        return new DelegatingSeekableInputStream(in) {
            @Override
            public long getPos() throws IOException {
                return in.getPos();
            }

            @Override
            public void seek(long newPos) throws IOException {
                in.seek(newPos);
            }
        };
    }

    @Override
    public String toString() {
        return FlinkFiles.show(file);
    }
}
