package io.friendliflink.job.eval;

import io.friendliflink.job.eval.Preset.Reading;
import io.friendliflink.job.eval.Task.Sampling;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The multiple-choice tasks besides MMLU, each reproducing one lm-evaluation-harness task definition
 * ({@code lm_eval/tasks/...}, read at {@value Task#HARNESS}) over its dataset's Parquet layout as published
 * on the Hugging Face hub. Jinja's {@code {{x}}} is the column's text as is; Python's {@code strip},
 * {@code lstrip}, {@code capitalize} and {@code list.index} keep their Python meaning ({@link PythonText}).
 */
final class HarnessTasks {
    private static final List<String> ACC = List.of("acc");
    private static final List<String> ACC_AND_NORM = List.of("acc", "acc_norm");
    /** Python's {@code re} {@code .} stops only at {@code \n}: Java's needs UNIX_LINES for that. */
    private static final Pattern BRACKETS = Pattern.compile("\\[.*?\\]", Pattern.UNIX_LINES);

    /**
     * {@code lm_eval/tasks/arc/arc_easy.yaml}, over {@code allenai/ai2_arc}: {@code id}, {@code question},
     * {@code choices: struct<text: list<string>, label: list<string>>}, {@code answerKey}. Text
     * {@code "Question: {{question}}\nAnswer:"}, choices {@code choices.text}, answer
     * {@code choices.label.index(answerKey)}; examples from {@code train}.
     */
    private static final Preset ARC_EASY = new Preset("arc_easy", "lm_eval/tasks/arc/arc_easy.yaml", "1.0",
            "allenai/ai2_arc ARC-Easy", List.of("question", "choices", "answerKey"), ACC_AND_NORM, Sampling.SEEDED,
            row -> labelled(row, "Question: " + row.text("question") + "\nAnswer:", row.text("answerKey")));

    /** {@code lm_eval/tasks/arc/arc_challenge.yaml}: {@code arc_easy.yaml}, which it includes, over ARC-Challenge. */
    private static final Preset ARC_CHALLENGE = new Preset("arc_challenge", "lm_eval/tasks/arc/arc_challenge.yaml",
            "1.0", "allenai/ai2_arc ARC-Challenge", ARC_EASY.columns(), ACC_AND_NORM, Sampling.SEEDED,
            ARC_EASY.reader());

    /**
     * {@code lm_eval/tasks/hellaswag/hellaswag.yaml} with {@code process_docs} from
     * {@code lm_eval/tasks/hellaswag/utils.py}, over {@code Rowan/hellaswag}: {@code ind: int32},
     * {@code activity_label}, {@code ctx_a}, {@code ctx_b}, {@code ctx}, {@code endings: list<string>},
     * {@code source_id}, {@code split}, {@code split_type}, {@code label: string}. Text
     * {@code preprocess(activity_label + ": " + ctx_a + " " + ctx_b.capitalize())}, choices
     * {@code preprocess(ending)}, answer {@code int(label)}; no test split (its labels are empty), so the
     * questions are {@code validation} and the examples {@code train}, drawn with the question left out.
     */
    private static final Preset HELLASWAG = new Preset("hellaswag",
            "lm_eval/tasks/hellaswag/hellaswag.yaml + utils.py", "1.0", "Rowan/hellaswag",
            List.of("activity_label", "ctx_a", "ctx_b", "endings", "label"), ACC_AND_NORM,
            Sampling.SEEDED_WITHOUT_QUESTION, HarnessTasks::hellaswag);

    /**
     * {@code lm_eval/tasks/piqa/piqa.yaml}, over the PIQA layout ({@code ybisk/piqa}; the harness now reads
     * the copy {@code baber/piqa}, same columns): {@code goal}, {@code sol1}, {@code sol2},
     * {@code label: int64}. Text {@code "Question: {{goal}}\nAnswer:"}, choices {@code [sol1, sol2]},
     * answer {@code label}; no test split, so examples from {@code train} with the question left out.
     */
    private static final Preset PIQA = new Preset("piqa", "lm_eval/tasks/piqa/piqa.yaml", "1.0", "ybisk/piqa",
            List.of("goal", "sol1", "sol2", "label"), ACC_AND_NORM, Sampling.SEEDED_WITHOUT_QUESTION,
            HarnessTasks::piqa);

    /**
     * {@code lm_eval/tasks/openbookqa/openbookqa.yaml}, over {@code allenai/openbookqa} {@code main}:
     * {@code id}, {@code question_stem}, {@code choices: struct<text: list<string>, label: list<string>>},
     * {@code answerKey}. Text {@code question_stem} as is, choices {@code choices.text}, answer
     * {@code choices.label.index(answerKey.lstrip())}; examples from {@code train}.
     */
    private static final Preset OPENBOOKQA = new Preset("openbookqa", "lm_eval/tasks/openbookqa/openbookqa.yaml",
            "1.0", "allenai/openbookqa main", List.of("question_stem", "choices", "answerKey"), ACC_AND_NORM,
            Sampling.SEEDED,
            row -> labelled(row, row.text("question_stem"), PythonText.lstrip(row.text("answerKey"))));

    /** The six fixed Q/A pairs that begin every truthfulqa_mc1 prompt. */
    private static final String QA_PROMPT = """
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

    /**
     * {@code lm_eval/tasks/truthfulqa/truthfulqa_mc1.yaml}, over {@code truthfulqa/truthful_qa}
     * {@code multiple_choice}: {@code question}, {@code mc1_targets: struct<choices: list<string>,
     * labels: list<int32>>}, {@code mc2_targets}. Text: six fixed Q/A pairs, then
     * {@code "\n\nQ: " + question + "\nA:"}; choices {@code mc1_targets.choices}; the answer is always
     * choice 0 ({@code doc_to_target: 0}); {@code num_fewshot: 0}, which the harness never overrides.
     */
    private static final Preset TRUTHFULQA_MC1 = new Preset("truthfulqa_mc1",
            "lm_eval/tasks/truthfulqa/truthfulqa_mc1.yaml", "2.0", "truthfulqa/truthful_qa multiple_choice",
            List.of("question", "mc1_targets"), ACC, Sampling.ZERO_SHOT,
            row -> Reading.ofText(QA_PROMPT + "\n\nQ: " + row.text("question") + "\nA:",
                    row.struct("mc1_targets").choices("choices"), 0));

    /**
     * {@code lm_eval/tasks/winogrande/default.yaml} with {@code preprocess_winogrande.py}, over
     * {@code allenai/winogrande} ({@code winogrande_xl}): {@code sentence}, {@code option1},
     * {@code option2}, {@code answer: string}. One context per option, {@code sentence[:i] + option} where
     * {@code i} is the position of {@code _}; the continuation scored after each is
     * {@code sentence[i + 1:].strip()}; the answer is {@code {"1": 0, "2": 1}[answer]}. No test split in the
     * task, so examples from {@code train} with the question left out; an example is the right option's
     * context, {@code " "} and the continuation.
     */
    private static final Preset WINOGRANDE = new Preset("winogrande",
            "lm_eval/tasks/winogrande/default.yaml + preprocess_winogrande.py", "1.0",
            "allenai/winogrande winogrande_xl", List.of("sentence", "option1", "option2", "answer"), ACC,
            Sampling.SEEDED_WITHOUT_QUESTION, HarnessTasks::winogrande);

    private static final List<Preset> PRESETS = List.of(ARC_EASY, ARC_CHALLENGE, HELLASWAG, PIQA, OPENBOOKQA,
            TRUTHFULQA_MC1, WINOGRANDE);

    /** The tasks by name, MMLU first; MMLU itself needs the run's settings ({@link MmluTask}). */
    static final List<String> NAMES = Stream.concat(Stream.of("mmlu"), PRESETS.stream().map(Preset::name)).toList();

    private HarnessTasks() {}

    /** The task named {@code name} other than {@code mmlu}, or {@code null}. */
    static Preset named(String name) {
        for (Preset preset : PRESETS) {
            if (preset.name().equals(name)) {
                return preset;
            }
        }
        return null;
    }

    /**
     * After {@code text}, the choices of a {@code choices: struct<text, label>} column; the answer is the label
     * list's index of {@code answerKey}, as Python's {@code list.index}.
     */
    private static Reading labelled(Fields row, String text, String answerKey) {
        Fields choices = row.struct("choices");
        List<String> texts = choices.choices("text");
        List<String> labels = choices.texts("label");
        if (labels.size() != texts.size()) {
            throw row.refused("choices.label has " + labels.size() + " entries, choices.text " + texts.size());
        }
        int answer = labels.indexOf(answerKey);
        if (answer < 0) {
            throw row.refused("answerKey \"" + answerKey + "\" is not among choices.label " + labels);
        }
        return Reading.ofText(text, texts, answer);
    }

    /** hellaswag's {@code utils.preprocess}. */
    private static String preprocess(String text) {
        String t = PythonText.strip(text);
        t = t.replace(" [title]", ". ");
        t = BRACKETS.matcher(t).replaceAll("");
        return t.replace("  ", " ");
    }

    private static Reading hellaswag(Fields row) {
        String ctx = row.text("ctx_a") + " " + PythonText.capitalize(row.text("ctx_b"));
        String query = preprocess(row.text("activity_label") + ": " + ctx);
        List<String> choices = row.choices("endings").stream().map(HarnessTasks::preprocess).toList();
        String label = row.text("label");
        if (!label.matches("\\d{1,2}") || Integer.parseInt(label) >= choices.size()) {
            throw row.refused("label must be the index of the right ending (0 to " + (choices.size() - 1)
                    + "), was \"" + label + "\" (the test split has no labels; use validation)");
        }
        return Reading.ofText(query, choices, Integer.parseInt(label));
    }

    private static Reading piqa(Fields row) {
        long label = row.integer("label");
        if (label != 0 && label != 1) {
            throw row.refused("label must be 0 (sol1) or 1 (sol2), was " + label);
        }
        return Reading.ofText("Question: " + row.text("goal") + "\nAnswer:",
                List.of(row.text("sol1"), row.text("sol2")), (int) label);
    }

    private static Reading winogrande(Fields row) {
        String sentence = row.text("sentence");
        int blank = sentence.indexOf('_');
        if (blank < 0) {
            throw row.refused("sentence has no _ for the options to fill");
        }
        String answer = row.text("answer");
        if (!answer.equals("1") && !answer.equals("2")) {
            throw row.refused("answer must be \"1\" or \"2\", was \"" + answer + "\"");
        }
        String before = sentence.substring(0, blank);
        return Reading.ofContexts(List.of(before + row.text("option1"), before + row.text("option2")),
                answer.equals("1") ? 0 : 1, PythonText.strip(sentence.substring(blank + 1)));
    }
}
