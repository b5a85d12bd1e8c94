package io.friendliflink.api.response;

import com.fasterxml.jackson.core.JsonParser;
import io.friendliflink.api.response.ParsedBody.ParsedChoice;
import io.friendliflink.api.response.ParsedBody.ToolCallPiece;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds one {@link InferenceResult} from a whole JSON body or from the chunks of a stream, so both paths
 * give the same result: text and tool-call arguments are concatenated per choice (and per tool-call
 * index), token ids and logprobs appended, the first id/type/name of a tool call kept, the last
 * {@code finish_reason}, seed and usage kept.
 *
 * <p>Shared by {@link ResponseParser} and {@code io.friendliflink.api.sse.StreamAssembler}; not meant for
 * other callers. Not thread-safe: one instance per response.
 */
public final class ResultAccumulator {
    /** What a merged body turned out to be. */
    public enum Merged {
        /** Its content was merged. */
        CONTENT,
        /** The older stream format's {@code complete} event: merged, and it ends the stream. */
        COMPLETE,
        /** It carries an {@code error} object instead of content; nothing was merged. */
        ERROR
    }

    private static final Comparator<ChoiceAccumulator> BY_INDEX = Comparator.comparingInt(c -> c.index);

    private String id;
    private String object;
    private String model;
    private Long created;
    private Usage usage;
    private boolean sawChoices;
    private boolean sawOutput;
    private List<ChoiceAccumulator> choices = new ArrayList<>(2);

    /** @throws MalformedBodyException when the text is not JSON or not of a documented shape */
    public Merged merge(byte[] json) {
        try (JsonParser p = JsonReading.FACTORY.createParser(json)) {
            return merge(BodyReader.read(p));
        } catch (IOException e) {
            throw notJson(e, new String(json, StandardCharsets.UTF_8));
        }
    }

    /** @throws MalformedBodyException when the text is not JSON or not of a documented shape */
    public Merged merge(String json) {
        try (JsonParser p = JsonReading.FACTORY.createParser(json)) {
            return merge(BodyReader.read(p));
        } catch (IOException e) {
            throw notJson(e, json);
        }
    }

    private static MalformedBodyException notJson(IOException e, String text) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return new MalformedBodyException(
                "not valid JSON (" + reason + "): " + JsonReading.shorten(text, 200), e);
    }

    private Merged merge(ParsedBody body) {
        if (body.hasError) {
            return Merged.ERROR;
        }
        if (id == null) {
            id = body.id;
        }
        if (object == null) {
            object = body.object;
        }
        if (model == null) {
            model = body.model;
        }
        if (created == null) {
            created = body.created;
        }
        if ("complete".equals(body.event)) {
            mergeComplete(body);
            return Merged.COMPLETE;
        }
        if ("token_sampled".equals(body.event) && body.topLevelChoice != null) {
            choiceAt(Math.max(body.topLevelChoice.index, 0)).append(body.topLevelChoice);
            sawOutput |= isOutput(body.topLevelChoice);
        }
        if (body.choices != null) {
            sawChoices = true;
            for (ParsedChoice choice : body.choices) {
                choiceAt(choice.index).append(choice);
                sawOutput |= isOutput(choice);
            }
        }
        if (body.usage != null) {
            usage = body.usage;
        }
        return Merged.CONTENT;
    }

    /**
     * The {@code complete} event's choices and usage are authoritative: they replace what the
     * {@code token_sampled} events built. What {@code complete} does not say (logprobs, say) is kept from
     * the streamed pieces rather than dropped.
     */
    private void mergeComplete(ParsedBody body) {
        if (body.choices != null) {
            sawChoices = true;
            List<ChoiceAccumulator> replaced = new ArrayList<>(body.choices.size());
            for (ParsedChoice choice : body.choices) {
                ChoiceAccumulator fresh = new ChoiceAccumulator(choice.index);
                fresh.append(choice);
                ChoiceAccumulator streamed = find(choices, choice.index);
                if (streamed != null) {
                    fresh.fillGapsFrom(streamed);
                }
                replaced.add(fresh);
            }
            choices = replaced;
        }
        if (body.usage != null) {
            usage = body.usage;
        }
    }

    /** Generated text, token ids or a tool call: what a stream's first token brings (a role alone does not). */
    private static boolean isOutput(ParsedChoice c) {
        return (c.text != null && !c.text.isEmpty()) || (c.tokens != null && !c.tokens.isEmpty())
                || (c.toolCalls != null && !c.toolCalls.isEmpty());
    }

    /** Whether any merged body carried generated output (text, token ids or a tool call). */
    public boolean sawOutput() {
        return sawOutput;
    }

    /** Whether any merged body had a {@code choices} field (a result body without one is malformed). */
    public boolean sawChoices() {
        return sawChoices;
    }

    /** The first {@code object} a merged body reported, or {@code null}. */
    public String object() {
        return object;
    }

    public int choiceCount() {
        return choices.size();
    }

    public InferenceResult build(String reportedObject, List<ToolStatusEvent> toolStatusEvents) {
        List<ChoiceAccumulator> ordered = new ArrayList<>(choices);
        ordered.sort(BY_INDEX);
        List<Choice> built = new ArrayList<>(ordered.size());
        for (ChoiceAccumulator c : ordered) {
            built.add(c.build());
        }
        return new InferenceResult(id, reportedObject, model, created, built, usage, toolStatusEvents);
    }

    private ChoiceAccumulator choiceAt(int index) {
        ChoiceAccumulator found = find(choices, index);
        if (found == null) {
            found = new ChoiceAccumulator(index);
            choices.add(found);
        }
        return found;
    }

    private static ChoiceAccumulator find(List<ChoiceAccumulator> in, int index) {
        for (int i = 0; i < in.size(); i++) {
            if (in.get(i).index == index) {
                return in.get(i);
            }
        }
        return null;
    }

    /** Text that is usually one piece (a whole body) and sometimes many (a stream): no copy for one piece. */
    private static final class Text {
        private String first;
        private StringBuilder more;

        void append(String piece) {
            if (first == null) {
                first = piece;
            } else {
                if (more == null) {
                    more = new StringBuilder(first.length() + piece.length() + 64).append(first);
                }
                more.append(piece);
            }
        }

        boolean absent() {
            return first == null;
        }

        String value() {
            return more != null ? more.toString() : first;
        }
    }

    private static final class ToolCallAccumulator {
        final int index;
        String id;
        String type;
        String name;
        final Text arguments = new Text();

        ToolCallAccumulator(int index) {
            this.index = index;
        }

        void append(ToolCallPiece piece) {
            if (id == null) {
                id = piece.id();
            }
            if (type == null) {
                type = piece.type();
            }
            if (name == null) {
                name = piece.name();
            }
            if (piece.arguments() != null) {
                arguments.append(piece.arguments());
            }
        }

        ToolCall build() {
            return new ToolCall(id, type, name, arguments.value());
        }
    }

    private static final class ChoiceAccumulator {
        final int index;
        Text text = new Text();
        String role;
        String finishReason;
        Long seed;
        ArrayList<Integer> tokens;
        ArrayList<TokenLogprob> logprobs;
        List<ToolCallAccumulator> toolCalls;

        ChoiceAccumulator(int index) {
            this.index = index;
        }

        void append(ParsedChoice c) {
            if (c.text != null) {
                text.append(c.text);
            }
            if (role == null) {
                role = c.role;
            }
            if (c.finishReason != null) {
                finishReason = c.finishReason;
            }
            if (c.seed != null) {
                seed = c.seed;
            }
            if (c.tokens != null) {
                if (tokens == null) {
                    tokens = c.tokens;
                } else {
                    tokens.addAll(c.tokens);
                }
            }
            if (c.logprobs != null) {
                if (logprobs == null) {
                    logprobs = c.logprobs;
                } else {
                    logprobs.addAll(c.logprobs);
                }
            }
            if (c.toolCalls != null) {
                for (int i = 0; i < c.toolCalls.size(); i++) {
                    ToolCallPiece piece = c.toolCalls.get(i);
                    // A whole body lists its calls without "index": their position is their index.
                    toolCallAt(piece.index() != null ? piece.index() : i).append(piece);
                }
            }
        }

        void fillGapsFrom(ChoiceAccumulator streamed) {
            if (text.absent()) {
                text = streamed.text;
            }
            if (role == null) {
                role = streamed.role;
            }
            if (finishReason == null) {
                finishReason = streamed.finishReason;
            }
            if (seed == null) {
                seed = streamed.seed;
            }
            if (tokens == null) {
                tokens = streamed.tokens;
            }
            if (logprobs == null) {
                logprobs = streamed.logprobs;
            }
            if (toolCalls == null) {
                toolCalls = streamed.toolCalls;
            }
        }

        private ToolCallAccumulator toolCallAt(int callIndex) {
            if (toolCalls == null) {
                toolCalls = new ArrayList<>(2);
            }
            for (ToolCallAccumulator call : toolCalls) {
                if (call.index == callIndex) {
                    return call;
                }
            }
            ToolCallAccumulator call = new ToolCallAccumulator(callIndex);
            toolCalls.add(call);
            return call;
        }

        Choice build() {
            List<ToolCall> calls = List.of();
            if (toolCalls != null) {
                List<ToolCallAccumulator> ordered = new ArrayList<>(toolCalls);
                ordered.sort(Comparator.comparingInt(t -> t.index));
                calls = new ArrayList<>(ordered.size());
                for (ToolCallAccumulator call : ordered) {
                    calls.add(call.build());
                }
            }
            return new Choice(
                    index,
                    text.value(),
                    role,
                    finishReason,
                    seed,
                    tokens,
                    calls,
                    logprobs == null ? null : new Logprobs(logprobs));
        }
    }
}
