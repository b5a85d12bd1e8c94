package io.friendliflink.job.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.modes.MmluParquet;
import io.friendliflink.job.rows.TableReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code sample-data/<task>/} files: the columns and types of the dataset each preset reads,
 * as the Hugging Face hub publishes it (read by DuckDB, independently of parquet-avro), and exactly the rows
 * of {@link SampleDatasets} (so the files are what its {@code main} writes).
 */
class SampleDataTest {
    private static final Path REPOSITORY = Path.of("..");

    /** The layouts: column name and DuckDB type, in order. */
    private static final Map<String, List<String>> LAYOUTS = Map.of(
            "mmlu", List.of("question VARCHAR", "subject VARCHAR", "choices VARCHAR[]", "answer BIGINT"),
            "arc", List.of("id VARCHAR", "question VARCHAR", "choices STRUCT(\"text\" VARCHAR[], \"label\" VARCHAR[])",
                    "answerKey VARCHAR"),
            "hellaswag", List.of("ind INTEGER", "activity_label VARCHAR", "ctx_a VARCHAR", "ctx_b VARCHAR",
                    "ctx VARCHAR", "endings VARCHAR[]", "source_id VARCHAR", "split VARCHAR", "split_type VARCHAR",
                    "label VARCHAR"),
            "piqa", List.of("goal VARCHAR", "sol1 VARCHAR", "sol2 VARCHAR", "label BIGINT"),
            "openbookqa", List.of("id VARCHAR", "question_stem VARCHAR",
                    "choices STRUCT(\"text\" VARCHAR[], \"label\" VARCHAR[])", "answerKey VARCHAR"),
            "truthfulqa_mc1", List.of("question VARCHAR", "mc1_targets STRUCT(choices VARCHAR[], labels INTEGER[])",
                    "mc2_targets STRUCT(choices VARCHAR[], labels INTEGER[])"),
            "winogrande", List.of("sentence VARCHAR", "option1 VARCHAR", "option2 VARCHAR", "answer VARCHAR"));

    private static List<String> describe(Path file) throws Exception {
        List<String> columns = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
            while (rs.next()) {
                columns.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return columns;
    }

    @Test
    void everyPresetsSampleFilesHaveTheDatasetsColumnsAndTypes() throws Exception {
        for (SampleDatasets.SampleFile f : SampleDatasets.files()) {
            String layout = f.task().startsWith("arc_") ? "arc" : f.task();
            assertThat(describe(f.path(REPOSITORY))).as(f.task() + "/" + f.split()).isEqualTo(LAYOUTS.get(layout));
        }
        for (String split : List.of("test", "dev")) {
            assertThat(describe(REPOSITORY.resolve("sample-data/mmlu/" + split + ".parquet"))).isEqualTo(LAYOUTS.get("mmlu"));
        }
    }

    @Test
    void theCommittedFilesHoldTheGeneratorsRows() {
        for (SampleDatasets.SampleFile f : SampleDatasets.files()) {
            assertThat(TableReader.read(FlinkFiles.local(f.path(REPOSITORY))).rows()).as(f.task() + "/" + f.split())
                    .isEqualTo(f.rows());
        }
        assertThat(TableReader.read(FlinkFiles.local(REPOSITORY.resolve("sample-data/mmlu/test.parquet"))).rows())
                .isEqualTo(SampleDatasets.mmlu(MmluParquet.testSplit()));
    }

    @Test
    void everyPresetHasSampleQuestions() {
        List<String> withData = new ArrayList<>(SampleDatasets.files().stream().map(SampleDatasets.SampleFile::task)
                .distinct().toList());
        withData.add(0, "mmlu");
        assertThat(withData).containsExactlyElementsOf(HarnessTasks.NAMES);
    }
}
