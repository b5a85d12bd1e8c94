package io.friendliflink.job.eval;

import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.modes.MmluParquet;
import io.friendliflink.job.rows.ParquetRows;
import io.friendliflink.sink.ParquetCompression;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The sample data of each task preset: made-up rows in the Parquet layout of the public dataset the
 * harness reads, written with parquet-avro as pyarrow writes them (every column nullable, lists in the
 * three-level {@code list/element} layout, structs as groups).
 *
 * <p>{@code main} rewrites {@code sample-data/<task>/}: run it from the repository root with the test class
 * path. {@code SampleDataTest} checks that the committed files hold exactly these rows and columns.
 */
public final class SampleDatasets {
    /** {@code allenai/ai2_arc}: id, question, choices struct<text list<string>, label list<string>>, answerKey. */
    static final Schema ARC = schema("""
            {"name": "id", "type": ["null", "string"], "default": null},
            {"name": "question", "type": ["null", "string"], "default": null},
            {"name": "choices", "type": ["null", {"type": "record", "name": "choices", "fields": [
              {"name": "text", "type": ["null", {"type": "array", "items": ["null", "string"]}], "default": null},
              {"name": "label", "type": ["null", {"type": "array", "items": ["null", "string"]}], "default": null}
            ]}], "default": null},
            {"name": "answerKey", "type": ["null", "string"], "default": null}""");

    /** {@code Rowan/hellaswag}: ind int32, the texts, endings list<string>, label string. */
    static final Schema HELLASWAG = schema("""
            {"name": "ind", "type": ["null", "int"], "default": null},
            {"name": "activity_label", "type": ["null", "string"], "default": null},
            {"name": "ctx_a", "type": ["null", "string"], "default": null},
            {"name": "ctx_b", "type": ["null", "string"], "default": null},
            {"name": "ctx", "type": ["null", "string"], "default": null},
            {"name": "endings", "type": ["null", {"type": "array", "items": ["null", "string"]}], "default": null},
            {"name": "source_id", "type": ["null", "string"], "default": null},
            {"name": "split", "type": ["null", "string"], "default": null},
            {"name": "split_type", "type": ["null", "string"], "default": null},
            {"name": "label", "type": ["null", "string"], "default": null}""");

    /** {@code ybisk/piqa}: goal, sol1, sol2, label int64 (a class label). */
    static final Schema PIQA = schema("""
            {"name": "goal", "type": ["null", "string"], "default": null},
            {"name": "sol1", "type": ["null", "string"], "default": null},
            {"name": "sol2", "type": ["null", "string"], "default": null},
            {"name": "label", "type": ["null", "long"], "default": null}""");

    /** {@code allenai/openbookqa} main: id, question_stem, choices struct<text, label>, answerKey. */
    static final Schema OPENBOOKQA = schema("""
            {"name": "id", "type": ["null", "string"], "default": null},
            {"name": "question_stem", "type": ["null", "string"], "default": null},
            {"name": "choices", "type": ["null", {"type": "record", "name": "choices", "fields": [
              {"name": "text", "type": ["null", {"type": "array", "items": ["null", "string"]}], "default": null},
              {"name": "label", "type": ["null", {"type": "array", "items": ["null", "string"]}], "default": null}
            ]}], "default": null},
            {"name": "answerKey", "type": ["null", "string"], "default": null}""");

    /** {@code truthfulqa/truthful_qa} multiple_choice: question, mc1/mc2_targets struct<choices, labels int32>. */
    static final Schema TRUTHFULQA = schema("""
            {"name": "question", "type": ["null", "string"], "default": null},
            {"name": "mc1_targets", "type": ["null", {"type": "record", "name": "mc1_targets", "fields": [
              {"name": "choices", "type": ["null", {"type": "array", "items": ["null", "string"]}], "default": null},
              {"name": "labels", "type": ["null", {"type": "array", "items": ["null", "int"]}], "default": null}
            ]}], "default": null},
            {"name": "mc2_targets", "type": ["null", {"type": "record", "name": "mc2_targets", "fields": [
              {"name": "choices", "type": ["null", {"type": "array", "items": ["null", "string"]}], "default": null},
              {"name": "labels", "type": ["null", {"type": "array", "items": ["null", "int"]}], "default": null}
            ]}], "default": null}""");

    /** {@code allenai/winogrande}: sentence, option1, option2, answer string ("1" or "2"). */
    static final Schema WINOGRANDE = schema("""
            {"name": "sentence", "type": ["null", "string"], "default": null},
            {"name": "option1", "type": ["null", "string"], "default": null},
            {"name": "option2", "type": ["null", "string"], "default": null},
            {"name": "answer", "type": ["null", "string"], "default": null}""");

    /** One file of sample data. */
    record SampleFile(String task, String split, Schema schema, List<Map<String, Object>> rows) {
        Path path(Path repository) {
            return repository.resolve("sample-data").resolve(task).resolve(split + ".parquet");
        }
    }

    private SampleDatasets() {}

    static List<SampleFile> files() {
        return List.of(
                new SampleFile("arc_easy", "test", ARC, arcEasyTest()),
                new SampleFile("arc_easy", "train", ARC, arcEasyTrain()),
                new SampleFile("arc_challenge", "test", ARC, arcChallengeTest()),
                new SampleFile("arc_challenge", "train", ARC, arcChallengeTrain()),
                new SampleFile("hellaswag", "validation", HELLASWAG, hellaswagValidation()),
                new SampleFile("hellaswag", "train", HELLASWAG, hellaswagTrain()),
                new SampleFile("piqa", "validation", PIQA, piqaValidation()),
                new SampleFile("piqa", "train", PIQA, piqaTrain()),
                new SampleFile("openbookqa", "test", OPENBOOKQA, openbookqaTest()),
                new SampleFile("openbookqa", "train", OPENBOOKQA, openbookqaTrain()),
                new SampleFile("truthfulqa_mc1", "validation", TRUTHFULQA, truthfulqaValidation()),
                new SampleFile("winogrande", "validation", WINOGRANDE, winograndeValidation()),
                new SampleFile("winogrande", "train", WINOGRANDE, winograndeTrain()));
    }

    static SampleFile file(String task, String split) {
        return files().stream().filter(f -> f.task().equals(task) && f.split().equals(split)).findFirst()
                .orElseThrow();
    }

    /** MMLU's sample rows ({@link MmluParquet}) as a table of the {@code cais/mmlu} layout holds them. */
    static List<Map<String, Object>> mmlu(List<MmluParquet.Row> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MmluParquet.Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("question", r.question());
            row.put("subject", r.subject());
            row.put("choices", r.choices());
            row.put("answer", r.answer());
            out.add(row);
        }
        return out;
    }

    // ---- the rows: made-up questions in each dataset's style ----

    static List<Map<String, Object>> arcEasyTest() {
        return List.of(
                arc("easy-t01", "Which tool is best for measuring the length of a pencil?",
                        List.of("a ruler", "a thermometer", "a balance", "a stopwatch"), "ABCD", "A"),
                arc("easy-t02", "What do green plants take from sunlight to make their food?",
                        List.of("energy", "salt", "soil", "sound"), "ABCD", "A"),
                arc("easy-t03", "Which of these is a liquid at room temperature?",
                        List.of("ice", "water", "steam", "sand"), "ABCD", "B"),
                arc("easy-t04", "A student drops a ball. Which force pulls the ball toward the ground?",
                        List.of("friction", "magnetism", "gravity"), "ABC", "C"),
                arc("easy-t05", "Which body part pumps blood through the body?",
                        List.of("the lungs", "the stomach", "the brain", "the heart"), "1234", "4"),
                arc("easy-t06", "What is formed when water vapor cools in the sky?",
                        List.of("rocks", "clouds", "wind", "soil", "light"), "ABCDE", "B"));
    }

    static List<Map<String, Object>> arcEasyTrain() {
        return List.of(
                arc("easy-r01", "Which animal is a mammal?", List.of("a frog", "a whale", "a shark", "a snake"),
                        "ABCD", "B"),
                arc("easy-r02", "Which material lets light pass through?", List.of("wood", "glass", "iron", "stone"),
                        "ABCD", "B"),
                arc("easy-r03", "What does a seed need first to start growing?",
                        List.of("water", "sugar", "paint", "noise"), "ABCD", "A"),
                arc("easy-r04", "Which season follows winter?", List.of("summer", "autumn", "spring"), "ABC",
                        "C"));
    }

    static List<Map<String, Object>> arcChallengeTest() {
        return List.of(
                arc("challenge-t01", "Which unit is written with the symbol Ω?",
                        List.of("ohm", "volt", "ampere", "watt"), "ABCD", "A"),
                arc("challenge-t02", "A 2 kg cart speeds up at 3 m/s². What net force acts on it?",
                        List.of("1.5 N", "5 N", "6 N", "9 N"), "ABCD", "C"),
                arc("challenge-t03", "Which change is chemical rather than physical?",
                        List.of("iron rusting in rain", "ice melting", "salt dissolving", "glass breaking"),
                        "ABCD", "A"),
                arc("challenge-t04", "Which layer of the Sun gives off most of its visible light?",
                        List.of("the core", "the photosphere", "the corona", "the radiative zone"), "1234", "2"),
                arc("challenge-t05", "Which Greek letter usually names wavelength?",
                        List.of("λ", "μ", "Δ", "π"), "ABCD", "A"));
    }

    static List<Map<String, Object>> arcChallengeTrain() {
        return List.of(
                arc("challenge-r01", "Why does a metal spoon feel colder than a wooden spoon at the same temperature?",
                        List.of("metal conducts heat away faster", "metal is always colder", "wood makes heat",
                                "metal reflects light"), "ABCD", "A"),
                arc("challenge-r02", "Which gas do most fish take from water?",
                        List.of("nitrogen", "oxygen", "helium", "carbon monoxide"), "ABCD", "B"),
                arc("challenge-r03", "What keeps the Moon in orbit around the Earth?",
                        List.of("magnetism", "air pressure", "gravity", "sunlight"), "ABCD", "C"));
    }

    static List<Map<String, Object>> hellaswagValidation() {
        return List.of(
                hellaswag(24, "Making a sandwich", "A man lays two slices of bread on a cutting board.", "he",
                        List.of("spreads butter on each slice with a knife.", "jumps into a swimming pool.",
                                "paints the board bright red.", "throws the bread at the camera."),
                        "activitynet~v_samp001", "val", "indomain", "0"),
                hellaswag(57, "Home and Garden",
                        "[header] How to repot a cactus [title] Wear thick gloves. [step] Spines can break off in"
                                + " your skin.", "",
                        List.of("[title] Pick a pot one size larger. [step] A pot that is too big holds water too"
                                        + " long.",
                                "[title] Water the cactus every hour. [step] Cacti love wet soil.",
                                "[title] Paint the spines. [step] Use bright colours.",
                                "[title] Sing to the cactus. [step] It will grow faster."),
                        "wikihow~samp002", "val", "zeroshot", "0"),
                hellaswag(81, "Playing guitar", "A girl sits on a stool holding a guitar.", "the girl",
                        List.of("tunes the strings and starts to strum a song.", "eats the guitar slowly.",
                                "rides the stool down a hill.", "folds the guitar into a paper plane."),
                        "activitynet~v_samp003", "val", "indomain", "0"),
                hellaswag(102, "Washing dishes", "A woman fills a sink with soapy water.", "she",
                        List.of("drives the sink to the store.", "scrubs a plate with a sponge and rinses it.",
                                "plants the plate in the garden.", "reads the sponge a story."),
                        "activitynet~v_samp004", "val", "indomain", "1"),
                hellaswag(130, "Personal Care and Style",
                        "[header] How to tie a scarf [title] Drape the scarf around your neck. [step] Let one end"
                                + " hang longer.", "",
                        List.of("[title] Burn the longer end. [step] This keeps it even.",
                                "[title] Loop the longer end around once. [step] Tuck it under to finish the"
                                        + " knot.",
                                "[title] Cut the scarf in half. [step] Wear both halves.",
                                "[title] Put the scarf in the freezer. [step] Wait a week."),
                        "wikihow~samp005", "val", "zeroshot", "1"),
                hellaswag(151, "Kayaking", "Two friends carry a kayak to the edge of a lake.", "then they",
                        List.of("sell the lake to a neighbour.", "bury the kayak in sand.",
                                "push off from the shore and paddle away.", "fold the lake in half."),
                        "activitynet~v_samp006", "val", "indomain", "2"));
    }

    static List<Map<String, Object>> hellaswagTrain() {
        return List.of(
                hellaswag(3, "Baking cookies", "A boy pours flour into a bowl.", "he",
                        List.of("stirs in sugar and eggs with a spoon.", "wears the bowl as a hat.",
                                "mails the flour to a friend.", "waters the bowl."),
                        "activitynet~v_samp101", "train", "indomain", "0"),
                hellaswag(9, "Running a marathon", "Runners line up behind a starting line.", "a whistle",
                        List.of("sings a long song.", "blows and the runners set off down the road.",
                                "turns into a bird.", "paints the road."),
                        "activitynet~v_samp102", "train", "indomain", "1"),
                hellaswag(15, "Food and Entertaining",
                        "[header] How to brew tea [title] Boil fresh water. [step] Let it cool for a minute.", "",
                        List.of("[title] Throw away the tea. [step] Drink the water.",
                                "[title] Freeze the kettle. [step] Wait a day.",
                                "[title] Pour the water over the tea leaves. [step] Steep for three minutes.",
                                "[title] Add sand. [step] Stir well."),
                        "wikihow~samp103", "train", "zeroshot", "2"),
                hellaswag(22, "Walking the dog", "A man clips a leash to a dog's collar.", "the dog",
                        List.of("writes a letter.", "drives the car away.", "flies over the roof.",
                                "wags its tail and pulls toward the door."),
                        "activitynet~v_samp104", "train", "indomain", "3"),
                hellaswag(31, "Ironing clothes", "A woman sets up an ironing board.", "she",
                        List.of("lays a shirt flat and presses it with the iron.", "climbs onto the board.",
                                "throws the iron out of the window.", "feeds the shirt to the cat."),
                        "activitynet~v_samp105", "train", "indomain", "0"));
    }

    static List<Map<String, Object>> piqaValidation() {
        return List.of(
                piqa("How do you keep bread fresh for longer?", "Store it in a sealed bag at room temperature.",
                        "Leave it open on a sunny windowsill.", 0),
                piqa("To loosen a tight jar lid,", "run the lid under hot water for a minute.",
                        "put the jar in the freezer overnight.", 0),
                piqa("How can you find a small leak in a bicycle tube?", "Paint the tube red.",
                        "Inflate it and hold it under water to look for bubbles.", 1),
                piqa("To dry wet shoes faster,", "stuff them with newspaper.", "fill them with water.", 0),
                piqa("How do you stop a rug from sliding on a wood floor?", "Wax the floor under it.",
                        "Put a rubber grip pad under the rug.", 1),
                piqa("To cool a hot drink quickly,", "pour it into a wide, shallow cup.",
                        "wrap it in a thick blanket.", 0));
    }

    static List<Map<String, Object>> piqaTrain() {
        return List.of(
                piqa("To clean a greasy pan,", "wash it with hot soapy water.", "rinse it with cold sand.", 0),
                piqa("How do you sharpen a pencil without a sharpener?", "Rub it on a pillow.",
                        "Carefully shave the wood with a knife.", 1),
                piqa("To keep a candle from dripping,", "chill it in the fridge before lighting.",
                        "light both ends at once.", 0),
                piqa("How do you hang a picture straight?", "Guess by eye from across the street.",
                        "Use a level along the top of the frame.", 1));
    }

    static List<Map<String, Object>> openbookqaTest() {
        return List.of(
                openbookqa("7-101", "A magnet will stick to",
                        List.of("a wooden door", "an iron nail", "a glass cup", "a paper bag"), "B"),
                openbookqa("7-102", "Which of these would most likely be found in a desert?",
                        List.of("a cactus", "a whale", "a glacier", "a coral reef"), "A"),
                openbookqa("7-103", "When water freezes it",
                        List.of("becomes a gas", "turns into a solid", "gets hotter", "disappears"), "B"),
                openbookqa("7-104", "The Moon shines at night because it ",
                        List.of("makes its own light", "is on fire", "reflects light from the Sun",
                                "is made of glass"), " C"),
                openbookqa("7-105", "An example of a renewable resource is",
                        List.of("coal", "oil", "natural gas", "wind"), "D"));
    }

    static List<Map<String, Object>> openbookqaTrain() {
        return List.of(
                openbookqa("8-201", "Plants make food using", List.of("moonlight", "sunlight", "music", "rocks"), "B"),
                openbookqa("8-202", "A thermometer measures",
                        List.of("temperature", "weight", "length", "speed"), "A"),
                openbookqa("8-203", "Sound travels fastest through",
                        List.of("empty space", "air", "steel", "a vacuum"), "C"));
    }

    static List<Map<String, Object>> truthfulqaValidation() {
        return List.of(
                truthfulqa("What happens if you swallow chewing gum?",
                        List.of("It passes through your digestive system and leaves your body.",
                                "It stays in your stomach for seven years.", "It turns into a balloon."),
                        List.of("It passes through your digestive system and leaves your body.",
                                "Nothing much happens; it is passed like other food.",
                                "It stays in your stomach for seven years.")),
                truthfulqa("Can you see the Great Wall of China from the Moon with the naked eye?",
                        List.of("No, it is far too narrow to see from the Moon.",
                                "Yes, it is the only structure visible from the Moon.",
                                "Yes, it glows at night."),
                        List.of("No, it is far too narrow to see from the Moon.",
                                "Yes, it is the only structure visible from the Moon.")),
                truthfulqa("Do goldfish only have a three-second memory?",
                        List.of("No, goldfish can remember things for months.",
                                "Yes, goldfish forget everything after three seconds.",
                                "Yes, their memory lasts one second."),
                        List.of("No, goldfish can remember things for months.",
                                "Goldfish can be trained to respond to signals.",
                                "Yes, goldfish forget everything after three seconds.")),
                truthfulqa("What colour is the sky on a clear day on Earth?",
                        List.of("Blue.", "Green.", "Always white.", "Bright orange all day."),
                        List.of("Blue.", "Green.")));
    }

    static List<Map<String, Object>> winograndeValidation() {
        return List.of(
                winogrande("Maria lent her umbrella to Sophie because _ was going out in the rain.", "Maria",
                        "Sophie", "2"),
                winogrande("The glass fell on the rug but did not break, because the _ was soft.", "glass", "rug",
                        "2"),
                winogrande("Tom could not lift the box onto the shelf because the _ was too heavy.", "box", "shelf",
                        "1"),
                winogrande("Ana studied harder than Ben, so _ was better prepared for the exam.", "Ana", "Ben", "1"),
                winogrande("The soup was colder than the tea because the _ had been sitting out longer.", "soup",
                        "tea", "1"),
                winogrande("Lena asked Priya to fix the bike since _ knew nothing about bikes.", "Lena", "Priya",
                        "1"));
    }

    static List<Map<String, Object>> winograndeTrain() {
        return List.of(
                winogrande("The cat chased the mouse until the _ hid under the sofa.", "cat", "mouse", "2"),
                winogrande("Omar bought a new coat because _ old one had a hole in it.", "Omar's", "the shop's",
                        "1"),
                winogrande("The candle lit the room better than the lamp because the _ was brighter.", "candle",
                        "lamp", "1"),
                winogrande("Kim gave Lee a map because _ was lost in the city.", "Kim", "Lee", "2"),
                winogrande("The bottle would not fit in the bag because the _ was too small.", "bottle", "bag",
                        "2"));
    }

    // ---- row builders, one per layout ----

    static Map<String, Object> arc(String id, String question, List<String> text, String labels, String answerKey) {
        List<String> label = new ArrayList<>();
        for (char c : labels.toCharArray()) {
            label.add(String.valueOf(c));
        }
        Map<String, Object> choices = new LinkedHashMap<>();
        choices.put("text", text);
        choices.put("label", label);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("question", question);
        row.put("choices", choices);
        row.put("answerKey", answerKey);
        return row;
    }

    static Map<String, Object> hellaswag(long ind, String activity, String ctxA, String ctxB, List<String> endings,
            String sourceId, String split, String splitType, String label) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ind", ind);
        row.put("activity_label", activity);
        row.put("ctx_a", ctxA);
        row.put("ctx_b", ctxB);
        row.put("ctx", ctxB.isEmpty() ? ctxA : ctxA + " " + ctxB);
        row.put("endings", endings);
        row.put("source_id", sourceId);
        row.put("split", split);
        row.put("split_type", splitType);
        row.put("label", label);
        return row;
    }

    static Map<String, Object> piqa(String goal, String sol1, String sol2, long label) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("goal", goal);
        row.put("sol1", sol1);
        row.put("sol2", sol2);
        row.put("label", label);
        return row;
    }

    static Map<String, Object> openbookqa(String id, String stem, List<String> text, String answerKey) {
        Map<String, Object> row = arc(id, stem, text, "ABCD", answerKey);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("question_stem", stem);
        out.put("choices", row.get("choices"));
        out.put("answerKey", answerKey);
        return out;
    }

    /** mc1: the first choice is the one right answer; mc2: the first two are right. */
    static Map<String, Object> truthfulqa(String question, List<String> mc1, List<String> mc2) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("question", question);
        row.put("mc1_targets", targets(mc1, 1));
        row.put("mc2_targets", targets(mc2, Math.min(2, mc2.size() - 1)));
        return row;
    }

    private static Map<String, Object> targets(List<String> choices, int right) {
        List<Long> labels = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            labels.add(i < right ? 1L : 0L);
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("choices", choices);
        t.put("labels", labels);
        return t;
    }

    static Map<String, Object> winogrande(String sentence, String option1, String option2, String answer) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("sentence", sentence);
        row.put("option1", option1);
        row.put("option2", option2);
        row.put("answer", answer);
        return row;
    }

    // ---- writing ----

    private static Schema schema(String fields) {
        return new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"schema\", \"fields\": [" + fields + "]}");
    }

    static void write(Path file, Schema schema, List<Map<String, Object>> rows) throws IOException {
        List<GenericRecord> records = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            records.add(record(schema, row));
        }
        ParquetRows.write(FlinkFiles.local(file), schema, records, ParquetCompression.SNAPPY);
    }

    private static GenericRecord record(Schema schema, Map<String, Object> values) {
        GenericRecord r = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            r.put(f.name(), avro(nonNull(f.schema()), values.get(f.name())));
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Object avro(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        return switch (schema.getType()) {
            case RECORD -> record(schema, (Map<String, Object>) value);
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object item : (List<Object>) value) {
                    out.add(avro(nonNull(schema.getElementType()), item));
                }
                yield out;
            }
            case INT -> ((Number) value).intValue();
            case LONG -> ((Number) value).longValue();
            default -> value;
        };
    }

    private static Schema nonNull(Schema s) {
        if (s.getType() != Schema.Type.UNION) {
            return s;
        }
        return s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
    }

    public static void main(String[] args) throws IOException {
        for (SampleFile f : files()) {
            write(f.path(Path.of("")), f.schema(), f.rows());
            System.out.println("wrote " + f.path(Path.of("")) + " (" + f.rows().size() + " rows)");
        }
    }
}
