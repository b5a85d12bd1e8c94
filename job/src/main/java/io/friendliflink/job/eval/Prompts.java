package io.friendliflink.job.eval;

import io.friendliflink.job.rows.Template;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The prompt and continuations of a question, as lm-evaluation-harness writes MMLU.
 *
 * <p>Prompt: the description (subject's underscores as spaces), then {@code k} examples of the same subject,
 * each its text, a space and its answer's continuation, then a blank line; then the question's text. A
 * question's text is {@code {question}\nA. ...\nB. ...\nAnswer:} (the question stripped), or the user's
 * template with {@code {question}}, {@code {choices}} (the lettered lines), {@code {subject}}, {@code {A}},
 * {@code {B}}, ... (choice texts) and any column of the row.
 */
final class Prompts {
    private static final String FEW_SHOT_DELIMITER = "\n\n";
    private static final String TARGET_DELIMITER = " ";

    private final EvaluateSettings settings;
    private final Template description;
    private final Template template;
    private final Map<String, List<Question>> examplesBySubject = new HashMap<>();

    Prompts(EvaluateSettings settings, List<Question> fewShot, List<String> columns) {
        this.settings = settings;
        this.description = Template.parse(settings.description());
        this.template = settings.template() == null ? null : Template.parse(settings.template());
        if (template != null) {
            Set<String> known = new LinkedHashSet<>(List.of("question", "choices", "subject"));
            for (int i = 0; i < 26; i++) {
                known.add(Question.letter(i));
            }
            known.addAll(columns);
            for (String name : template.placeholders()) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("evaluate.template names {" + name + "}, which is no column of "
                            + "the input and no built-in placeholder; known names are " + known);
                }
            }
        }
        for (String name : description.placeholders()) {
            if (!name.equals("subject")) {
                throw new IllegalArgumentException("evaluate.description may name only {subject}, not {" + name + "}");
            }
        }
        for (Question q : fewShot) {
            List<Question> list = examplesBySubject.computeIfAbsent(q.subject(), s -> new ArrayList<>());
            if (list.size() < settings.fewShotK()) {
                list.add(q);
            }
        }
    }

    String prompt(Question q) {
        StringBuilder out = new StringBuilder(512);
        String subject = q.subject().replace('_', ' ');
        out.append(description.render(name -> subject));
        for (Question example : examplesBySubject.getOrDefault(q.subject(), List.of())) {
            out.append(text(example)).append(TARGET_DELIMITER).append(target(example, example.answer()))
                    .append(FEW_SHOT_DELIMITER);
        }
        out.append(text(q));
        return out.toString();
    }

    /** The examples a question gets (fewer than {@code k} when the few-shot file has fewer for its subject). */
    int examples(Question q) {
        return examplesBySubject.getOrDefault(q.subject(), List.of()).size();
    }

    /** The scored continuation of each choice: {@code " A"}, ... or {@code " " + choice}. */
    List<String> continuations(Question q) {
        List<String> out = new ArrayList<>(q.choices().size());
        for (int i = 0; i < q.choices().size(); i++) {
            out.add(TARGET_DELIMITER + target(q, i));
        }
        return out;
    }

    private String target(Question q, int choice) {
        return settings.continuation() == EvaluateSettings.Continuation.LETTERS
                ? Question.letter(choice) : q.choices().get(choice);
    }

    private String text(Question q) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < q.choices().size(); i++) {
            lines.append(Question.letter(i)).append(". ").append(q.choices().get(i));
            if (i + 1 < q.choices().size()) {
                lines.append('\n');
            }
        }
        if (template == null) {
            return q.question().strip() + "\n" + lines + "\nAnswer:";
        }
        return template.render(name -> switch (name) {
            case "question" -> q.question().strip();
            case "choices" -> lines.toString();
            case "subject" -> q.subject().replace('_', ' ');
            default -> {
                if (name.length() == 1 && name.charAt(0) >= 'A' && name.charAt(0) <= 'Z'
                        && !q.row().containsKey(name)) {
                    int i = name.charAt(0) - 'A';
                    yield i < q.choices().size() ? q.choices().get(i) : "";
                }
                yield Template.asText(q.row().get(name));
            }
        });
    }
}
