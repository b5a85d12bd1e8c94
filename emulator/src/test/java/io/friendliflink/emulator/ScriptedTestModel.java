package io.friendliflink.emulator;

import io.friendliflink.api.ApiKind;
import io.friendliflink.api.request.ChatCompletionsRequest;
import io.friendliflink.api.request.ChatMessage;
import io.friendliflink.api.request.CommonFields;
import io.friendliflink.api.request.CompletionsRequest;
import io.friendliflink.api.request.InferenceRequest;
import io.friendliflink.api.request.MessageContent;
import io.friendliflink.api.request.Prompt;
import io.friendliflink.api.request.Seed;
import io.friendliflink.api.request.Tool;
import io.friendliflink.api.request.ToolChoice;
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
    public Generation generate(InferenceRequest request) {
        ApiKind kind = request.kind();
        CommonFields common = request.common();
        int maxTokens = common.maxTokens() == null ? ANSWER.size() : common.maxTokens();
        int n = common.n() == null ? 1 : common.n();
        int top = request instanceof ChatCompletionsRequest chat
                ? (chat.topLogprobs() == null ? 0 : chat.topLogprobs())
                : (((CompletionsRequest) request).logprobs() == null ? 0 : ((CompletionsRequest) request).logprobs());
        List<GeneratedChoice> choices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long seed = common.seed() instanceof Seed.Single single ? single.value() : 42 + i;
            Tool.FunctionSpec function = kind == ApiKind.CHAT_COMPLETIONS ? firstFunction((ChatCompletionsRequest) request) : null;
            if (function != null) {
                choices.add(new GeneratedChoice(i, seed, tokens(List.of("<call>", "Paris"), top), null,
                        "tool_calls", List.of(new GeneratedToolCall("call_" + i, function.name(), TOOL_ARGUMENTS))));
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
        return new Generation(promptTokens(request), choices, runs);
    }

    /** The first function tool, unless there is none or {@code tool_choice} is {@code none}. */
    private static Tool.FunctionSpec firstFunction(ChatCompletionsRequest chat) {
        if (chat.tools() == null || chat.tools().isEmpty() || chat.toolChoice() == ToolChoice.Mode.NONE) {
            return null;
        }
        return chat.tools().get(0) instanceof Tool.Function f ? f.function() : null;
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

    private static int promptTokens(InferenceRequest request) {
        if (request instanceof CompletionsRequest completions) {
            if (completions.tokens() != null) {
                return completions.tokens().size();
            }
            return completions.prompt() instanceof Prompt.Text text ? text.text().length() : 0;
        }
        int total = 0;
        for (ChatMessage m : ((ChatCompletionsRequest) request).messages()) {
            total += m.content() instanceof MessageContent.Text text ? text.text().length() : 0;
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
