package io.friendliflink.job.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.job.rows.ParquetRows;
import io.friendliflink.sink.ParquetCompression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The evaluation's outputs under {@code <output>/evaluation/}: {@code questions.parquet} (one row per
 * question) and {@code report.json} (accuracy overall and per subject), plus the table printed at the end.
 *
 * <p>{@code acc} and {@code acc_norm} are over the scored questions; failed questions are counted apart and
 * are in neither the numerator nor the denominator, so a failure never reads as a wrong answer.
 */
public final class EvaluationReport {
    public static final String DIR = "evaluation";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static final Schema QUESTION = new Schema.Parser().parse("""
            {"type": "record", "name": "EvaluatedQuestion", "namespace": "io.friendliflink.evaluation", "fields": [
              {"name": "id", "type": "string"},
              {"name": "subject", "type": "string"},
              {"name": "answer", "type": "int"},
              {"name": "scores", "type": ["null", {"type": "array", "items": ["null", "double"]}], "default": null},
              {"name": "scores_norm", "type": ["null", {"type": "array", "items": ["null", "double"]}], "default": null},
              {"name": "prediction", "type": ["null", "int"], "default": null},
              {"name": "prediction_norm", "type": ["null", "int"], "default": null},
              {"name": "correct", "type": ["null", "boolean"], "default": null},
              {"name": "correct_norm", "type": ["null", "boolean"], "default": null},
              {"name": "failed", "type": "boolean"},
              {"name": "error", "type": ["null", "string"], "default": null},
              {"name": "missing_letters", "type": {"type": "array", "items": "string"}}
            ]}""");

    /** Counts of one group of questions. */
    public record Tally(long questions, long scored, long failed, long correct, long correctNorm, long withMissing) {
        Tally plus(QuestionScore s) {
            return new Tally(questions + 1, scored + (s.failed() ? 0 : 1), failed + (s.failed() ? 1 : 0),
                    correct + (s.correct() ? 1 : 0), correctNorm + (s.correctNorm() ? 1 : 0),
                    withMissing + (s.missing().isEmpty() || s.failed() ? 0 : 1));
        }

        /** {@code null} when no question was scored. */
        public Double acc() {
            return scored == 0 ? null : (double) correct / scored;
        }

        public Double accNorm() {
            return scored == 0 ? null : (double) correctNorm / scored;
        }
    }

    private static final Tally EMPTY = new Tally(0, 0, 0, 0, 0, 0);

    private final EvaluateSettings settings;
    private final List<QuestionScore> scores;
    private final Tally overall;
    private final Map<String, Tally> bySubject = new TreeMap<>();

    public EvaluationReport(EvaluateSettings settings, List<QuestionScore> scores) {
        this.settings = settings;
        this.scores = List.copyOf(scores);
        Tally all = EMPTY;
        for (QuestionScore s : scores) {
            all = all.plus(s);
            bySubject.merge(s.subject(), EMPTY.plus(s), (a, b) -> new Tally(a.questions + b.questions,
                    a.scored + b.scored, a.failed + b.failed, a.correct + b.correct, a.correctNorm + b.correctNorm,
                    a.withMissing + b.withMissing));
        }
        this.overall = all;
    }

    public Tally overall() {
        return overall;
    }

    public Map<String, Tally> bySubject() {
        return bySubject;
    }

    /** Writes {@code questions.parquet} and {@code report.json} under {@code <output>/evaluation/}. */
    public void write(Path output, ParquetCompression compression) throws IOException {
        Path dir = output.resolve(DIR);
        List<GenericRecord> rows = new ArrayList<>(scores.size());
        for (QuestionScore s : scores) {
            GenericRecord r = new GenericData.Record(QUESTION);
            r.put("id", s.id());
            r.put("subject", s.subject());
            r.put("answer", s.answer());
            r.put("scores", s.scores());
            r.put("scores_norm", s.normalizedScores());
            r.put("prediction", s.prediction());
            r.put("prediction_norm", s.predictionNorm());
            r.put("correct", s.failed() ? null : s.correct());
            r.put("correct_norm", s.failed() ? null : s.correctNorm());
            r.put("failed", s.failed());
            r.put("error", s.error());
            r.put("missing_letters", s.missing());
            rows.add(r);
        }
        ParquetRows.write(dir.resolve("questions.parquet"), QUESTION, rows, compression);
        Path tmp = dir.resolve(".report.json.tmp");
        JSON.writeValue(tmp.toFile(), toJson());
        Files.move(tmp, dir.resolve("report.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("method", settings.method().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        root.put("continuation", settings.continuation().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        root.put("few_shot", settings.fewShotK());
        root.put("model", settings.model());
        root.set("overall", tallyJson(overall));
        ObjectNode subjects = root.putObject("subjects");
        bySubject.forEach((name, t) -> subjects.set(name, tallyJson(t)));
        return root;
    }

    private ObjectNode tallyJson(Tally t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("questions", t.questions());
        n.put("scored", t.scored());
        n.put("failed", t.failed());
        if (t.acc() == null) {
            n.putNull("acc");
            n.putNull("acc_norm");
        } else {
            n.put("acc", t.acc());
            n.put("acc_norm", t.accNorm());
        }
        if (settings.method() == EvaluateSettings.Method.TOP_LOGPROBS) {
            n.put("with_missing_letters", t.withMissing());
        }
        return n;
    }

    /** The table printed at the end of a run: one line per subject, then the total. */
    public String table() {
        int width = Math.max("subject".length(), "all".length());
        for (String s : bySubject.keySet()) {
            width = Math.max(width, s.length());
        }
        StringBuilder out = new StringBuilder();
        String format = "%-" + width + "s  %9s  %6s  %6s  %8s%n";
        out.append(String.format(Locale.ROOT, format, "subject", "questions", "failed", "acc", "acc_norm"));
        bySubject.forEach((name, t) -> out.append(line(format, name, t)));
        out.append(line(format, "all", overall));
        return out.toString();
    }

    private static String line(String format, String name, Tally t) {
        return String.format(Locale.ROOT, format, name, t.questions(), t.failed(),
                t.acc() == null ? "-" : String.format(Locale.ROOT, "%.4f", t.acc()),
                t.accNorm() == null ? "-" : String.format(Locale.ROOT, "%.4f", t.accNorm()));
    }
}
