package io.friendliflink.job.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.job.config.ConfigSection;
import io.friendliflink.job.config.JobOptions;
import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.rows.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.core.fs.Path;

/**
 * The {@code generate:} section: a prompt template over input rows, {@code n} samples per row.
 *
 * @param input the rows: JSONL, CSV or Parquet (a file or a directory)
 * @param idColumn the column naming a row, or {@code null} for its row number
 * @param prompt a completion prompt template, or {@code null} when {@code messages} is set
 * @param messages chat messages, each a role and a content template; empty when {@code prompt} is set
 * @param n samples per row, each its own request with seed {@code seed + sample}
 * @param seed the first sample's seed
 * @param responseFormat the {@code response_format} of every request (a JSON schema, say), or {@code null}
 * @param body further body fields for every request ({@code max_tokens}, {@code temperature}, ...), or {@code null}
 */
public record GenerateSettings(
        Path input,
        String idColumn,
        String prompt,
        List<Message> messages,
        int n,
        long seed,
        ObjectNode responseFormat,
        ObjectNode body) {

    /** One chat message of the template. */
    public record Message(String role, String content) {}

    /** The output columns the job adds next to the input's; an input column must not have one of these names. */
    public static final List<String> SAMPLE_COLUMNS =
            List.of("custom_id", "sample", "seed", "generation", "finish_reason", "model", "prompt_tokens",
                    "completion_tokens", "total_tokens");

    private static final Set<String> ROLES = Set.of("system", "user", "assistant");

    public GenerateSettings {
        messages = List.copyOf(messages);
    }

    public static GenerateSettings from(ConfigSection s) {
        String input = s.requiredString(JobOptions.GENERATE_INPUT, "the rows file or directory (.jsonl, .csv or .parquet)");
        String idColumn = s.string(JobOptions.GENERATE_ID_COLUMN);
        String prompt = s.string(JobOptions.GENERATE_PROMPT);
        List<Message> messages = new ArrayList<>();
        JsonNode list = s.value(JobOptions.GENERATE_MESSAGES);
        if (list != null) {
            if (!list.isArray() || list.isEmpty()) {
                s.problem("messages", "must be a list of {role, content} mappings");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    JsonNode m = list.get(i);
                    String role = m.path("role").asText(null);
                    String content = m.path("content").asText(null);
                    if (!m.isObject() || role == null || content == null || !ROLES.contains(role)) {
                        s.problem("messages[" + i + "]", "must be a mapping with role (system, user or assistant)"
                                + " and content, was " + m);
                    } else {
                        messages.add(new Message(role, content));
                    }
                }
            }
        }
        if ((prompt == null) == messages.isEmpty()) {
            s.problem("prompt", "set exactly one of generate.prompt (completions) and generate.messages (chat)");
        }
        int n = s.intValue(JobOptions.GENERATE_N, 1, 10_000);
        long seed = s.longValue(JobOptions.GENERATE_SEED, 0, Long.MAX_VALUE / 2);
        ObjectNode format = s.objectValue(JobOptions.GENERATE_RESPONSE_FORMAT);
        ObjectNode body = s.objectValue(JobOptions.GENERATE_BODY);
        if (body != null) {
            for (String owned : List.of("prompt", "messages", "seed", "n", "response_format", "stream")) {
                if (body.has(owned)) {
                    s.problem("body." + owned, "is set by the generate mode; use generate."
                            + (owned.equals("response_format") ? "response-format" : owned.equals("stream")
                                    ? "prompt (streaming is not used)" : owned) + " instead");
                }
            }
        }
        try {
            if (prompt != null) {
                Template.parse(prompt);
            }
            for (Message m : messages) {
                Template.parse(m.content());
            }
        } catch (IllegalArgumentException e) {
            s.problem(prompt != null ? "prompt" : "messages", e.getMessage());
        }
        String inputMissing = input == null || input.isBlank() ? null : FlinkFiles.whyMissing(input);
        if (inputMissing != null) {
            s.problem("input", inputMissing);
        }
        return new GenerateSettings(input == null ? null : FlinkFiles.of(input), idColumn, prompt, messages, n, seed, format,
                body);
    }
}
