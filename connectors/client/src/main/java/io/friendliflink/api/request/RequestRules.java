package io.friendliflink.api.request;

import io.friendliflink.api.ApiKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The API's rules for a typed request: required fields, documented ranges and documented
 * incompatibilities. Where the API pages are silent, the rule a user would expect is applied and a
 * comment says so.
 *
 * <p>Cross-field rules that depend on a field being absent skip fields named in {@code broken}: those were
 * present but unreadable, so "absent" would be a false accusation.
 */
final class RequestRules {
    static final int MAX_TOOLS = 128;
    static final int MAX_BEAMS = 31;

    private final Set<String> broken;
    private final List<Violation> violations = new ArrayList<>();

    RequestRules(Set<String> broken) {
        this.broken = broken;
    }

    List<Violation> check(InferenceRequest request) {
        if (request instanceof CompletionsRequest completions) {
            checkCompletions(completions);
        } else if (request instanceof ChatCompletionsRequest chat) {
            checkChat(chat);
        } else {
            add("request", request == null ? null : request.getClass().getName(),
                    "must be a CompletionsRequest or a ChatCompletionsRequest");
        }
        return violations;
    }

    private void checkCompletions(CompletionsRequest r) {
        CommonFields c = r.common();
        common(c);
        boolean hasPrompt = r.prompt() != null || broken.contains("prompt");
        boolean hasTokens = r.tokens() != null || broken.contains("tokens");
        if (!hasPrompt && !hasTokens) {
            add("prompt", null, "is required: give exactly one of prompt and tokens");
        } else if (r.prompt() != null && r.tokens() != null) {
            add("tokens", Values.ofList(r.tokens()), "must not be given together with prompt: give exactly one of prompt and tokens");
        }
        // Not in the docs: an empty prompt list or token list asks for nothing, which is surely a mistake.
        if (r.prompt() instanceof Prompt.Texts texts && texts.texts().isEmpty()) {
            add("prompt", "[]", "must not be an empty array");
        }
        if (r.tokens() != null && r.tokens().isEmpty()) {
            add("tokens", "[]", "must not be an empty array");
        }
        tokenIds("tokens", r.tokens());

        if (r.maxTotalTokens() != null) {
            atLeast("max_total_tokens", r.maxTotalTokens(), 1);
            if (c.maxTokens() != null) {
                add("max_total_tokens", Values.of(r.maxTotalTokens()),
                        "must not be given together with max_tokens: give only one of them");
            }
        }
        if (r.minTotalTokens() != null) {
            atLeast("min_total_tokens", r.minTotalTokens(), 0);
            if (c.minTokens() != null) {
                add("min_total_tokens", Values.of(r.minTotalTokens()),
                        "must not be given together with min_tokens: give only one of them");
            }
            if (r.maxTotalTokens() != null && r.minTotalTokens() > r.maxTotalTokens()) {
                add("min_total_tokens", Values.of(r.minTotalTokens()),
                        "must be <= max_total_tokens (" + r.maxTotalTokens() + ")");
            }
        }
        // API-NOTES, "Request bodies": repetition_penalty ">= 1" for completions (the completions page:
        // "greater than or equal to 1.0"); encoder_repetition_penalty ">= 1".
        if (c.repetitionPenalty() != null) {
            atLeast("repetition_penalty", c.repetitionPenalty(), 1.0);
        }
        if (r.encoderRepetitionPenalty() != null) {
            atLeast("encoder_repetition_penalty", r.encoderRepetitionPenalty(), 1.0);
        }
        if (r.noRepeatNgram() != null) {
            atLeast("no_repeat_ngram", r.noRepeatNgram(), 1);
        }
        if (r.encoderNoRepeatNgram() != null) {
            atLeast("encoder_no_repeat_ngram", r.encoderNoRepeatNgram(), 1);
        }
        tokenSequences("stop_tokens", r.stopTokens());
        tokenSequences("bad_word_tokens", r.badWordTokens());
        if (r.logprobs() != null) {
            atLeast("logprobs", r.logprobs(), 0);
        }
        tokenIds("forced_output_tokens", r.forcedOutputTokens());
        beamSearch(r);
        embeddingReplacement(r);
    }

    private void beamSearch(CompletionsRequest r) {
        CommonFields c = r.common();
        Integer beams = r.numBeams();
        if (beams == null) {
            // beam_search_type alone is documented as ignored, so it is allowed; the knobs that are
            // "only allowed for beam search" are not.
            if (!broken.contains("num_beams")) {
                if (r.earlyStopping() != null) {
                    add("early_stopping", Values.of(r.earlyStopping()), "is only allowed with beam search: set num_beams");
                }
                if (r.lengthPenalty() != null) {
                    add("length_penalty", Values.of(r.lengthPenalty()), "is only allowed with beam search: set num_beams");
                }
            }
            return;
        }
        if (beams < 1 || beams > MAX_BEAMS) {
            add("num_beams", Values.of(beams), "must be between 1 and " + MAX_BEAMS);
        }
        // Any num_beams turns beam search on: the docs tie these exclusions to num_beams being given.
        if (c.n() != null && c.n() > 1) {
            add("n", Values.of(c.n()), "must not be greater than 1 with beam search (num_beams)");
        }
        if (Boolean.TRUE.equals(c.stream())) {
            add("stream", "true", "is not supported with beam search (num_beams)");
        }
        if (c.stop() != null && !c.stop().isEmpty()) {
            add("stop", Values.ofList(c.stop()), "is not supported with beam search (num_beams): use stop_tokens");
        }
        // DETERMINISTIC is the documented default once num_beams is given.
        if (r.beamSearchType() == null || r.beamSearchType() == BeamSearchType.DETERMINISTIC) {
            String why = "is not allowed with beam_search_type DETERMINISTIC (the default with num_beams)";
            if (c.topK() != null) {
                add("top_k", Values.of(c.topK()), why);
            }
            if (c.topP() != null) {
                add("top_p", Values.of(c.topP()), why);
            }
        }
    }

    private void embeddingReplacement(CompletionsRequest r) {
        List<Double> embedding = r.embeddingToReplace();
        List<Integer> indices = r.tokenIndexToReplace();
        if (embedding != null && indices == null && !broken.contains("token_index_to_replace")) {
            add("embedding_to_replace", Values.ofList(embedding), "requires token_index_to_replace");
        }
        if (indices != null && embedding == null && !broken.contains("embedding_to_replace")) {
            add("token_index_to_replace", Values.ofList(indices), "requires embedding_to_replace");
        }
        if (indices != null) {
            for (int i = 0; i < indices.size(); i++) {
                if (indices.get(i) < 0) {
                    add("token_index_to_replace[" + i + "]", Values.of(indices.get(i)), "must be >= 0");
                }
            }
        }
        // Not in the docs, but implied by "flattened": one equally long vector per replaced index.
        if (embedding != null && indices != null && !indices.isEmpty() && embedding.size() % indices.size() != 0) {
            add("embedding_to_replace", Values.ofList(embedding), "length (" + embedding.size()
                    + ") must be a multiple of the length of token_index_to_replace (" + indices.size() + ")");
        }
    }

    private void checkChat(ChatCompletionsRequest r) {
        boolean toolAssisted = r.kind() == ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS;
        CommonFields c = r.common();
        common(c);
        messages(r.messages());
        if (c.repetitionPenalty() != null) {
            // API-NOTES, "Request bodies": repetition_penalty "> 0" (the chat page: "positive"); the
            // tool-assisted page, whose words API-NOTES makes authoritative, says ">= 1.0".
            if (toolAssisted) {
                atLeast("repetition_penalty", c.repetitionPenalty(), 1.0);
            } else if (!(c.repetitionPenalty() > 0)) {
                add("repetition_penalty", Values.of(c.repetitionPenalty()), "must be > 0");
            }
        }
        if (r.topLogprobs() != null) {
            atLeast("top_logprobs", r.topLogprobs(), 0);
            if (!Boolean.TRUE.equals(r.logprobs()) && !broken.contains("logprobs")) {
                add("top_logprobs", Values.of(r.topLogprobs()), "requires logprobs: true");
            }
        }
        // An empty tools array asks for no tools, so it does not count as "tools specified".
        boolean hasTools = r.tools() != null && !r.tools().isEmpty();
        // The pages call min_tokens "unsupported" with tools, so giving it at all counts, even 0: the
        // server may reject the field rather than judge its value.
        if (c.minTokens() != null && hasTools) {
            add("min_tokens", Values.of(c.minTokens()), "is not supported together with tools");
        }
        if (c.responseFormat() != null && hasTools) {
            add("response_format", "{\"type\":\"" + c.responseFormat().type() + "\"}", "is not supported together with tools");
        }
        tools(r.tools(), toolAssisted);
        toolChoice(r.toolChoice(), r.tools());
        if (r.resumeGeneration() != null && !toolAssisted) {
            add("resume_generation", Values.of(r.resumeGeneration()),
                    "is only allowed on tool-assisted chat (/serverless/tools/v1/chat/completions)");
        }
    }

    private void messages(List<ChatMessage> messages) {
        if (messages == null) {
            add("messages", null, "is required: a non-empty array of messages");
            return;
        }
        if (messages.isEmpty()) {
            add("messages", "[]", "must not be empty");
            return;
        }
        // Not in the Friendli pages; these are OpenAI's rules, which the API follows for the same roles.
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            String path = "messages[" + i + "]";
            switch (m.role()) {
                case SYSTEM, USER, TOOL -> {
                    if (m.content() == null) {
                        add(path + ".content", null, "is required for a " + m.role().wireName() + " message");
                    }
                }
                case ASSISTANT -> {
                    if (m.content() == null && (m.toolCalls() == null || m.toolCalls().isEmpty())) {
                        add(path + ".content", null, "is required for an assistant message without tool_calls");
                    }
                }
            }
            if (m.role() == Role.TOOL && m.toolCallId() == null) {
                add(path + ".tool_call_id", null, "is required for a tool message");
            }
        }
    }

    private void tools(List<Tool> tools, boolean toolAssisted) {
        if (tools == null) {
            return;
        }
        if (tools.size() > MAX_TOOLS) {
            add("tools", "[" + tools.size() + " tools]", "must have at most " + MAX_TOOLS + " tools");
        }
        for (int i = 0; i < tools.size(); i++) {
            Tool tool = tools.get(i);
            String path = "tools[" + i + "]";
            if (tool.isBuiltIn() && !toolAssisted) {
                add(path + ".type", Values.of(tool.type()),
                        "is a built-in tool, allowed only on tool-assisted chat (/serverless/tools/v1/chat/completions)");
            }
            if (tool instanceof Tool.Function function) {
                String name = function.function().name();
                if (name == null || name.isBlank()) {
                    add(path + ".function.name", Values.of(name), "is required: a non-blank function name");
                }
            } else if (tool instanceof Tool.FileText fileText) {
                // Not in the docs: a file search over no files cannot do anything.
                if (fileText.files() == null || fileText.files().isEmpty()) {
                    add(path + ".files", fileText.files() == null ? null : "[]", "must list at least one file id");
                }
            }
        }
    }

    private void toolChoice(ToolChoice choice, List<Tool> tools) {
        if (choice == null || broken.contains("tools")) {
            return;
        }
        if (choice instanceof ToolChoice.Function named) {
            boolean found = false;
            if (tools != null) {
                for (Tool tool : tools) {
                    found |= tool instanceof Tool.Function f && named.name().equals(f.function().name());
                }
            }
            if (!found) {
                add("tool_choice.function.name", Values.of(named.name()), "must name a function given in tools");
            }
        } else if (choice == ToolChoice.Mode.REQUIRED && (tools == null || tools.isEmpty())) {
            // Not in the docs: "required" demands a tool call, which is impossible without tools.
            add("tool_choice", "\"required\"", "needs at least one tool in tools");
        }
    }

    // ---- rules shared by every kind ----

    /** The rules of the {@link CommonFields} but {@code repetition_penalty}, whose range differs by kind. */
    private void common(CommonFields c) {
        model(c.model());
        maxMinTokens(c.maxTokens(), c.minTokens());
        sampling(c.n(), c.temperature(), c.topP(), c.topK(), c.minP(), c.frequencyPenalty(), c.presencePenalty());
        seed(c.seed(), c.n());
        tokenIds("eos_token", c.eosToken());
        stream(c.stream(), c.streamOptions());
        timeout(c.timeoutMicroseconds());
        // API-NOTES, "Request bodies", documented incompatibilities: min_tokens with response_format. Giving
        // min_tokens at all counts, even 0: the server may reject the field rather than judge its value.
        if (c.minTokens() != null && c.responseFormat() != null) {
            add("min_tokens", Values.of(c.minTokens()), "is not supported together with response_format");
        }
    }

    private void model(String model) {
        if (model == null) {
            add("model", null, "is required");
        } else if (model.isBlank()) {
            add("model", Values.of(model), "must not be blank");
        }
    }

    private void maxMinTokens(Integer maxTokens, Integer minTokens) {
        // API-NOTES, "Request bodies", gives max_tokens no range; the seed pages it makes authoritative call it
        // "the maximum number of tokens to generate ... similar to Hugging Face's max_new_tokens", which must
        // be > 0. So >= 1: a request for no tokens at all is refused, as that argument is.
        if (maxTokens != null) {
            atLeast("max_tokens", maxTokens, 1);
        }
        if (minTokens != null) {
            atLeast("min_tokens", minTokens, 0);
            if (maxTokens != null && minTokens > maxTokens) {
                add("min_tokens", Values.of(minTokens), "must be <= max_tokens (" + maxTokens + ")");
            }
        }
    }

    // API-NOTES, "Request bodies", Common: top_p (0 exclusive .. 1), top_k (0 .. vocab; the vocabulary is the
    // model's, so only the server can check the top), min_p (0 .. 1), the two penalties (-2 .. 2). Not in the
    // docs: n >= 1 and temperature >= 0, the only values that mean anything.
    private void sampling(Integer n, Double temperature, Double topP, Integer topK, Double minP,
            Double frequencyPenalty, Double presencePenalty) {
        if (n != null) {
            atLeast("n", n, 1);
        }
        if (temperature != null) {
            atLeast("temperature", temperature, 0.0);
        }
        if (topP != null && !(topP > 0.0 && topP <= 1.0)) {
            add("top_p", Values.of(topP), "must be in (0, 1]");
        }
        if (topK != null) {
            atLeast("top_k", topK, 0);
        }
        if (minP != null) {
            between("min_p", minP, 0.0, 1.0);
        }
        if (frequencyPenalty != null) {
            between("frequency_penalty", frequencyPenalty, -2.0, 2.0);
        }
        if (presencePenalty != null) {
            between("presence_penalty", presencePenalty, -2.0, 2.0);
        }
    }

    private void seed(Seed seed, Integer n) {
        if (seed instanceof Seed.PerChoice perChoice && !broken.contains("n")) {
            int choices = n == null ? 1 : n;
            if (perChoice.values().size() != choices) {
                add("seed", Values.ofList(perChoice.values()), "must have one seed per choice: "
                        + perChoice.values().size() + " given, n is " + choices);
            }
        }
    }

    private void stream(Boolean stream, StreamOptions options) {
        if (options != null && !Boolean.TRUE.equals(stream) && !broken.contains("stream")) {
            add("stream_options", options.includeUsage() == null ? "{}" : "{\"include_usage\":" + options.includeUsage() + "}",
                    "is only allowed with stream: true");
        }
    }

    private void timeout(Long timeoutMicroseconds) {
        if (timeoutMicroseconds != null && timeoutMicroseconds <= 0) {
            add("timeout_microseconds", Values.of(timeoutMicroseconds), "must be > 0");
        }
    }

    private void tokenSequences(String field, List<TokenSequence> sequences) {
        if (sequences == null) {
            return;
        }
        for (int i = 0; i < sequences.size(); i++) {
            List<Integer> tokens = sequences.get(i).tokens();
            String path = field + "[" + i + "].tokens";
            if (tokens == null) {
                add(path, null, "is required: an array of token ids");
            } else {
                tokenIds(path, tokens);
            }
        }
    }

    // Not in the docs: token ids index the vocabulary, so a negative one cannot be meant.
    private void tokenIds(String field, List<Integer> tokens) {
        if (tokens == null) {
            return;
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i) < 0) {
                add(field + "[" + i + "]", Values.of(tokens.get(i)), "must be a token id >= 0");
            }
        }
    }

    private void atLeast(String field, int value, int min) {
        if (value < min) {
            add(field, Values.of(value), "must be >= " + min);
        }
    }

    private void atLeast(String field, double value, double min) {
        if (!(value >= min)) {
            add(field, Values.of(value), "must be >= " + min);
        }
    }

    private void between(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            add(field, Values.of(value), "must be between " + min + " and " + max);
        }
    }

    private void add(String field, String value, String rule) {
        violations.add(new Violation(field, value, rule));
    }
}
