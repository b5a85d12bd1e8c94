package io.friendliflink.job.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.friendliflink.job.files.FlinkFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Struct columns read the same from every format: a Parquet struct and a JSON object are one {@code Map}. */
class TableReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLE_DATA = Path.of("..", "sample-data");

    @TempDir
    Path dir;

    @Test
    void aParquetStructColumnIsAMapOfItsFieldsEqualToTheSameRowsWrittenAsJsonl() throws Exception {
        for (String task : List.of("arc_easy", "truthfulqa_mc1")) {
            Table parquet = TableReader.read(FlinkFiles.local(SAMPLE_DATA.resolve(task).resolve(
                    task.equals("arc_easy") ? "test.parquet" : "validation.parquet")));
            Path jsonl = dir.resolve(task + ".jsonl");
            StringBuilder lines = new StringBuilder();
            for (Map<String, Object> row : parquet.rows()) {
                lines.append(JSON.writeValueAsString(row)).append('\n');
            }
            Files.writeString(jsonl, lines);

            assertThat(TableReader.read(FlinkFiles.local(jsonl)).rows()).as(task).isEqualTo(parquet.rows());
            String struct = task.equals("arc_easy") ? "choices" : "mc1_targets";
            for (Map<String, Object> row : parquet.rows()) {
                assertThat(row.get(struct)).as(task).isInstanceOf(Map.class);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> targets = (Map<String, Object>) TableReader.read(FlinkFiles.local(SAMPLE_DATA.resolve("truthfulqa_mc1/validation.parquet")))
                .rows().get(0).get("mc1_targets");
        assertThat(targets.keySet()).containsExactly("choices", "labels");
        // int32 in the file, Long as every whole number of a Table
        assertThat((List<?>) targets.get("labels")).allMatch(label -> label instanceof Long);
    }

    @Test
    void aStructInACsvCellStaysTextWhichJsonObjectReadsAsAJsonlLineReadsIt() throws Exception {
        String struct = "{\"text\": [\"a ruler\", \"a scale\"], \"label\": [\"A\", \"B\"], \"n\": 2}";
        Path csv = dir.resolve("q.csv");
        Files.writeString(csv, "question,choices\n\"Which?\",\"" + struct.replace("\"", "\"\"") + "\"\n");
        Path jsonl = dir.resolve("q.jsonl");
        Files.writeString(jsonl, "{\"question\": \"Which?\", \"choices\": " + struct + "}\n");

        Object cell = TableReader.read(FlinkFiles.local(csv)).rows().get(0).get("choices");
        assertThat(cell).isEqualTo(struct);
        Object object = TableReader.read(FlinkFiles.local(jsonl)).rows().get(0).get("choices");
        assertThat(TableReader.jsonObject((String) cell)).isEqualTo(object)
                .containsExactly(Map.entry("text", List.of("a ruler", "a scale")),
                        Map.entry("label", List.of("A", "B")), Map.entry("n", 2L));
        assertThatThrownBy(() -> TableReader.jsonObject("[1]")).hasMessage("not a JSON object");
    }

    @Test
    void aFileNamedParquetThatIsNotParquetIsRefusedNamingTheFile() throws Exception {
        Path file = dir.resolve("questions.parquet");
        Files.writeString(file, "question,choices\n");
        assertThatThrownBy(() -> TableReader.read(FlinkFiles.local(file)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot read " + file + ": ");
    }
}
