package io.friendliflink.job.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkFilesTest {
    @TempDir
    Path dir;

    @Test
    void aPathWithoutASchemeIsLocalAbsoluteAndShownAsTheUserWroteItWhileAUriKeepsItsScheme() {
        org.apache.flink.core.fs.Path relative = FlinkFiles.of("out/../out/run");
        assertThat(relative.toUri().getScheme()).isEqualTo("file");
        assertThat(FlinkFiles.show(relative)).isEqualTo(Path.of("out/run").toAbsolutePath().toString());
        org.apache.flink.core.fs.Path s3 = FlinkFiles.of("s3://bucket/runs/a");
        assertThat(FlinkFiles.isLocal(s3)).isFalse();
        assertThat(FlinkFiles.show(FlinkFiles.child(s3, "_SUMMARY.json"))).isEqualTo("s3://bucket/runs/a/_SUMMARY.json");
    }

    @Test
    void withinComparesWholeFolderNamesOnTheSameFileSystem() {
        assertThat(FlinkFiles.isWithin(FlinkFiles.of("/data/in/out"), FlinkFiles.of("/data/in"))).isTrue();
        assertThat(FlinkFiles.isWithin(FlinkFiles.of("/data/input2"), FlinkFiles.of("/data/in"))).isFalse();
        assertThat(FlinkFiles.isWithin(FlinkFiles.of("s3://b/data/in/x"), FlinkFiles.of("/data/in"))).isFalse();
        assertThat(FlinkFiles.isWithin(FlinkFiles.of("s3://b/in/x"), FlinkFiles.of("s3://b/in"))).isTrue();
    }

    @Test
    void aLocalWriteReplacesTheFileWholeAndLeavesNoTemporaryFileBehind() throws Exception {
        org.apache.flink.core.fs.Path file = FlinkFiles.local(dir.resolve("a/b/_SUMMARY.json"));
        FlinkFiles.writeString(file, "first");
        FlinkFiles.writeString(file, "second");
        assertThat(Files.readString(dir.resolve("a/b/_SUMMARY.json"))).isEqualTo("second");
        try (var files = Files.list(dir.resolve("a/b"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("_SUMMARY.json");
        }
    }

    @Test
    void walkGivesEveryFileBelowAFolderWithItsRelativePathInNameOrder() throws Exception {
        Files.createDirectories(dir.resolve("in/sub"));
        Files.writeString(dir.resolve("in/b.jsonl"), "");
        Files.writeString(dir.resolve("in/sub/a.jsonl"), "");
        Files.writeString(dir.resolve("in/_hidden"), "");
        List<String> relative = FlinkFiles.walk(FlinkFiles.local(dir.resolve("in"))).stream()
                .map(FlinkFiles.Relative::relative).toList();
        assertThat(relative).containsExactly("_hidden", "b.jsonl", "sub/a.jsonl");
        assertThat(FlinkFiles.files(FlinkFiles.local(dir.resolve("missing")))).isEmpty();
        assertThat(FlinkFiles.whyMissing(dir.resolve("missing").toString())).startsWith("does not exist: ");
    }
}
