package io.friendliflink.job.eval;

import io.friendliflink.job.config.ConfigSection;
import io.friendliflink.job.config.JobOptions;
import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.rows.Template;
import java.util.List;
import org.apache.flink.core.fs.Path;

/**
 * The {@code evaluate:} section: multiple-choice evaluation as lm-evaluation-harness scores it.
 *
 * @param task the harness task whose prompt and dataset layout the input follows ({@code mmlu} by default)
 * @param input the questions: JSONL, CSV or Parquet (a file or a directory)
 * @param fewShot the few-shot examples (MMLU's {@code dev} split, the others' {@code train}), or {@code null}
 * @param fewShotK examples per question (0 without a few-shot file)
 * @param fewShotSeed the seed of the harness's few-shot sampler (its {@code fewshot_random_seed})
 * @param method one request per choice ({@code forced_output_tokens}) or one per question ({@code top_logprobs})
 * @param continuation what an MMLU choice's continuation is: {@code " A"}.. or {@code " " + choice text}
 * @param description MMLU's header before the examples; {@code {subject}} is the subject with spaces
 * @param template MMLU's question text; {@code null} for the harness's format
 * @param topLogprobs how many alternatives the top-logprobs method asks for
 * @param idColumn the column naming a question, or {@code null} for its row number
 * @param model the model to tokenize with and to send (from {@code defaults.model})
 */
public record EvaluateSettings(
        String task,
        Path input,
        Path fewShot,
        int fewShotK,
        long fewShotSeed,
        Method method,
        Continuation continuation,
        String description,
        String template,
        int topLogprobs,
        String idColumn,
        String model) {

    /** How a question is scored. */
    public enum Method { PER_CHOICE, TOP_LOGPROBS }

    /** What is scored after an MMLU prompt for each choice. */
    public enum Continuation { LETTERS, CHOICE_TEXT }

    public static final String MMLU_DESCRIPTION = MmluTask.DESCRIPTION;
    /** The harness's default {@code fewshot_random_seed} ({@code lm_eval/defaults.py}). */
    public static final long HARNESS_FEW_SHOT_SEED = 1234;

    public static EvaluateSettings from(ConfigSection s, String model) {
        String task = s.string(JobOptions.EVALUATE_TASK);
        if (!HarnessTasks.NAMES.contains(task)) {
            s.problem("task", "unknown task \"" + task + "\"; valid tasks are "
                    + String.join(", ", HarnessTasks.NAMES));
        }
        boolean mmlu = task.equals("mmlu");
        String input = s.requiredString(JobOptions.EVALUATE_INPUT, "the questions file or directory (.parquet, .jsonl or .csv)");
        ConfigSection f = s.section("few-shot");
        String fewShot = f.string(JobOptions.EVALUATE_FEW_SHOT_PATH);
        int k = f.intValue(JobOptions.EVALUATE_FEW_SHOT_K, 0, 100);
        long seed = f.longValue(JobOptions.EVALUATE_FEW_SHOT_SEED, 0, Long.MAX_VALUE);
        Method method = s.enumValue(JobOptions.EVALUATE_METHOD);
        Continuation continuation = s.enumValue(JobOptions.EVALUATE_CONTINUATION);
        String description = s.string(JobOptions.EVALUATE_DESCRIPTION, MMLU_DESCRIPTION);
        String template = s.string(JobOptions.EVALUATE_TEMPLATE);
        int top = s.intValue(JobOptions.EVALUATE_TOP_LOGPROBS, 1, 20);
        String idColumn = s.string(JobOptions.EVALUATE_ID_COLUMN);
        String inputMissing = input == null || input.isBlank() ? null : FlinkFiles.whyMissing(input);
        if (inputMissing != null) {
            s.problem("input", inputMissing);
        }
        String fewShotMissing = fewShot == null ? null : FlinkFiles.whyMissing(fewShot);
        if (fewShotMissing != null) {
            f.problem("path", fewShotMissing);
        }
        if (!mmlu) {
            for (String key : List.of("continuation", "description", "template")) {
                if (s.has(key)) {
                    s.problem(key, "applies only to task mmlu; " + task + "'s prompt and choices are the harness's");
                }
            }
            if (method == Method.TOP_LOGPROBS) {
                s.problem("method", "top-logprobs reads MMLU's answer letters; " + task + " needs per-choice");
            }
        }
        Preset preset = HarnessTasks.named(task);
        if (preset != null && preset.sampling() == Task.Sampling.ZERO_SHOT && fewShot != null) {
            f.problem("path", task + " is zero-shot in the harness (num_fewshot: 0, which --num_fewshot does not"
                    + " override); remove it (evaluate.few-shot.path=null)");
        }
        if (method == Method.TOP_LOGPROBS && continuation == Continuation.CHOICE_TEXT) {
            s.problem("continuation", "choice-text needs method: per-choice; top-logprobs reads single letters");
        }
        if (model == null || model.isBlank()) {
            s.problem("model", "evaluation needs defaults.model: the model to tokenize the continuations with");
        }
        for (String key : List.of("description", "template")) {
            String text = key.equals("description") ? description : template;
            if (text != null) {
                try {
                    Template.parse(text);
                } catch (IllegalArgumentException e) {
                    s.problem(key, e.getMessage());
                }
            }
        }
        return new EvaluateSettings(task, input == null ? null : FlinkFiles.of(input),
                fewShot == null ? null : FlinkFiles.of(fewShot), fewShot == null ? 0 : k, seed, method, continuation,
                description, template, top, idColumn, model);
    }
}
