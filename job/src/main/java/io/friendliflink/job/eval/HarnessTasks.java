package io.friendliflink.job.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The multiple-choice tasks besides MMLU, each reproducing one lm-evaluation-harness task definition
 * ({@code lm_eval/tasks/...}, read at {@value Task#HARNESS}) over its dataset's Parquet layout as published
 * on the Hugging Face hub. Jinja's {@code {{x}}} is the column's text as is; Python's {@code strip},
 * {@code lstrip}, {@code capitalize} and {@code list.index} keep their Python meaning ({@link PythonText}).
 */
final class HarnessTasks {
    private HarnessTasks() {}

    /** The tasks by name, MMLU first; MMLU itself needs the run's settings ({@link MmluTask}). */
    static final List<String> NAMES = List.of("mmlu", "arc_easy", "arc_challenge", "hellaswag", "piqa", "openbookqa",
            "truthfulqa_mc1", "winogrande");

    /** The task named {@code name} other than {@code mmlu}, or {@code null}. */
    static Task named(String name) {
        return switch (name) {
            case "arc_easy" -> new Arc("arc_easy", "lm_eval/tasks/arc/arc_easy.yaml", "allenai/ai2_arc ARC-Easy");
            case "arc_challenge" -> new Arc("arc_challenge", "lm_eval/tasks/arc/arc_challenge.yaml",
                    "allenai/ai2_arc ARC-Challenge");
            case "hellaswag" -> new Hellaswag();
            case "piqa" -> new Piqa();
            case "openbookqa" -> new OpenBookQa();
            case "truthfulqa_mc1" -> new TruthfulQaMc1();
            case "winogrande" -> new Winogrande();
            default -> null;
        };
    }

    /** The label list's index of {@code key}, as Python's {@code list.index}. */
    private static int indexOf(List<String> labels, String key, String where) {
        int i = labels.indexOf(key);
        if (i < 0) {
            throw new IllegalArgumentException(where + ": answerKey \"" + key + "\" is not among choices.label "
                    + labels);
        }
        return i;
    }

    private static List<String> labelledChoices(Map<String, Object> choices, int[] answerOut, String key,
            String where) {
        List<String> text = Fields.choices(choices.get("text"), "choices.text", where);
        List<String> labels = Fields.texts(choices.get("label"), "choices.label", where);
        if (labels.size() != text.size()) {
            throw new IllegalArgumentException(where + ": choices.label has " + labels.size() + " entries, "
                    + "choices.text " + text.size());
        }
        answerOut[0] = indexOf(labels, key, where);
        return text;
    }

    /**
     * {@code lm_eval/tasks/arc/arc_easy.yaml} (and {@code arc_challenge.yaml}, which includes it), over
     * {@code allenai/ai2_arc}: {@code id}, {@code question}, {@code choices: struct<text: list<string>,
     * label: list<string>>}, {@code answerKey}. Text {@code "Question: {{question}}\nAnswer:"}, choices
     * {@code choices.text}, answer {@code choices.label.index(answerKey)}; examples from {@code train}.
     */
    private record Arc(String name, String harnessFile, String dataset) implements Task {
        @Override
        public String version() {
            return "1.0";
        }

        @Override
        public List<String> columns() {
            return List.of("question", "choices", "answerKey");
        }

        @Override
        public List<String> harnessMetrics() {
            return List.of("acc", "acc_norm");
        }

        @Override
        public Question question(String id, Map<String, Object> row, String where) {
            int[] answer = new int[1];
            List<String> choices = labelledChoices(Fields.struct(row, "choices", where), answer,
                    Fields.text(row, "answerKey", where), where);
            return Question.ofText(id, name, "Question: " + Fields.text(row, "question", where) + "\nAnswer:", choices,
                    answer[0], row);
        }
    }

    /**
     * {@code lm_eval/tasks/hellaswag/hellaswag.yaml} with {@code process_docs} from
     * {@code lm_eval/tasks/hellaswag/utils.py}, over {@code Rowan/hellaswag}: {@code ind: int32},
     * {@code activity_label}, {@code ctx_a}, {@code ctx_b}, {@code ctx}, {@code endings: list<string>},
     * {@code source_id}, {@code split}, {@code split_type}, {@code label: string}. Text
     * {@code preprocess(activity_label + ": " + ctx_a + " " + ctx_b.capitalize())}, choices
     * {@code preprocess(ending)}, answer {@code int(label)}; no test split (its labels are empty), so the
     * questions are {@code validation} and the examples {@code train}, drawn with the question left out.
     */
    private static final class Hellaswag implements Task {
        /** Python's {@code re} {@code .} stops only at {@code \n}: Java's needs UNIX_LINES for that. */
        private static final Pattern BRACKETS = Pattern.compile("\\[.*?\\]", Pattern.UNIX_LINES);

        /** {@code utils.preprocess}. */
        static String preprocess(String text) {
            String t = PythonText.strip(text);
            t = t.replace(" [title]", ". ");
            t = BRACKETS.matcher(t).replaceAll("");
            return t.replace("  ", " ");
        }

        @Override
        public String name() {
            return "hellaswag";
        }

        @Override
        public String version() {
            return "1.0";
        }

        @Override
        public String harnessFile() {
            return "lm_eval/tasks/hellaswag/hellaswag.yaml + utils.py";
        }

        @Override
        public String dataset() {
            return "Rowan/hellaswag";
        }

        @Override
        public List<String> columns() {
            return List.of("activity_label", "ctx_a", "ctx_b", "endings", "label");
        }

        @Override
        public List<String> harnessMetrics() {
            return List.of("acc", "acc_norm");
        }

        @Override
        public boolean dropsQuestionFromExamples() {
            return true;
        }

        @Override
        public Question question(String id, Map<String, Object> row, String where) {
            String ctx = Fields.text(row, "ctx_a", where) + " "
                    + PythonText.capitalize(Fields.text(row, "ctx_b", where));
            String query = preprocess(Fields.text(row, "activity_label", where) + ": " + ctx);
            List<String> choices = new ArrayList<>();
            for (String ending : Fields.choices(row.get("endings"), "endings", where)) {
                choices.add(preprocess(ending));
            }
            String label = Fields.text(row, "label", where);
            if (!label.matches("\\d{1,2}") || Integer.parseInt(label) >= choices.size()) {
                throw new IllegalArgumentException(where + ": label must be the index of the right ending (0 to "
                        + (choices.size() - 1) + "), was \"" + label + "\" (the test split has no labels; use"
                        + " validation)");
            }
            return Question.ofText(id, name(), query, choices, Integer.parseInt(label), row);
        }
    }

    /**
     * {@code lm_eval/tasks/piqa/piqa.yaml}, over the PIQA layout ({@code ybisk/piqa}; the harness now reads
     * the copy {@code baber/piqa}, same columns): {@code goal}, {@code sol1}, {@code sol2},
     * {@code label: int64}. Text {@code "Question: {{goal}}\nAnswer:"}, choices {@code [sol1, sol2]},
     * answer {@code label}; no test split, so examples from {@code train} with the question left out.
     */
    private static final class Piqa implements Task {
        @Override
        public String name() {
            return "piqa";
        }

        @Override
        public String version() {
            return "1.0";
        }

        @Override
        public String harnessFile() {
            return "lm_eval/tasks/piqa/piqa.yaml";
        }

        @Override
        public String dataset() {
            return "ybisk/piqa";
        }

        @Override
        public List<String> columns() {
            return List.of("goal", "sol1", "sol2", "label");
        }

        @Override
        public List<String> harnessMetrics() {
            return List.of("acc", "acc_norm");
        }

        @Override
        public boolean dropsQuestionFromExamples() {
            return true;
        }

        @Override
        public Question question(String id, Map<String, Object> row, String where) {
            long label = Fields.integer(row.get("label"), "label", where);
            if (label != 0 && label != 1) {
                throw new IllegalArgumentException(where + ": label must be 0 (sol1) or 1 (sol2), was " + label);
            }
            return Question.ofText(id, name(), "Question: " + Fields.text(row, "goal", where) + "\nAnswer:",
                    List.of(Fields.text(row, "sol1", where), Fields.text(row, "sol2", where)), (int) label, row);
        }
    }

    /**
     * {@code lm_eval/tasks/openbookqa/openbookqa.yaml}, over {@code allenai/openbookqa} {@code main}:
     * {@code id}, {@code question_stem}, {@code choices: struct<text: list<string>, label: list<string>>},
     * {@code answerKey}. Text {@code question_stem} as is, choices {@code choices.text}, answer
     * {@code choices.label.index(answerKey.lstrip())}; examples from {@code train}.
     */
    private static final class OpenBookQa implements Task {
        @Override
        public String name() {
            return "openbookqa";
        }

        @Override
        public String version() {
            return "1.0";
        }

        @Override
        public String harnessFile() {
            return "lm_eval/tasks/openbookqa/openbookqa.yaml";
        }

        @Override
        public String dataset() {
            return "allenai/openbookqa main";
        }

        @Override
        public List<String> columns() {
            return List.of("question_stem", "choices", "answerKey");
        }

        @Override
        public List<String> harnessMetrics() {
            return List.of("acc", "acc_norm");
        }

        @Override
        public Question question(String id, Map<String, Object> row, String where) {
            int[] answer = new int[1];
            List<String> choices = labelledChoices(Fields.struct(row, "choices", where), answer,
                    PythonText.lstrip(Fields.text(row, "answerKey", where)), where);
            return Question.ofText(id, name(), Fields.text(row, "question_stem", where), choices, answer[0], row);
        }
    }

    /**
     * {@code lm_eval/tasks/truthfulqa/truthfulqa_mc1.yaml}, over {@code truthfulqa/truthful_qa}
     * {@code multiple_choice}: {@code question}, {@code mc1_targets: struct<choices: list<string>,
     * labels: list<int32>>}, {@code mc2_targets}. Text: six fixed Q/A pairs, then
     * {@code "\n\nQ: " + question + "\nA:"}; choices {@code mc1_targets.choices}; the answer is always
     * choice 0 ({@code doc_to_target: 0}); {@code num_fewshot: 0}, which the harness never overrides.
     */
    private static final class TruthfulQaMc1 implements Task {
        static final String QA_PROMPT = """
                Q: What is human life expectancy in the United States?
                A: Human life expectancy in the United States is 78 years.

                Q: Who was president of the United States in 1955?
                A: Dwight D. Eisenhower was president of the United States in 1955.

                Q: Which party did he belong to?
                A: He belonged to the Republican Party.

                Q: What is the square root of banana?
                A: I have no comment.

                Q: How does a telescope work?
                A: Telescopes use lenses or mirrors to focus light and make objects appear closer.

                Q: Where were the 1992 Olympics held?
                A: The 1992 Olympics were held in Barcelona, Spain.""";

        @Override
        public String name() {
            return "truthfulqa_mc1";
        }

        @Override
        public String version() {
            return "2.0";
        }

        @Override
        public String harnessFile() {
            return "lm_eval/tasks/truthfulqa/truthfulqa_mc1.yaml";
        }

        @Override
        public String dataset() {
            return "truthfulqa/truthful_qa multiple_choice";
        }

        @Override
        public List<String> columns() {
            return List.of("question", "mc1_targets");
        }

        @Override
        public List<String> harnessMetrics() {
            return List.of("acc");
        }

        @Override
        public boolean zeroShotOnly() {
            return true;
        }

        @Override
        public Question question(String id, Map<String, Object> row, String where) {
            List<String> choices = Fields.choices(Fields.struct(row, "mc1_targets", where).get("choices"),
                    "mc1_targets.choices", where);
            return Question.ofText(id, name(), QA_PROMPT + "\n\nQ: " + Fields.text(row, "question", where) + "\nA:",
                    choices, 0, row);
        }
    }

    /**
     * {@code lm_eval/tasks/winogrande/default.yaml} with {@code preprocess_winogrande.py}, over
     * {@code allenai/winogrande} ({@code winogrande_xl}): {@code sentence}, {@code option1},
     * {@code option2}, {@code answer: string}. One context per option, {@code sentence[:i] + option} where
     * {@code i} is the position of {@code _}; the continuation scored after each is
     * {@code sentence[i + 1:].strip()}; the answer is {@code {"1": 0, "2": 1}[answer]}. No test split in the
     * task, so examples from {@code train} with the question left out; an example is the right option's
     * context, {@code " "} and the continuation.
     */
    private static final class Winogrande implements Task {
        @Override
        public String name() {
            return "winogrande";
        }

        @Override
        public String version() {
            return "1.0";
        }

        @Override
        public String harnessFile() {
            return "lm_eval/tasks/winogrande/default.yaml + preprocess_winogrande.py";
        }

        @Override
        public String dataset() {
            return "allenai/winogrande winogrande_xl";
        }

        @Override
        public List<String> columns() {
            return List.of("sentence", "option1", "option2", "answer");
        }

        @Override
        public List<String> harnessMetrics() {
            return List.of("acc");
        }

        @Override
        public boolean dropsQuestionFromExamples() {
            return true;
        }

        @Override
        public Question question(String id, Map<String, Object> row, String where) {
            String sentence = Fields.text(row, "sentence", where);
            int blank = sentence.indexOf('_');
            if (blank < 0) {
                throw new IllegalArgumentException(where + ": sentence has no _ for the options to fill");
            }
            String answer = Fields.text(row, "answer", where);
            if (!answer.equals("1") && !answer.equals("2")) {
                throw new IllegalArgumentException(where + ": answer must be \"1\" or \"2\", was \"" + answer + "\"");
            }
            String before = sentence.substring(0, blank);
            List<String> contexts = List.of(before + Fields.text(row, "option1", where),
                    before + Fields.text(row, "option2", where));
            return Question.ofContexts(id, name(), contexts, answer.equals("1") ? 0 : 1,
                    PythonText.strip(sentence.substring(blank + 1)), row);
        }
    }
}
