package io.friendliflink.emulator.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs the decoding loop of one choice and scores tokens under the model.
 *
 * <p>Stopping: the model's {@code <|end|>} token, any id of {@code stop_tokens} or {@code eos_token}
 * ends generation with {@code stop} and is not part of the output; neither are they sampled before
 * {@code min_tokens} tokens exist. A stop phrase ends generation too: the text is cut where the phrase
 * starts, the tokens wholly before it are kept, and the bytes of the token in which the phrase starts
 * that precede it are tokenized again, so the returned tokens still spell the returned text exactly.
 * Phrases are only looked for after the first {@code min_tokens} tokens.
 */
final class Decoder {

    /**
     * The outcome: {@code context} holds the prompt followed by the output tokens; {@code known} holds
     * the distributions already computed for the first output positions (null where not computed).
     */
    record Decoded(IntList context, int promptLength, String finishReason, List<TokenDistribution> known) {
        int outputLength() {
            return context.size() - promptLength;
        }
    }

    private final Vocabulary vocabulary;
    private final Tokenizer tokenizer;
    private final NextTokenModel model;

    Decoder(Vocabulary vocabulary, Tokenizer tokenizer, NextTokenModel model) {
        this.vocabulary = vocabulary;
        this.tokenizer = tokenizer;
        this.model = model;
    }

    /**
     * Samples up to {@code maxNew} tokens after {@code prompt}.
     *
     * @param prefix tokens emitted first as they are (a templated opening), counted in {@code maxNew}
     */
    Decoded sample(
            IntList prompt, SamplingParams p, Sampler sampler, long seed, int maxNew, int minNew, int[] prefix) {
        IntList context = new IntList(prompt.size() + Math.min(maxNew, 4096) + 1);
        context.addAll(prompt);
        int promptLength = prompt.size();
        IntList output = new IntList(Math.min(maxNew, 4096) + 1);
        IntList tokenEnds = new IntList(Math.min(maxNew, 4096) + 1);
        ByteBuilder bytes = new ByteBuilder();
        IntList banned = new IntList(8);
        SplittableRandom random = new SplittableRandom(seed);
        List<TokenDistribution> known = new ArrayList<>(Math.min(maxNew, 256));
        for (int step = 0; step < maxNew; step++) {
            int id;
            TokenDistribution d = null;
            if (step < prefix.length) {
                id = prefix[step];
            } else {
                d = model.next(contextArray(context), context.size());
                ban(p, output, minNew, banned);
                double uniform = random.nextDouble();
                id = sampler.choose(d, p, prompt, output, bannedArray(banned), banned.size(), uniform);
                if (id == vocabulary.endId() || p.isStopToken(id)) {
                    return new Decoded(context, promptLength, "stop", known);
                }
            }
            known.add(d);
            int start = bytes.length();
            output.add(id);
            context.add(id);
            bytes.append(vocabulary.bytes(id));
            tokenEnds.add(bytes.length());
            if (p.stopPhrases().length > 0 && output.size() >= minNew) {
                int minOffset = minNew == 0 ? 0 : tokenEnds.get(minNew - 1);
                int at = findStop(p.stopPhrases(), bytes, start, minOffset);
                if (at >= 0) {
                    int kept = cut(context, promptLength, tokenEnds, bytes, at);
                    return new Decoded(context, promptLength, "stop", known.subList(0, kept));
                }
            }
        }
        return new Decoded(context, promptLength, "length", known);
    }

    /** Emits {@code tokens} as given, truncated to {@code maxNew} ({@code length}) or whole ({@code stop}). */
    Decoded force(IntList prompt, int[] tokens, int maxNew) {
        IntList context = new IntList(prompt.size() + tokens.length);
        context.addAll(prompt);
        int count = Math.min(tokens.length, maxNew);
        context.addAll(tokens, 0, count);
        return new Decoded(context, prompt.size(), count < tokens.length ? "length" : "stop", List.of());
    }

    /** The generated tokens with their log-probabilities under the unmodified model distribution. */
    List<GeneratedToken> score(Decoded decoded, int alternatives) {
        int[] context = contextArray(decoded.context());
        int from = decoded.promptLength();
        int to = decoded.context().size();
        String[] texts = TokenTexts.split(vocabulary, context, from, to);
        List<GeneratedToken> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            int position = i - from;
            TokenDistribution d = position < decoded.known().size() ? decoded.known().get(position) : null;
            if (d == null) {
                d = model.next(context, i);
            }
            int id = context[i];
            out.add(new GeneratedToken(
                    id, texts[i - from], d.logprob(id), alternatives > 0 ? d.top(alternatives) : List.of()));
        }
        return out;
    }

    String text(Decoded decoded) {
        return tokenizer.decode(contextArray(decoded.context()), decoded.promptLength(), decoded.context().size());
    }

    private static int[] contextArray(IntList list) {
        return list.rawArray();
    }

    private static int[] bannedArray(IntList list) {
        return list.rawArray();
    }

    private void ban(SamplingParams p, IntList output, int minNew, IntList banned) {
        banned.truncate(0);
        for (int[] word : p.badWords()) {
            int prefixLength = word.length - 1;
            if (output.size() < prefixLength) {
                continue;
            }
            boolean matches = true;
            for (int k = 0; k < prefixLength && matches; k++) {
                matches = output.get(output.size() - prefixLength + k) == word[k];
            }
            if (matches) {
                banned.add(word[prefixLength]);
            }
        }
        if (output.size() < minNew) {
            banned.add(vocabulary.endId());
            for (int id : p.stopTokens()) {
                if (id >= 0 && id < vocabulary.size()) {
                    banned.add(id);
                }
            }
        }
    }

    /** The earliest start of a stop phrase that ends in the newest token's bytes, or -1. */
    private static int findStop(byte[][] phrases, ByteBuilder bytes, int newStart, int minOffset) {
        byte[] raw = bytes.raw();
        int end = bytes.length();
        int best = -1;
        for (byte[] phrase : phrases) {
            int first = Math.max(minOffset, newStart - phrase.length + 1);
            for (int s = first; s + phrase.length <= end; s++) {
                if (best >= 0 && s >= best) {
                    break;
                }
                if (regionMatches(raw, s, phrase)) {
                    best = s;
                    break;
                }
            }
        }
        return best;
    }

    private static boolean regionMatches(byte[] raw, int at, byte[] phrase) {
        for (int k = 0; k < phrase.length; k++) {
            if (raw[at + k] != phrase[k]) {
                return false;
            }
        }
        return true;
    }

    /** Cuts the output at byte {@code at}; returns how many sampled tokens were kept unchanged. */
    private int cut(IntList context, int promptLength, IntList tokenEnds, ByteBuilder bytes, int at) {
        int keep = 0;
        while (tokenEnds.get(keep) <= at) {
            keep++;
        }
        int partialStart = keep == 0 ? 0 : tokenEnds.get(keep - 1);
        context.truncate(promptLength + keep);
        tokenizer.encode(bytes.raw(), partialStart, at, context);
        return keep;
    }
}
