package io.friendliflink.emulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.request.ChatCompletionsRequest;
import io.friendliflink.api.request.CompletionsRequest;
import io.friendliflink.api.request.InferenceRequest;
import io.friendliflink.api.request.Prompt;
import io.friendliflink.api.request.RequestJson;
import io.friendliflink.api.request.ResponseFormat;
import io.friendliflink.api.request.Tool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A deterministic small language model: a fixed vocabulary, a hash-driven next-token distribution,
 * and real sampling, so the emulator answers like an inference server at thousands of requests per
 * second.
 *
 * <p>Contract highlights (see the helper classes for details):
 *
 * <ul>
 *   <li>Tokens: {@link Tokenizer} (greedy longest match with byte fallback; every string round-trips).
 *   <li>Distribution: {@link #distribution} gives exact log-probabilities over the whole vocabulary
 *       ({@link NextTokenModel}); a reported token logprob is its value under this distribution,
 *       before penalties, bias, temperature and filters, and so are the top alternatives.
 *   <li>Sampling: {@link Sampler}; stopping: {@link Decoder}. Without {@code max_tokens} a completion
 *       gets at most {@value #DEFAULT_COMPLETION_TOKENS} tokens and a chat answer at most
 *       {@value #DEFAULT_CHAT_TOKENS}; {@code max_total_tokens}/{@code min_total_tokens} count the
 *       prompt too; nothing exceeds the context window of {@value #CONTEXT_WINDOW} tokens.
 *   <li>Seeds: choice {@code i} uses {@code seed[i]} of a seed array, {@code seed + i} for a single
 *       seed, or without a seed one drawn from a hash of the request as {@code RequestJson} writes it, so
 *       the spelling of the body sent does not matter (reported in the choice).
 *   <li>Completions: a {@code prompt} array gives one generation per prompt, as OpenAI does: choice
 *       {@code p * n + i} is choice {@code i} of prompt {@code p}, and {@code promptTokens} sums all
 *       prompts. {@code forced_output_tokens} are emitted as given (truncated only by an explicit
 *       {@code max_tokens}) and scored under the distribution.
 *   <li>Chat: {@link ChatTemplate} renders the prompt. {@code response_format} output comes from
 *       {@link JsonSchemaWriter} or {@link RegexWriter}, then is tokenized and scored like forced
 *       tokens under the unconstrained distribution ({@code max_tokens} can truncate it, with
 *       {@code length}). Function calls: a named {@code tool_choice} calls that function;
 *       {@code required} calls the functions named in the last user message, or the first function;
 *       {@code auto} (the default) calls the named-in-message functions or answers; {@code none}
 *       answers. Arguments come from the function's {@code parameters} schema; the arguments' tokens
 *       are the choice's tokens and are never cut by {@code max_tokens}. Tool-assisted chat with
 *       built-in tools runs one ({@link BuiltInTools}) and answers after its result: the answer opens
 *       with a sentence stating the result, then the model continues. {@code promptTokens} counts the
 *       rendered messages only, not the tool's result turn.
 *   <li>Token texts: each {@link GeneratedToken#text()} is the text the token adds to the output, so
 *       they concatenate to the choice text ({@link TokenTexts}); {@link #tokenText} and the top
 *       alternatives show a token alone ({@code <0xXX>} for a partial character).
 * </ul>
 *
 * <p>Thread-safe; the per-thread sampler keeps two int arrays of the vocabulary's size.
 */
public final class TinyLanguageModel implements LanguageModel {

    public static final int DEFAULT_COMPLETION_TOKENS = 16;
    public static final int DEFAULT_CHAT_TOKENS = 256;
    public static final int CONTEXT_WINDOW = 32768;

    private final Vocabulary vocabulary = Vocabulary.standard();
    private final Tokenizer tokenizer = new Tokenizer(vocabulary);
    private final NextTokenModel model = new NextTokenModel(vocabulary);
    private final Decoder decoder = new Decoder(vocabulary, tokenizer, model);
    private final ThreadLocal<Sampler> samplers = ThreadLocal.withInitial(() -> new Sampler(vocabulary.size()));

    @Override
    public Generation generate(InferenceRequest request) {
        SamplingParams p = SamplingParams.of(request, tokenizer);
        long bodyHash = Mix.mix(Arrays.hashCode(RequestJson.write(request)));
        if (request instanceof ChatCompletionsRequest chat) {
            return chat(chat, p, bodyHash);
        }
        CompletionsRequest completions = (CompletionsRequest) request;
        List<IntList> prompts = completionPrompts(completions);
        List<GeneratedChoice> choices = new ArrayList<>(prompts.size() * p.n());
        int promptTokens = 0;
        for (IntList prompt : prompts) {
            promptTokens += prompt.size();
            for (int i = 0; i < p.n(); i++) {
                long seed = seed(p, i, bodyHash);
                choices.add(textChoice(choices.size(), seed, prompt, request.common().responseFormat(), p,
                        DEFAULT_COMPLETION_TOKENS, new int[0]));
            }
        }
        return new Generation(promptTokens, choices, List.of());
    }

    @Override
    public List<Integer> tokenize(String text) {
        IntList ids = tokenizer.encode(text);
        List<Integer> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            out.add(ids.get(i));
        }
        return out;
    }

    @Override
    public String detokenize(List<Integer> tokens) {
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokens.get(i);
        }
        return tokenizer.decode(ids, 0, ids.length);
    }

    @Override
    public int vocabularySize() {
        return vocabulary.size();
    }

    /** The model's next-token distribution after {@code context} (prompt tokens then output tokens). */
    public TokenDistribution distribution(List<Integer> context) {
        int[] ids = new int[context.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenizer.checkId(context.get(i));
        }
        return model.next(ids, ids.length);
    }

    /**
     * How token {@code id} reads on its own: its text, or {@code <0xXX>} for a byte token that is part
     * of a multi-byte character.
     */
    public String tokenText(int id) {
        return vocabulary.display(tokenizer.checkId(id));
    }

    /** The end-of-sequence token that closes an answer (and every chat turn). */
    public int endOfSequenceToken() {
        return vocabulary.endId();
    }

    /** The prompt tokens of a chat request after the chat template, as {@code usage.prompt_tokens} counts. */
    public List<Integer> chatPromptTokens(ChatCompletionsRequest request) {
        return tokenize(ChatTemplate.render(request));
    }

    private Generation chat(ChatCompletionsRequest request, SamplingParams p, long bodyHash) {
        IntList prompt = tokenizer.encode(ChatTemplate.render(request));
        ToolPlan plan = ToolPlan.of(request);
        List<GeneratedChoice> choices = new ArrayList<>(p.n());
        if (!plan.functionsToCall().isEmpty()) {
            checkPrompt(prompt.size());
            for (int i = 0; i < p.n(); i++) {
                choices.add(functionCallChoice(i, seed(p, i, bodyHash), prompt, plan, p.alternatives()));
            }
            return new Generation(prompt.size(), choices, List.of());
        }
        List<BuiltInToolRun> runs = List.of();
        IntList answerPrompt = prompt;
        int[] opening = new int[0];
        if (plan.builtInToRun() != null) {
            String callId = callId(bodyHash, 0, plan.builtInToRun().type());
            BuiltInToolRun run = BuiltInTools.run(plan.builtInToRun(), ChatTemplate.lastUserMessage(request), callId);
            runs = List.of(run);
            answerPrompt = IntList.of(prompt.toArray());
            String result = run.errorMessage() != null ? "error: " + run.errorMessage() : run.result();
            tokenizer.encode(ChatTemplate.toolTurn(result), answerPrompt);
            opening = tokenizer.encode(BuiltInTools.answerOpening(run)).toArray();
        }
        for (int i = 0; i < p.n(); i++) {
            choices.add(textChoice(i, seed(p, i, bodyHash), answerPrompt, request.common().responseFormat(), p,
                    DEFAULT_CHAT_TOKENS, opening));
        }
        return new Generation(prompt.size(), choices, runs);
    }

    private GeneratedChoice textChoice(
            int index, long seed, IntList prompt, ResponseFormat format, SamplingParams p, int defaultMax, int[] opening) {
        checkPrompt(prompt.size());
        int[] forced = p.forcedOutput();
        int fallbackMax = forced != null ? forced.length : defaultMax;
        int max = maxNew(p, prompt.size(), fallbackMax);
        Decoder.Decoded decoded;
        if (forced != null) {
            decoded = decoder.force(prompt, forced, max);
        } else {
            // The prompt is mixed in so that, like sampled text, structured output depends on the context.
            String structured = structuredOutput(format, Mix.mix(seed, contextHash(prompt)));
            if (structured != null) {
                decoded = decoder.force(prompt, tokenizer.encode(structured).toArray(), max);
            } else {
                int min = minNew(p, prompt.size(), max);
                decoded = decoder.sample(prompt, p, samplers.get(), seed, max, min, opening);
            }
        }
        return new GeneratedChoice(
                index,
                seed,
                decoder.score(decoded, p.alternatives()),
                decoder.text(decoded),
                decoded.finishReason(),
                List.of());
    }

    private GeneratedChoice functionCallChoice(int index, long seed, IntList prompt, ToolPlan plan, int alternatives) {
        List<GeneratedToolCall> calls = new ArrayList<>();
        StringBuilder allArguments = new StringBuilder();
        int k = 0;
        for (Tool.FunctionSpec function : plan.functionsToCall()) {
            String name = function.name();
            SplittableRandom random = new SplittableRandom(Mix.mix(Mix.mix(seed, contextHash(prompt)), k));
            JsonNode parameters = function.parameters();
            String arguments = parameters == null
                    ? "{}"
                    : new JsonSchemaWriter(vocabulary, parameters, random).write().toString();
            calls.add(new GeneratedToolCall(callId(seed, k, name), name, arguments));
            allArguments.append(arguments);
            k++;
        }
        Decoder.Decoded decoded = decoder.force(prompt, tokenizer.encode(allArguments.toString()).toArray(), Integer.MAX_VALUE);
        return new GeneratedChoice(index, seed, decoder.score(decoded, alternatives), null, "tool_calls", calls);
    }

    private static long contextHash(IntList prompt) {
        long h = prompt.size();
        for (int i = 0; i < prompt.size(); i++) {
            h = Mix.mix(h, prompt.get(i));
        }
        return h;
    }

    private String structuredOutput(ResponseFormat format, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        if (format instanceof ResponseFormat.JsonObject) {
            return JsonSchemaWriter.anyObject(vocabulary, random).toString();
        }
        if (format instanceof ResponseFormat.JsonSchema jsonSchema) {
            return new JsonSchemaWriter(vocabulary, jsonSchema.schema(), random).write().toString();
        }
        if (format instanceof ResponseFormat.Regex regex) {
            return RegexWriter.compile(regex.schema()).write(random);
        }
        return null;
    }

    private List<IntList> completionPrompts(CompletionsRequest request) {
        if (request.tokens() != null) {
            return List.of(checkedTokens(request.tokens().stream().mapToInt(Integer::intValue).toArray(), "tokens"));
        }
        if (request.prompt() instanceof Prompt.Texts texts) {
            List<IntList> out = new ArrayList<>(texts.texts().size());
            for (String text : texts.texts()) {
                out.add(tokenizer.encode(text));
            }
            return out;
        }
        return List.of(tokenizer.encode(((Prompt.Text) request.prompt()).text()));
    }

    private IntList checkedTokens(int[] ids, String field) {
        for (int id : ids) {
            try {
                tokenizer.checkId(id);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + ": " + e.getMessage());
            }
        }
        return IntList.of(ids);
    }

    private static void checkPrompt(int promptLength) {
        if (promptLength >= CONTEXT_WINDOW) {
            throw new IllegalArgumentException(
                    "the prompt has " + promptLength + " tokens; the context window is " + CONTEXT_WINDOW);
        }
    }

    private static int maxNew(SamplingParams p, int promptLength, int fallback) {
        int max = p.maxTokens() != null ? p.maxTokens() : fallback;
        if (p.maxTotalTokens() != null) {
            if (p.maxTotalTokens() <= promptLength) {
                throw new IllegalArgumentException("max_total_tokens (" + p.maxTotalTokens()
                        + ") leaves no room after the prompt's " + promptLength + " tokens");
            }
            int total = p.maxTotalTokens() - promptLength;
            max = p.maxTokens() != null ? Math.min(max, total) : total;
        }
        return Math.min(max, CONTEXT_WINDOW - promptLength);
    }

    private static int minNew(SamplingParams p, int promptLength, int max) {
        int min = p.minTokens();
        if (p.minTotalTokens() != null) {
            min = Math.max(min, p.minTotalTokens() - promptLength);
        }
        return Math.max(0, Math.min(min, max));
    }

    private static long seed(SamplingParams p, int choice, long bodyHash) {
        long[] seeds = p.seeds();
        if (seeds == null) {
            return Mix.mix(bodyHash, choice) & 0x7FFFFFFFL;
        }
        return seeds.length == 1 ? seeds[0] + choice : seeds[choice];
    }

    private static String callId(long seed, int index, String name) {
        long a = Mix.mix(seed, index * 31L + name.hashCode());
        long b = Mix.mix(a, name.length());
        return String.format(Locale.ROOT, "call_%016x%08x", a, b >>> 32);
    }
}
