package io.friendliflink.job.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.client.FriendliClient;
import io.friendliflink.job.rows.Table;
import io.friendliflink.job.rows.TableReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The evaluate mode before the run: questions read, prompts written, continuations tokenized, and one
 * request line per choice (or per question) written for the ordinary pipeline.
 *
 * <p>Custom ids are {@code <question id>#<choice index>} (per choice) or the question id (top logprobs),
 * the same on every run over the same file, so a rerun resumes. Requests go to {@code /v1/completions}:
 * per choice {@code {"prompt", "forced_output_tokens", "logprobs": 1, "max_tokens": <tokens>}}, per question
 * {@code {"prompt", "max_tokens": 1, "logprobs": <top-logprobs>}}; {@code defaults} fill in the rest.
 */
public final class EvaluationPlan {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final char CHOICE_SEPARATOR = '#';

    private final EvaluateSettings settings;
    private final List<Question> questions;
    private final List<List<String>> continuations;
    private final List<int[]> forcedTokenCounts;
    private final int requests;

    private EvaluationPlan(EvaluateSettings settings, List<Question> questions, List<List<String>> continuations,
            List<int[]> forcedTokenCounts, int requests) {
        this.settings = settings;
        this.questions = questions;
        this.continuations = continuations;
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
        Table table = TableReader.read(settings.input());
        List<Question> questions = Questions.from(table, settings.idColumn());
        if (questions.isEmpty()) {
            throw new IllegalArgumentException(settings.input() + " holds no questions");
        }
        List<Question> fewShot = settings.fewShot() == null ? List.of()
                : Questions.from(TableReader.read(settings.fewShot()), null);
        Prompts prompts = new Prompts(settings, fewShot, table.columns());
        List<List<String>> continuations = new ArrayList<>(questions.size());
        Set<String> distinct = new LinkedHashSet<>();
        for (Question q : questions) {
            List<String> c = prompts.continuations(q);
            continuations.add(c);
            distinct.addAll(c);
        }
        TokenCache tokens = new TokenCache(client, settings.model());
        if (settings.method() == EvaluateSettings.Method.PER_CHOICE) {
            tokens.load(distinct);
        }
        Files.createDirectories(requestFile.toAbsolutePath().getParent());
        Path tmp = requestFile.resolveSibling("." + requestFile.getFileName() + ".tmp");
        int requests = 0;
        List<int[]> counts = new ArrayList<>(questions.size());
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (int i = 0; i < questions.size(); i++) {
                Question q = questions.get(i);
                String prompt = prompts.prompt(q);
                if (settings.method() == EvaluateSettings.Method.PER_CHOICE) {
                    List<String> c = continuations.get(i);
                    int[] count = new int[c.size()];
                    counts.add(count);
                    for (int choice = 0; choice < c.size(); choice++) {
                        int[] forced = tokens.tokens(c.get(choice));
                        count[choice] = forced.length;
                        ObjectNode body = JSON.createObjectNode();
                        body.put("model", settings.model());
                        body.put("prompt", prompt);
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
                    body.put("prompt", prompt);
                    body.put("max_tokens", 1);
                    body.put("logprobs", settings.topLogprobs());
                    write(out, q.id(), body);
                    requests++;
                }
            }
        }
        Files.move(tmp, requestFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new EvaluationPlan(settings, List.copyOf(questions), List.copyOf(continuations), counts, requests);
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

    public List<Question> questions() {
        return questions;
    }

    /** The continuations of question {@code i}, by choice. */
    public List<String> continuations(int i) {
        return continuations.get(i);
    }

    /** The number of forced tokens of each choice of question {@code i} (per-choice method). */
    int[] forcedTokenCounts(int i) {
        return forcedTokenCounts.get(i);
    }

    public int requests() {
        return requests;
    }
}
