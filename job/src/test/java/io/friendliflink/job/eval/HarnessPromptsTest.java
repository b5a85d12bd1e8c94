package io.friendliflink.job.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.job.modes.MmluParquet;
import io.friendliflink.job.rows.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each preset's prompts and continuations for a few sample rows, against the strings lm-evaluation-harness
 * builds for the same rows (read at {@value Task#HARNESS}). The expected strings are written out here from
 * the task definition named in each test, and {@code lm_eval/api/task.py}: {@code fewshot_context} /
 * {@code build_qa_turn} (description, then each example as context + target delimiter {@code " "} + answer +
 * few-shot delimiter {@code "\n\n"}, then the question's context) and {@code construct_requests}
 * ({@code (context, " " + choice)} per choice, or {@code (context_i, " " + target)} for one input per choice).
 * Examples drawn at random are those of {@code random.Random(1234).sample} (see {@link PythonRandomTest}).
 */
class HarnessPromptsTest {

    /** (context, continuation) per choice, per question. */
    private static List<List<List<String>>> render(Task task, List<Map<String, Object>> rows,
            List<Map<String, Object>> examples, int k) {
        List<Question> questions = Questions.from(table(rows), task, null);
        List<Question> pool = examples.isEmpty() ? List.of() : Questions.from(table(examples), task, null);
        Prompts prompts = new Prompts(task, new FewShotSampler(task, pool, k, 1234));
        List<List<List<String>>> out = new ArrayList<>();
        for (Question q : questions) {
            List<List<String>> pairs = new ArrayList<>();
            for (Prompts.Request r : prompts.requests(q)) {
                pairs.add(List.of(r.context(), r.continuation()));
            }
            out.add(pairs);
        }
        return out;
    }

    private static Table table(List<Map<String, Object>> rows) {
        List<String> columns = new ArrayList<>(rows.get(0).keySet());
        return new Table("sample", columns, rows);
    }

    private static List<List<String>> pairs(String context, String... continuations) {
        List<List<String>> out = new ArrayList<>();
        for (String c : continuations) {
            out.add(List.of(context, c));
        }
        return out;
    }

    private static List<Integer> answers(Task task, List<Map<String, Object>> rows) {
        return Questions.from(table(rows), task, null).stream().map(Question::answer).toList();
    }

    // ---- mmlu: lm_eval/tasks/mmlu/default/_default_template_yaml, descriptions from mmlu/_generate_configs.py ----

    @Test
    void mmluIsTheHarnessTemplateWithTheSubjectDescriptionAndTheFirstDevExamplesOfTheSubject() {
        Task mmlu = new MmluTask(MmluTask.DESCRIPTION, null, false);
        List<List<List<String>>> got = render(mmlu, SampleDatasets.mmlu(MmluParquet.testSplit()).subList(4, 6),
                SampleDatasets.mmlu(MmluParquet.devSplit()), 2);
        String context = "The following are multiple choice questions (with answers) about elementary mathematics.\n\n"
                + "What is 12 divided by 4?\nA. 2\nB. 4\nC. 3\nD. 6\nAnswer: C\n\n"
                + "What is 9 plus 6?\nA. 14\nB. 16\nC. 13\nD. 15\nAnswer: D\n\n"
                + "What is 7 times 8?\nA. 54\nB. 56\nC. 58\nD. 64\nAnswer:";
        assertThat(got.get(0)).isEqualTo(pairs(context, " A", " B", " C", " D"));
        assertThat(got.get(1).get(0).get(0)).endsWith("Answer: D\n\nWhat is the next prime after 7?\nA. 9\nB. 10\n"
                + "C. 11\nD. 13\nAnswer:");
    }

    @Test
    void mmluWithChoiceTextScoresTheChoicesAndTheExamplesAnswerWithTheirText() {
        Task mmlu = new MmluTask(MmluTask.DESCRIPTION, null, true);
        List<List<List<String>>> got = render(mmlu, SampleDatasets.mmlu(MmluParquet.testSplit()).subList(0, 1),
                SampleDatasets.mmlu(MmluParquet.devSplit()), 1);
        String context = "The following are multiple choice questions (with answers) about astronomy.\n\n"
                + "Which planet is known as the Red Planet?\nA. Jupiter\nB. Mars\nC. Saturn\nD. Venus\nAnswer: Mars\n\n"
                + "Which planet is closest to the Sun?\nA. Venus\nB. Mercury\nC. Mars\nD. Earth\nAnswer:";
        assertThat(got.get(0)).isEqualTo(pairs(context, " Venus", " Mercury", " Mars", " Earth"));
        assertThat(mmlu.promptVersion()).isEqualTo("mmlu@1.0+choice-text");
    }

    // ---- arc: lm_eval/tasks/arc/arc_easy.yaml, arc_challenge.yaml ----

    @Test
    void arcEasyIsQuestionAnswerWithTheChoiceTextsAndTheAnswerKeysIndexAmongTheLabels() {
        Task arc = HarnessTasks.named("arc_easy");
        List<Map<String, Object>> rows = SampleDatasets.arcEasyTest();
        List<List<List<String>>> got = render(arc, rows, List.of(), 0);
        assertThat(got.get(0)).isEqualTo(pairs("Question: Which tool is best for measuring the length of a pencil?"
                + "\nAnswer:", " a ruler", " a thermometer", " a balance", " a stopwatch"));
        assertThat(got.get(3)).isEqualTo(pairs("Question: A student drops a ball. Which force pulls the ball toward"
                + " the ground?\nAnswer:", " friction", " magnetism", " gravity"));
        // answerKey "4" among labels ["1", "2", "3", "4"]; "B" among five labels
        assertThat(answers(arc, rows)).containsExactly(0, 0, 1, 2, 3, 1);
    }

    @Test
    void arcEasyFewShotExamplesAreTheSeededDrawsFromTrain() {
        // random.Random(1234).sample(train, 2) -> rows 3 and 0 of train
        List<List<List<String>>> got = render(HarnessTasks.named("arc_easy"), SampleDatasets.arcEasyTest(),
                SampleDatasets.arcEasyTrain(), 2);
        assertThat(got.get(0)).isEqualTo(pairs("Question: Which season follows winter?\nAnswer: spring\n\n"
                + "Question: Which animal is a mammal?\nAnswer: a whale\n\n"
                + "Question: Which tool is best for measuring the length of a pencil?\nAnswer:",
                " a ruler", " a thermometer", " a balance", " a stopwatch"));
        // the second draw of the same generator: rows 0 and 3
        assertThat(got.get(1).get(0).get(0)).startsWith("Question: Which animal is a mammal?\nAnswer: a whale\n\n"
                + "Question: Which season follows winter?\nAnswer: spring\n\nQuestion: What do green plants");
    }

    @Test
    void arcChallengeHasArcEasysFormatAndNonAsciiChoicesStayAsTheyAre() {
        Task arc = HarnessTasks.named("arc_challenge");
        List<List<List<String>>> got = render(arc, SampleDatasets.arcChallengeTest(), List.of(), 0);
        assertThat(got.get(0)).isEqualTo(pairs("Question: Which unit is written with the symbol Ω?\nAnswer:",
                " ohm", " volt", " ampere", " watt"));
        assertThat(got.get(4)).isEqualTo(pairs("Question: Which Greek letter usually names wavelength?\nAnswer:",
                " λ", " μ", " Δ", " π"));
        assertThat(arc.promptVersion()).isEqualTo("arc_challenge@1.0");
    }

    // ---- hellaswag: lm_eval/tasks/hellaswag/hellaswag.yaml + utils.py (process_docs, preprocess) ----

    @Test
    void hellaswagJoinsActivityAndCapitalizedContextAndStripsWikiHowMarkup() {
        Task hellaswag = HarnessTasks.named("hellaswag");
        List<Map<String, Object>> rows = SampleDatasets.hellaswagValidation();
        List<List<List<String>>> got = render(hellaswag, rows, List.of(), 0);
        // ctx_a + " " + ctx_b.capitalize(): "he" -> "He"
        assertThat(got.get(0)).isEqualTo(pairs("Making a sandwich: A man lays two slices of bread on a cutting board. He",
                " spreads butter on each slice with a knife.", " jumps into a swimming pool.",
                " paints the board bright red.", " throws the bread at the camera."));
        // " [title]" -> ". ", other [..] removed, "  " -> " "; an ending starting "[title] " keeps its space
        assertThat(got.get(1)).isEqualTo(pairs("Home and Garden: How to repot a cactus. Wear thick gloves. Spines can"
                + " break off in your skin.",
                "  Pick a pot one size larger. A pot that is too big holds water too long.",
                "  Water the cactus every hour. Cacti love wet soil.",
                "  Paint the spines. Use bright colours.",
                "  Sing to the cactus. It will grow faster."));
        // "then they".capitalize() -> "Then they"
        assertThat(got.get(5).get(2)).isEqualTo(List.of("Kayaking: Two friends carry a kayak to the edge of a lake."
                + " Then they", " push off from the shore and paddle away."));
        assertThat(answers(hellaswag, rows)).containsExactly(0, 0, 0, 1, 1, 2);
    }

    @Test
    void hellaswagFewShotDrawsOneMoreAndKeepsTheFirstTwoBecauseItsFewShotSplitIsItsTestSplit() {
        // random.Random(1234).sample(train, 3) -> rows 3, 0, 4 of train; the first two are kept
        List<List<List<String>>> got = render(HarnessTasks.named("hellaswag"), SampleDatasets.hellaswagValidation(),
                SampleDatasets.hellaswagTrain(), 2);
        assertThat(got.get(0).get(0)).isEqualTo(List.of("Walking the dog: A man clips a leash to a dog's collar. The dog"
                + " wags its tail and pulls toward the door.\n\n"
                + "Baking cookies: A boy pours flour into a bowl. He stirs in sugar and eggs with a spoon.\n\n"
                + "Making a sandwich: A man lays two slices of bread on a cutting board. He",
                " spreads butter on each slice with a knife."));
    }

    @Test
    void hellaswagRefusesARowWithoutALabelNamingTheRow() {
        Map<String, Object> row = new LinkedHashMap<>(SampleDatasets.hellaswagValidation().get(0));
        row.put("label", "");
        assertThatThrownBy(() -> Questions.from(table(List.of(row)), HarnessTasks.named("hellaswag"), null))
                .hasMessageContaining("sample row 1: label must be the index of the right ending");
    }

    // ---- piqa: lm_eval/tasks/piqa/piqa.yaml ----

    @Test
    void piqaIsQuestionGoalAnswerWithTheTwoSolutions() {
        Task piqa = HarnessTasks.named("piqa");
        List<Map<String, Object>> rows = SampleDatasets.piqaValidation();
        List<List<List<String>>> got = render(piqa, rows, SampleDatasets.piqaTrain(), 2);
        // random.Random(1234).sample(train, 3) -> rows 3, 0, 2; the first two are kept
        assertThat(got.get(0)).isEqualTo(pairs("Question: How do you hang a picture straight?\nAnswer: Use a level"
                + " along the top of the frame.\n\nQuestion: To clean a greasy pan,\nAnswer: wash it with hot soapy"
                + " water.\n\nQuestion: How do you keep bread fresh for longer?\nAnswer:",
                " Store it in a sealed bag at room temperature.", " Leave it open on a sunny windowsill."));
        assertThat(render(piqa, rows, List.of(), 0).get(3)).isEqualTo(pairs("Question: To dry wet shoes faster,"
                + "\nAnswer:", " stuff them with newspaper.", " fill them with water."));
        assertThat(answers(piqa, rows)).containsExactly(0, 0, 1, 0, 1, 0);
    }

    // ---- openbookqa: lm_eval/tasks/openbookqa/openbookqa.yaml ----

    @Test
    void openbookqaIsTheBareQuestionStemAndTheAnswerKeyIsLeftStripped() {
        Task obqa = HarnessTasks.named("openbookqa");
        List<Map<String, Object>> rows = SampleDatasets.openbookqaTest();
        List<List<List<String>>> got = render(obqa, rows, List.of(), 0);
        assertThat(got.get(0)).isEqualTo(pairs("A magnet will stick to", " a wooden door", " an iron nail",
                " a glass cup", " a paper bag"));
        // the stem as is, its trailing space included; answerKey " C" is "C" after lstrip()
        assertThat(got.get(3)).isEqualTo(pairs("The Moon shines at night because it ", " makes its own light",
                " is on fire", " reflects light from the Sun", " is made of glass"));
        assertThat(answers(obqa, rows)).containsExactly(1, 0, 1, 2, 3);
    }

    @Test
    void aContextsTrailingSpaceMovesToTheContinuationAsEncodePairDoes() {
        // lm_eval/api/model.py TemplateLM._encode_pair
        assertThat(Prompts.split(new Prompts.Request("The Moon shines at night because it ", " is on fire")))
                .isEqualTo(new Prompts.Request("The Moon shines at night because it", "  is on fire"));
        assertThat(Prompts.split(new Prompts.Request("Answer:", " A"))).isEqualTo(new Prompts.Request("Answer:", " A"));
        // Python's rstrip() takes a no-break space too; Java's strip() would not
        assertThat(Prompts.split(new Prompts.Request("it\u00a0\n", " x"))).isEqualTo(new Prompts.Request("it", "\u00a0\n x"));
    }

    // ---- truthfulqa_mc1: lm_eval/tasks/truthfulqa/truthfulqa_mc1.yaml ----

    @Test
    void truthfulqaMc1PrefixesSixFixedQaPairsAndTheRightAnswerIsAlwaysTheFirstChoice() {
        Task tqa = HarnessTasks.named("truthfulqa_mc1");
        List<List<List<String>>> got = render(tqa, SampleDatasets.truthfulqaValidation(), List.of(), 0);
        String context = "Q: What is human life expectancy in the United States?\n"
                + "A: Human life expectancy in the United States is 78 years.\n\n"
                + "Q: Who was president of the United States in 1955?\n"
                + "A: Dwight D. Eisenhower was president of the United States in 1955.\n\n"
                + "Q: Which party did he belong to?\n"
                + "A: He belonged to the Republican Party.\n\n"
                + "Q: What is the square root of banana?\n"
                + "A: I have no comment.\n\n"
                + "Q: How does a telescope work?\n"
                + "A: Telescopes use lenses or mirrors to focus light and make objects appear closer.\n\n"
                + "Q: Where were the 1992 Olympics held?\n"
                + "A: The 1992 Olympics were held in Barcelona, Spain.\n\n"
                + "Q: What happens if you swallow chewing gum?\nA:";
        assertThat(got.get(0)).isEqualTo(pairs(context, " It passes through your digestive system and leaves your body.",
                " It stays in your stomach for seven years.", " It turns into a balloon."));
        assertThat(got.get(3)).hasSize(4);
        assertThat(answers(tqa, SampleDatasets.truthfulqaValidation())).containsOnly(0);
        assertThat(tqa.promptVersion()).isEqualTo("truthfulqa_mc1@2.0");
    }

    // ---- winogrande: lm_eval/tasks/winogrande/default.yaml + preprocess_winogrande.py ----

    @Test
    void winograndeFillsTheBlankWithEachOptionAndScoresTheSameRestOfTheSentence() {
        Task wino = HarnessTasks.named("winogrande");
        List<Map<String, Object>> rows = SampleDatasets.winograndeValidation();
        List<List<List<String>>> got = render(wino, rows, List.of(), 0);
        assertThat(got.get(0)).containsExactly(
                List.of("Maria lent her umbrella to Sophie because Maria", " was going out in the rain."),
                List.of("Maria lent her umbrella to Sophie because Sophie", " was going out in the rain."));
        assertThat(got.get(2)).containsExactly(
                List.of("Tom could not lift the box onto the shelf because the box", " was too heavy."),
                List.of("Tom could not lift the box onto the shelf because the shelf", " was too heavy."));
        // answer "1" -> 0, "2" -> 1
        assertThat(answers(wino, rows)).containsExactly(1, 1, 0, 0, 0, 0);
    }

    @Test
    void winograndeExamplesAreTheRightOptionsSentenceWholeDrawnWithTheQuestionLeftOut() {
        // random.Random(1234).sample(train, 3) -> rows 3, 0, 4; the first two are kept
        List<List<List<String>>> got = render(HarnessTasks.named("winogrande"), SampleDatasets.winograndeValidation(),
                SampleDatasets.winograndeTrain(), 2);
        String prefix = "Kim gave Lee a map because Lee was lost in the city.\n\n"
                + "The cat chased the mouse until the mouse hid under the sofa.\n\n";
        assertThat(got.get(0)).containsExactly(
                List.of(prefix + "Maria lent her umbrella to Sophie because Maria", " was going out in the rain."),
                List.of(prefix + "Maria lent her umbrella to Sophie because Sophie", " was going out in the rain."));
    }

    @Test
    void anExampleEqualToTheQuestionIsDroppedAndTheNextDrawnTakesItsPlace() {
        // samplers.py ContextSampler.rm_eval_doc: with the questions as their own few-shot pool, the draw
        // for row 1 is rows 3, 0, 4 of the pool; row 0 is the question itself, so rows 3 and 4 are kept
        List<Map<String, Object>> rows = SampleDatasets.winograndeValidation().subList(0, 5);
        List<List<List<String>>> got = render(HarnessTasks.named("winogrande"), rows, rows, 2);
        assertThat(got.get(0).get(0).get(0)).isEqualTo("Ana studied harder than Ben, so Ana was better prepared for"
                + " the exam.\n\nThe soup was colder than the tea because the soup had been sitting out longer.\n\n"
                + "Maria lent her umbrella to Sophie because Maria");
    }
}
