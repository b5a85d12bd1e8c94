package io.friendliflink.job.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.client.FriendliClient;
import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.rows.ParquetRows;
import io.friendliflink.job.rows.Table;
import io.friendliflink.job.rows.TableReader;
import io.friendliflink.sink.ParquetSinks;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.core.fs.Path;

/**
 * The evaluate mode before the run: questions read, prompts written, continuations tokenized, and one
 * request line per choice (or per question) written for the ordinary pipeline.
 *
 * <p>Custom ids are {@code <question id>#<choice index>} (per choice) or the question id (top logprobs),
 * the same on every run over the same file, so a rerun resumes. Requests go to {@code /v1/completions}:
 * per choice {@code {"prompt", "forced_output_tokens", "logprobs": 1, "max_tokens": <tokens>}}, per question
 * {@code {"prompt", "max_tokens": 1, "logprobs": <top-logprobs>}}; {@code defaults} fill in the rest.
 * The prompts are rendered twice with the same few-shot seed: once to learn the continuations to
 * tokenize, once to write the lines (so no prompt is held in memory).
 *
 * <p>A rerun resumes only the same evaluation: when the output already holds results and the request lines
 * it was run with differ from these (another task, input, {@code k}, seed, model or tokenizer), the ids would
 * match requests they were not the answers to, so {@link #prepare} refuses.
 */
public final class EvaluationPlan {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final char CHOICE_SEPARATOR = '#';

    private final EvaluateSettings settings;
    private final Task task;
    private final List<Question> questions;
    private final List<int[]> forcedTokenCounts;
    private final int requests;

    private EvaluationPlan(EvaluateSettings settings, Task task, List<Question> questions,
            List<int[]> forcedTokenCounts, int requests) {
        this.settings = settings;
        this.task = task;
        this.questions = questions;
        this.forcedTokenCounts = forcedTokenCounts;
        this.requests = requests;
    }

    /**
     * Reads the questions, tokenizes through {@code client} and writes the request lines to {@code requestFile}.
     *
     * @throws IllegalArgumentException when the input does not hold valid questions (the message names the row)
     */
    public static EvaluationPlan prepare(EvaluateSettings settings, FriendliClient client, Path requestFile)
            throws IOException, InterruptedException {
        Task task = Task.of(settings);
        Table table = TableReader.read(settings.input());
        if (task instanceof MmluTask mmlu) {
            mmlu.checkTemplate(table.columns());
        }
        List<Question> questions = Questions.from(table, task, settings.idColumn());
        if (questions.isEmpty()) {
            throw new IllegalArgumentException(FlinkFiles.show(settings.input()) + " holds no questions");
        }
        List<Question> examples = settings.fewShot() == null ? List.of()
                : Questions.from(TableReader.read(settings.fewShot()), task, null);
        boolean perChoice = settings.method() == EvaluateSettings.Method.PER_CHOICE;
        TokenCache tokens = new TokenCache(client, settings.model());
        if (perChoice) {
            Prompts first = prompts(task, examples, settings);
            Set<String> distinct = new LinkedHashSet<>();
            for (Question q : questions) {
                for (Prompts.Request r : first.requests(q)) {
                    distinct.add(Prompts.split(r).continuation());
                }
            }
            tokens.load(distinct);
        }
        Prompts prompts = prompts(task, examples, settings);
        Path tmp = FlinkFiles.sibling(requestFile, "." + requestFile.getName() + ".tmp");
        int requests = 0;
        List<int[]> counts = new ArrayList<>(questions.size());
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(FlinkFiles.create(tmp), StandardCharsets.UTF_8))) {
            for (Question q : questions) {
                if (perChoice) {
                    List<Prompts.Request> choices = prompts.requests(q);
                    int[] count = new int[choices.size()];
                    counts.add(count);
                    for (int choice = 0; choice < choices.size(); choice++) {
                        Prompts.Request sent = Prompts.split(choices.get(choice));
                        int[] forced = tokens.tokens(sent.continuation());
                        count[choice] = forced.length;
                        ObjectNode body = JSON.createObjectNode();
                        body.put("model", settings.model());
                        body.put("prompt", sent.context());
                        ArrayNode ids = body.putArray("forced_output_tokens");
                        for (int t : forced) {
                            ids.add(t);
                        }
                        body.put("logprobs", 1);
                        body.put("max_tokens", forced.length);
                        write(out, q.id() + CHOICE_SEPARATOR + choice, body);
                        requests++;
                    }
                } else {
                    counts.add(new int[0]);
                    ObjectNode body = JSON.createObjectNode();
                    body.put("model", settings.model());
                    body.put("prompt", prompts.prompt(q));
                    body.put("max_tokens", 1);
                    body.put("logprobs", settings.topLogprobs());
                    write(out, q.id(), body);
                    requests++;
                }
            }
        }
        refuseAnotherEvaluationsOutput(tmp, requestFile);
        FlinkFiles.replace(tmp, requestFile);
        return new EvaluationPlan(settings, task, List.copyOf(questions), counts, requests);
    }

    /**
     * Refuses when the output holds results of other request lines (see the class comment); the output is the
     * request file's grandparent ({@code <output>/_requests/requests.jsonl}).
     */
    private static void refuseAnotherEvaluationsOutput(Path written, Path requestFile) throws IOException {
        if (!FlinkFiles.exists(requestFile) || FlinkFiles.sameContent(written, requestFile)) {
            return;
        }
        Path output = requestFile.getParent().getParent();
        if (ParquetRows.visibleFiles(FlinkFiles.child(output, ParquetSinks.RESULTS_DIR)).isEmpty()
                && ParquetRows.visibleFiles(FlinkFiles.child(output, ParquetSinks.ERRORS_DIR)).isEmpty()) {
            return;
        }
        FlinkFiles.delete(written);
        throw new IllegalArgumentException(FlinkFiles.show(output) + " holds the results of another evaluation (its request lines "
                + "differ: another task, input, few-shot file, k, seed or model); a rerun there would read those "
                + "results as this one's. Choose another output.path, or delete " + FlinkFiles.show(output));
    }

    /** A fresh sampler each time: the same seed draws the same examples for the same questions. */
    private static Prompts prompts(Task task, List<Question> examples, EvaluateSettings settings) {
        return new Prompts(task, new FewShotSampler(task, examples, settings.fewShotK(), settings.fewShotSeed()));
    }

    private static void write(BufferedWriter out, String customId, ObjectNode body) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("custom_id", customId);
        line.put("method", "POST");
        line.put("url", "/v1/completions");
        line.set("body", body);
        out.write(JSON.writeValueAsString(line));
        out.write('\n');
    }

    public EvaluateSettings settings() {
        return settings;
    }

    /** The harness task the questions follow. */
    Task task() {
        return task;
    }

    public List<Question> questions() {
        return questions;
    }

    /** The number of forced tokens of each choice of question {@code i} (per-choice method). */
    int[] forcedTokenCounts(int i) {
        return forcedTokenCounts.get(i);
    }

    public int requests() {
        return requests;
    }
}
