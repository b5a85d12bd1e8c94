package io.friendliflink.job.eval;

import io.friendliflink.job.config.ConfigSection;
import io.friendliflink.job.rows.Template;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code evaluate:} section: multiple-choice evaluation as lm-evaluation-harness scores it.
 *
 * @param input the questions: JSONL, CSV or Parquet (a file or a directory)
 * @param fewShot the few-shot examples (MMLU's {@code dev} split), or {@code null}
 * @param fewShotK examples per question, taken in file order from the rows of the same subject
 * @param method one request per choice ({@code forced_output_tokens}) or one per question ({@code top_logprobs})
 * @param continuation what a choice's continuation is: {@code " A"}.. or {@code " " + choice text}
 * @param description the header before the examples; {@code {subject}} is the subject with spaces
 * @param template one question's text; {@code null} for the harness's MMLU format
 * @param topLogprobs how many alternatives the top-logprobs method asks for
 * @param idColumn the column naming a question, or {@code null} for its row number
 * @param model the model to tokenize with and to send (from {@code defaults.model})
 */
public record EvaluateSettings(
        Path input,
        Path fewShot,
        int fewShotK,
        Method method,
        Continuation continuation,
        String description,
        String template,
        int topLogprobs,
        String idColumn,
        String model) {

    /** How a question is scored. */
    public enum Method { PER_CHOICE, TOP_LOGPROBS }

    /** What is scored after the prompt for each choice. */
    public enum Continuation { LETTERS, CHOICE_TEXT }

    public static final String MMLU_DESCRIPTION =
            "The following are multiple choice questions (with answers) about {subject}.\n\n";

    public static EvaluateSettings from(ConfigSection s, String model) {
        String input = s.requiredString("input", "the questions file or directory (.jsonl, .csv or .parquet)");
        ConfigSection f = s.section("few-shot");
        String fewShot = f.string("path", null);
        int k = f.intValue("k", 5, 0, 100);
        Method method = s.enumValue("method", Method.class, Method.PER_CHOICE);
        Continuation continuation = s.enumValue("continuation", Continuation.class, Continuation.LETTERS);
        String description = s.string("description", MMLU_DESCRIPTION);
        String template = s.string("template", null);
        int top = s.intValue("top-logprobs", 20, 1, 20);
        String idColumn = s.string("id-column", null);
        if (input != null && !input.isBlank() && !Files.exists(Path.of(input))) {
            s.problem("input", "does not exist: " + Path.of(input).toAbsolutePath());
        }
        if (fewShot != null && !Files.exists(Path.of(fewShot))) {
            f.problem("path", "does not exist: " + Path.of(fewShot).toAbsolutePath());
        }
        if (method == Method.TOP_LOGPROBS && continuation == Continuation.CHOICE_TEXT) {
            s.problem("continuation", "choice-text needs method: per-choice; top-logprobs reads single letters");
        }
        if (model == null || model.isBlank()) {
            s.problem("model", "evaluation needs defaults.model: the model to tokenize the continuations with");
        }
        for (String text : new String[] {description, template}) {
            if (text != null) {
                try {
                    Template.parse(text);
                } catch (IllegalArgumentException e) {
                    s.problem(text == description ? "description" : "template", e.getMessage());
                }
            }
        }
        return new EvaluateSettings(input == null ? null : Path.of(input), fewShot == null ? null : Path.of(fewShot),
                fewShot == null ? 0 : k, method, continuation, description, template, top, idColumn, model);
    }
}
