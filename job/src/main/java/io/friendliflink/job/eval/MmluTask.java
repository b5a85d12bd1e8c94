package io.friendliflink.job.eval;

import io.friendliflink.job.rows.Template;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MMLU as lm-evaluation-harness writes it ({@code lm_eval/tasks/mmlu/default/_default_template_yaml},
 * descriptions from {@code lm_eval/tasks/mmlu/_generate_configs.py}), over the {@code cais/mmlu} layout:
 * {@code question: string}, {@code subject: string}, {@code choices: list<string>}, {@code answer: int64}.
 *
 * <p>Description {@code "The following are multiple choice questions (with answers) about {subject}.\n\n"}
 * (underscores as spaces); text {@code question.strip() + "\nA. " + choices[0] + ... + "\nAnswer:"};
 * choices {@code ["A", "B", ...]}; examples the first {@code k} of the subject ({@code sampler: first_n},
 * {@code fewshot_split: dev}). The user may change the description, the text (a template) and score
 * the choice texts instead of letters; {@link #promptVersion()} then says so.
 */
final class MmluTask implements Task {
    static final String DESCRIPTION =
            "The following are multiple choice questions (with answers) about {subject}.\n\n";

    private final Template description;
    private final Template template;
    private final boolean choiceText;
    private final List<String> changes = new ArrayList<>();

    /**
     * @param description the text before the examples; {@code {subject}} is the only placeholder
     * @param template one question's text, or {@code null} for the harness's
     * @param choiceText whether a choice's continuation is its text rather than its letter
     * @throws IllegalArgumentException when the description names another placeholder
     */
    MmluTask(String description, String template, boolean choiceText) {
        this.description = Template.parse(description);
        this.template = template == null ? null : Template.parse(template);
        this.choiceText = choiceText;
        for (String name : this.description.placeholders()) {
            if (!name.equals("subject")) {
                throw new IllegalArgumentException("evaluate.description may name only {subject}, not {" + name + "}");
            }
        }
        if (template != null) {
            changes.add("template");
        }
        if (!description.equals(DESCRIPTION)) {
            changes.add("description");
        }
        if (choiceText) {
            changes.add("choice-text");
        }
    }

    /** @throws IllegalArgumentException when the template names a placeholder that is no column of the input */
    void checkTemplate(List<String> columns) {
        if (template == null) {
            return;
        }
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

    @Override
    public String name() {
        return "mmlu";
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public String harnessFile() {
        return "lm_eval/tasks/mmlu/default/_default_template_yaml";
    }

    @Override
    public String dataset() {
        return "cais/mmlu";
    }

    @Override
    public List<String> columns() {
        return List.of("question", "choices", "answer");
    }

    @Override
    public List<String> harnessMetrics() {
        return List.of("acc");
    }

    @Override
    public Sampling sampling() {
        return Sampling.FIRST_N_OF_SUBJECT;
    }

    @Override
    public String promptVersion() {
        return Task.super.promptVersion() + (changes.isEmpty() ? "" : "+" + String.join("+", changes));
    }

    @Override
    public Question question(String id, Fields row) {
        String question = row.text("question");
        List<String> texts = row.choices("choices");
        int answer = answer(row, texts.size());
        String subject = row.optionalText("subject");
        subject = subject == null || subject.isBlank() ? "all" : subject;
        List<String> choices = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            choices.add(choiceText ? texts.get(i) : Question.letter(i));
        }
        return Question.ofText(id, subject, text(question, texts, subject, row.values()), choices, answer,
                row.values());
    }

    @Override
    public String description(Question q) {
        String subject = q.subject().replace('_', ' ');
        return description.render(name -> subject);
    }

    private String text(String question, List<String> choices, String subject, Map<String, Object> row) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < choices.size(); i++) {
            lines.append(Question.letter(i)).append(". ").append(choices.get(i));
            if (i + 1 < choices.size()) {
                lines.append('\n');
            }
        }
        if (template == null) {
            return PythonText.strip(question) + "\n" + lines + "\nAnswer:";
        }
        return template.render(name -> switch (name) {
            case "question" -> PythonText.strip(question);
            case "choices" -> lines.toString();
            case "subject" -> subject.replace('_', ' ');
            default -> {
                if (name.length() == 1 && name.charAt(0) >= 'A' && name.charAt(0) <= 'Z' && !row.containsKey(name)) {
                    int i = name.charAt(0) - 'A';
                    yield i < choices.size() ? choices.get(i) : "";
                }
                yield Template.asText(row.get(name));
            }
        });
    }

    /** MMLU's {@code answer} is the index (int64); a letter is accepted too. */
    private static int answer(Fields row, int choices) {
        Object value = row.values().get("answer");
        int index;
        if (value instanceof Number n) {
            index = n.intValue();
        } else if (value instanceof String s && s.trim().matches("\\d+")) {
            index = Integer.parseInt(s.trim());
        } else if (value instanceof String s && s.trim().matches("[A-Za-z]")) {
            index = Character.toUpperCase(s.trim().charAt(0)) - 'A';
        } else {
            throw row.refused("answer must be the index of the right choice (or its letter), was " + value);
        }
        if (index < 0 || index >= choices) {
            throw row.refused("answer " + value + " is not one of the " + choices + " choices");
        }
        return index;
    }
}
