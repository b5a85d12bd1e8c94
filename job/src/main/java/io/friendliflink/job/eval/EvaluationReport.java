package io.friendliflink.job.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.rows.ParquetRows;
import io.friendliflink.sink.ParquetCompression;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.fs.Path;

/**
 * The evaluation's outputs under {@code <output>/evaluation/}: {@code questions.parquet} (one row per
 * question) and {@code report.json} (the metrics overall and per subject), plus the table printed at the end.
 *
 * <p>The report names the task, its prompt version, {@code k} and the model, so two runs can be compared.
 * {@code acc}, {@code acc_norm} and {@code acc_bytes} with their standard errors are the harness's
 * ({@link Metrics}) over the scored questions of each subject; failed questions are counted apart and are in
 * neither the numerator nor the denominator, so a failure never reads as a wrong answer. A task without
 * subjects has one, named after the task. Overall is the subjects' size-weighted mean (which is the mean over
 * all scored questions) with the pooled standard error, as the harness reports the {@code mmlu} group; with
 * one subject it is that subject's numbers.
 */
public final class EvaluationReport {
    public static final String DIR = "evaluation";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static final Schema QUESTION = new Schema.Parser().parse("""
            {"type": "record", "name": "EvaluatedQuestion", "namespace": "io.friendliflink.evaluation", "fields": [
              {"name": "id", "type": "string"},
              {"name": "subject", "type": "string"},
              {"name": "question", "type": ["null", "string"], "default": null},
              {"name": "choices", "type": ["null", {"type": "array", "items": "string"}], "default": null},
              {"name": "answer", "type": "int"},
              {"name": "scores", "type": ["null", {"type": "array", "items": ["null", "double"]}], "default": null},
              {"name": "scores_norm", "type": ["null", {"type": "array", "items": ["null", "double"]}], "default": null},
              {"name": "scores_bytes", "type": ["null", {"type": "array", "items": ["null", "double"]}], "default": null},
              {"name": "prediction", "type": ["null", "int"], "default": null},
              {"name": "prediction_norm", "type": ["null", "int"], "default": null},
              {"name": "prediction_bytes", "type": ["null", "int"], "default": null},
              {"name": "correct", "type": ["null", "boolean"], "default": null},
              {"name": "correct_norm", "type": ["null", "boolean"], "default": null},
              {"name": "correct_bytes", "type": ["null", "boolean"], "default": null},
              {"name": "failed", "type": "boolean"},
              {"name": "error", "type": ["null", "string"], "default": null},
              {"name": "missing_letters", "type": {"type": "array", "items": "string"}}
            ]}""");

    /** One metric of a group: its value and standard error, {@code null} when not defined. */
    public record Metric(Double value, Double stderr) {}

    /** The numbers of one group of questions (a subject, or all). */
    public record Tally(long questions, long scored, long failed, long withMissing, Metric acc, Metric accNorm,
            Metric accBytes) {}

    private final EvaluateSettings settings;
    private final Task task;
    private final List<QuestionScore> scores;
    private final Map<String, Tally> bySubject = new TreeMap<>();
    private final Tally overall;
    /** The questions asked, by id, for their text and choices in {@code questions.parquet}. */
    private final Map<String, Question> questions;

    public EvaluationReport(EvaluateSettings settings, List<QuestionScore> scores) {
        this(settings, scores, List.of());
    }

    public EvaluationReport(EvaluateSettings settings, List<QuestionScore> scores, List<Question> asked) {
        this.questions = new java.util.HashMap<>();
        for (Question q : asked) {
            questions.put(q.id(), q);
        }
        this.settings = settings;
        this.task = Task.of(settings);
        this.scores = List.copyOf(scores);
        Map<String, List<QuestionScore>> grouped = new TreeMap<>();
        for (QuestionScore s : scores) {
            grouped.computeIfAbsent(s.subject(), k -> new ArrayList<>()).add(s);
        }
        grouped.forEach((subject, list) -> bySubject.put(subject, subject(list)));
        this.overall = bySubject.size() == 1 ? bySubject.values().iterator().next() : overall(scores, bySubject);
    }

    private static Tally subject(List<QuestionScore> list) {
        List<QuestionScore> scored = list.stream().filter(s -> !s.failed()).toList();
        long withMissing = scored.stream().filter(s -> !s.missing().isEmpty()).count();
        return new Tally(list.size(), scored.size(), list.size() - scored.size(), withMissing,
                metric(scored, QuestionScore::correct), metric(scored, QuestionScore::correctNorm),
                metric(scored, QuestionScore::correctBytes));
    }

    private static Metric metric(List<QuestionScore> scored, Predicate<QuestionScore> right) {
        if (scored.isEmpty()) {
            return new Metric(null, null);
        }
        double[] values = new double[scored.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = right.test(scored.get(i)) ? 1.0 : 0.0;
        }
        return new Metric(Metrics.mean(values), Metrics.meanStderr(values));
    }

    /** The group over the subjects that have scored questions: weighted mean, pooled stderr. */
    private static Tally overall(List<QuestionScore> all, Map<String, Tally> bySubject) {
        List<Tally> parts = bySubject.values().stream().filter(t -> t.scored() > 0).toList();
        long scored = parts.stream().mapToLong(Tally::scored).sum();
        long withMissing = bySubject.values().stream().mapToLong(Tally::withMissing).sum();
        return new Tally(all.size(), scored, all.size() - scored, withMissing,
                group(parts, Tally::acc), group(parts, Tally::accNorm), group(parts, Tally::accBytes));
    }

    private static Metric group(List<Tally> parts, java.util.function.Function<Tally, Metric> metric) {
        if (parts.isEmpty()) {
            return new Metric(null, null);
        }
        List<Double> values = new ArrayList<>();
        List<Double> stderrs = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (Tally t : parts) {
            values.add(metric.apply(t).value());
            stderrs.add(metric.apply(t).stderr());
            sizes.add(t.scored());
        }
        return new Metric(Metrics.weightedMean(values, sizes), Metrics.pooledStderr(stderrs, sizes));
    }

    public Tally overall() {
        return overall;
    }

    public Map<String, Tally> bySubject() {
        return bySubject;
    }

    /** The question as the dataset words it: its {@code question} (or {@code sentence}) column, else the context. */
    private static String questionText(Question q) {
        for (String column : List.of("question", "sentence")) {
            if (q.row() != null && q.row().get(column) instanceof String text) {
                return text;
            }
        }
        return q.text() != null ? q.text() : q.target();
    }

    /** The choices as the dataset words them: its {@code choices} column when a list of texts, else the task's. */
    private static List<String> choiceTexts(Question q) {
        if (q.row() != null && q.row().get("choices") instanceof List<?> list && !list.isEmpty()
                && list.stream().allMatch(c -> c instanceof String)) {
            return list.stream().map(String.class::cast).toList();
        }
        return q.choices();
    }

    /** Writes {@code questions.parquet} and {@code report.json} under {@code <output>/evaluation/}. */
    public void write(Path output, ParquetCompression compression) throws IOException {
        Path dir = FlinkFiles.child(output, DIR);
        List<GenericRecord> rows = new ArrayList<>(scores.size());
        for (QuestionScore s : scores) {
            GenericRecord r = new GenericData.Record(QUESTION);
            r.put("id", s.id());
            r.put("subject", s.subject());
            Question q = questions.get(s.id());
            r.put("question", q == null ? null : questionText(q));
            r.put("choices", q == null ? null : choiceTexts(q));
            r.put("answer", s.answer());
            r.put("scores", s.scores());
            r.put("scores_norm", s.normalizedScores());
            r.put("scores_bytes", s.byteScores());
            r.put("prediction", s.prediction());
            r.put("prediction_norm", s.predictionNorm());
            r.put("prediction_bytes", s.predictionBytes());
            r.put("correct", s.failed() ? null : s.correct());
            r.put("correct_norm", s.failed() ? null : s.correctNorm());
            r.put("correct_bytes", s.failed() ? null : s.correctBytes());
            r.put("failed", s.failed());
            r.put("error", s.error());
            r.put("missing_letters", s.missing());
            rows.add(r);
        }
        ParquetRows.write(FlinkFiles.child(dir, "questions.parquet"), QUESTION, rows, compression);
        FlinkFiles.write(FlinkFiles.child(dir, "report.json"), out -> JSON.writeValue(out, toJson()));
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("task", task.name());
        root.put("prompt_version", task.promptVersion());
        root.put("k", settings.fewShotK());
        root.put("model", settings.model());
        if (settings.fewShotK() > 0 && task.sampling().seeded()) {
            root.put("few_shot_seed", settings.fewShotSeed());
        }
        root.put("method", settings.method().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (task instanceof MmluTask) {
            root.put("continuation", settings.continuation().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        ObjectNode harness = root.putObject("harness");
        harness.put("source", Task.HARNESS);
        harness.put("task_file", task.harnessFile());
        harness.put("task_version", task.version());
        harness.put("dataset", task.dataset());
        harness.set("metrics", JSON.valueToTree(task.harnessMetrics()));
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
        put(n, "acc", t.acc());
        put(n, "acc_norm", t.accNorm());
        put(n, "acc_bytes", t.accBytes());
        if (settings.method() == EvaluateSettings.Method.TOP_LOGPROBS) {
            n.put("with_missing_letters", t.withMissing());
        }
        return n;
    }

    private static void put(ObjectNode n, String name, Metric m) {
        if (m.value() == null) {
            n.putNull(name);
        } else {
            n.put(name, m.value());
        }
        if (m.stderr() == null) {
            n.putNull(name + "_stderr");
        } else {
            n.put(name + "_stderr", m.stderr());
        }
    }

    /** The table printed at the end of a run: what was run, one line per subject, then the total. */
    public String table() {
        int width = Math.max("subject".length(), "all".length());
        for (String s : bySubject.keySet()) {
            width = Math.max(width, s.length());
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "task %s, prompt %s, k=%d, model %s%n", task.name(),
                task.promptVersion(), settings.fewShotK(), settings.model()));
        String format = "%-" + width + "s  %9s  %6s  %6s  %10s  %8s  %15s  %9s%n";
        out.append(String.format(Locale.ROOT, format, "subject", "questions", "failed", "acc", "acc_stderr",
                "acc_norm", "acc_norm_stderr", "acc_bytes"));
        bySubject.forEach((name, t) -> out.append(line(format, name, t)));
        out.append(line(format, "all", overall));
        return out.toString();
    }

    private static String line(String format, String name, Tally t) {
        return String.format(Locale.ROOT, format, name, t.questions(), t.failed(), number(t.acc().value()),
                number(t.acc().stderr()), number(t.accNorm().value()), number(t.accNorm().stderr()),
                number(t.accBytes().value()));
    }

    private static String number(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
