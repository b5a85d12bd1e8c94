package io.friendliflink.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import io.friendliflink.emulator.model.BuiltInToolRun;
import io.friendliflink.emulator.model.GeneratedChoice;
import io.friendliflink.emulator.model.GeneratedToken;
import io.friendliflink.emulator.model.GeneratedToolCall;
import io.friendliflink.emulator.model.Generation;
import io.friendliflink.emulator.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;

/**
 * TEST FIXTURE: a deterministic stand-in for the language model, so server tests know every token.
 *
 * <p>Tokenizes one token per character (id = the char). Always answers {@link #ANSWER} (cut at
 * {@code max_tokens}, finish {@code length}); a chat with function tools (and {@code tool_choice} not
 * {@code none}) calls the first one with {@code {"city":"Paris"}}; tool-assisted chat first "runs" a
 * calculator. Prompt tokens are the characters of the prompt or of all message contents.
 */
final class ScriptedTestModel implements LanguageModel {
    static final List<String> ANSWER = List.of("Hello", " from", " the", " emulator", ".");
    static final String ANSWER_TEXT = String.join("", ANSWER);
    static final String TOOL_ARGUMENTS = "{\"city\":\"Paris\"}";

    @Override
    public Generation generate(ApiKind kind, JsonNode body) {
        int maxTokens = body.path("max_tokens").asInt(ANSWER.size());
        int n = body.path("n").asInt(1);
        int top = kind.isChat() ? body.path("top_logprobs").asInt(0) : body.path("logprobs").asInt(0);
        List<GeneratedChoice> choices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long seed = body.path("seed").isNumber() ? body.path("seed").asLong() : 42 + i;
            JsonNode tools = body.path("tools");
            boolean callFunction = kind == ApiKind.CHAT_COMPLETIONS && tools.isArray() && tools.size() > 0
                    && !"none".equals(body.path("tool_choice").asText(""));
            if (callFunction) {
                String name = tools.get(0).path("function").path("name").asText();
                choices.add(new GeneratedChoice(i, seed, tokens(List.of("<call>", "Paris"), top), null,
                        "tool_calls", List.of(new GeneratedToolCall("call_" + i, name, TOOL_ARGUMENTS))));
                continue;
            }
            List<String> pieces = ANSWER.subList(0, Math.min(maxTokens, ANSWER.size()));
            choices.add(new GeneratedChoice(i, seed, tokens(pieces, top), String.join("", pieces),
                    pieces.size() < ANSWER.size() ? "length" : "stop", List.of()));
        }
        List<BuiltInToolRun> runs = kind == ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS
                ? List.of(new BuiltInToolRun("tool_1", "math:calculator",
                        List.of(new BuiltInToolRun.Parameter("expression", "6*7")), "42", null))
                : List.of();
        return new Generation(promptTokens(kind, body), choices, runs);
    }

    private static List<GeneratedToken> tokens(List<String> pieces, int top) {
        List<GeneratedToken> out = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            List<GeneratedToken.Alternative> alternatives = new ArrayList<>();
            for (int k = 0; k < top; k++) {
                alternatives.add(new GeneratedToken.Alternative(
                        k == 0 ? 1000 + i : 2000 + k, k == 0 ? pieces.get(i) : "alt" + k, -0.5 - k));
            }
            out.add(new GeneratedToken(1000 + i, pieces.get(i), -0.5, alternatives));
        }
        return out;
    }

    private static int promptTokens(ApiKind kind, JsonNode body) {
        if (!kind.isChat()) {
            JsonNode tokens = body.get("tokens");
            return tokens != null ? tokens.size() : body.path("prompt").asText().length();
        }
        int total = 0;
        for (JsonNode m : body.path("messages")) {
            total += m.path("content").asText().length();
        }
        return total;
    }

    @Override
    public List<Integer> tokenize(String text) {
        List<Integer> ids = new ArrayList<>(text.length());
        for (int i = 0; i < text.length(); i++) {
            ids.add((int) text.charAt(i));
        }
        return ids;
    }

    @Override
    public String detokenize(List<Integer> tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            sb.append((char) t);
        }
        return sb.toString();
    }

    @Override
    public int vocabularySize() {
        return 65536;
    }
}
