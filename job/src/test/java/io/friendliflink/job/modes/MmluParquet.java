package io.friendliflink.job.modes;

import io.friendliflink.job.rows.ParquetRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes Parquet files in the layout of the public {@code cais/mmlu} dataset with parquet-avro: nullable
 * columns {@code question: string}, {@code subject: string}, {@code choices: list<string>} (three-level
 * {@code list/element}, as pyarrow writes it), {@code answer: int64}.
 *
 * <p>{@code main} rewrites {@code sample-data/mmlu/}: run it from the repository root with the test class path.
 */
public final class MmluParquet {
    static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "schema", "fields": [
              {"name": "question", "type": ["null", "string"], "default": null},
              {"name": "subject", "type": ["null", "string"], "default": null},
              {"name": "choices", "type": ["null", {"type": "array", "items": ["null", "string"]}], "default": null},
              {"name": "answer", "type": ["null", "long"], "default": null}
            ]}""");

    /** One row of the dataset. */
    public record Row(String question, String subject, List<String> choices, long answer) {}

    private MmluParquet() {}

    public static void write(Path file, List<Row> rows) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                .withSchema(SCHEMA)
                .withDataModel(GenericData.get())
                .withConf(ParquetRows.listsAsReadersExpect())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .build()) {
            for (Row row : rows) {
                GenericRecord r = new GenericData.Record(SCHEMA);
                r.put("question", row.question());
                r.put("subject", row.subject());
                r.put("choices", new ArrayList<>(row.choices()));
                r.put("answer", row.answer());
                writer.write(r);
            }
        }
    }

    public static List<Row> testSplit() {
        return List.of(
                new Row("Which planet is closest to the Sun?", "astronomy",
                        List.of("Venus", "Mercury", "Mars", "Earth"), 1),
                new Row("What is the main gas in the atmosphere of Mars?", "astronomy",
                        List.of("Oxygen", "Nitrogen", "Carbon dioxide", "Argon"), 2),
                new Row("A light-year measures", "astronomy",
                        List.of("time", "brightness", "mass", "distance"), 3),
                new Row("Which star is the nearest to the Earth?", "astronomy",
                        List.of("The Sun", "Proxima Centauri", "Sirius", "Vega"), 0),
                new Row("What is 7 times 8?", "elementary_mathematics",
                        List.of("54", "56", "58", "64"), 1),
                new Row("What is the next prime after 7?", "elementary_mathematics",
                        List.of("9", "10", "11", "13"), 2),
                new Row("How many sides does a hexagon have?", "elementary_mathematics",
                        List.of("6", "5", "8", "7"), 0),
                new Row("What is one quarter of 100?", "elementary_mathematics",
                        List.of("20", "40", "50", "25"), 3),
                new Row("Which organelle makes most of a cell's ATP?", "college_biology",
                        List.of("Ribosome", "Nucleus", "Mitochondrion", "Golgi apparatus"), 2),
                new Row("DNA is copied in a process called", "college_biology",
                        List.of("replication", "translation", "transcription", "mutation"), 0),
                new Row("Which molecule carries amino acids to the ribosome?", "college_biology",
                        List.of("mRNA", "tRNA", "rRNA", "DNA"), 1),
                new Row("Plants take in which gas for photosynthesis?", "college_biology",
                        List.of("Oxygen", "Nitrogen", "Hydrogen", "Carbon dioxide"), 3));
    }

    public static List<Row> devSplit() {
        return List.of(
                new Row("Which planet is known as the Red Planet?", "astronomy",
                        List.of("Jupiter", "Mars", "Saturn", "Venus"), 1),
                new Row("What is the largest planet of the Solar System?", "astronomy",
                        List.of("Jupiter", "Neptune", "Earth", "Uranus"), 0),
                new Row("What is 12 divided by 4?", "elementary_mathematics",
                        List.of("2", "4", "3", "6"), 2),
                new Row("What is 9 plus 6?", "elementary_mathematics",
                        List.of("14", "16", "13", "15"), 3),
                new Row("Which part of the cell holds the DNA?", "college_biology",
                        List.of("Nucleus", "Membrane", "Cytoplasm", "Vacuole"), 0),
                new Row("Proteins are built from", "college_biology",
                        List.of("sugars", "amino acids", "lipids", "nucleotides"), 1));
    }

    public static void main(String[] args) throws IOException {
        write(Path.of("sample-data/mmlu/test.parquet"), testSplit());
        write(Path.of("sample-data/mmlu/dev.parquet"), devSplit());
    }
}
