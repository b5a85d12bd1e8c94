package io.friendliflink.job.eval;

import io.friendliflink.client.FriendliClient;
import io.friendliflink.client.HttpStatusException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Token ids of the continuations, from the endpoint's {@code tokenize} call, each distinct text asked once.
 *
 * <p>A tokenizer may put special tokens (a BOS id) before every text it tokenizes; forced output must not
 * hold them. They are found once by tokenizing two texts that share no first character ({@code "A"} and
 * {@code "B"}): the ids both start with are such a prefix and are cut from every continuation that has it.
 * Calls run {@value #IN_FLIGHT} at a time; a call answered 429 or 5xx, or lost in transport, is tried again
 * up to {@value #ATTEMPTS} times with a growing pause (this runs in the client before the job, not on an
 * event loop).
 */
final class TokenCache {
    static final int IN_FLIGHT = 32;
    static final int ATTEMPTS = 6;

    private final FriendliClient client;
    private final String model;
    private final Map<String, int[]> cache = new HashMap<>();
    private List<Integer> specialPrefix;

    TokenCache(FriendliClient client, String model) {
        this.client = client;
        this.model = model;
    }

    /** Tokenizes every text not yet cached. */
    void load(Set<String> texts) throws InterruptedException {
        if (specialPrefix == null) {
            List<List<Integer>> probe = tokenizeAll(List.of("A", "B"));
            specialPrefix = commonPrefix(probe.get(0), probe.get(1));
        }
        List<String> missing = new ArrayList<>(new LinkedHashSet<>(texts));
        missing.removeIf(cache::containsKey);
        List<List<Integer>> ids = tokenizeAll(missing);
        for (int i = 0; i < missing.size(); i++) {
            List<Integer> t = ids.get(i);
            if (!specialPrefix.isEmpty() && t.size() > specialPrefix.size()
                    && t.subList(0, specialPrefix.size()).equals(specialPrefix)) {
                t = t.subList(specialPrefix.size(), t.size());
            }
            if (t.isEmpty()) {
                throw new IllegalStateException("the endpoint's tokenize call gave no tokens for \"" + missing.get(i)
                        + "\"; a continuation must have at least one token");
            }
            cache.put(missing.get(i), t.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    int[] tokens(String text) {
        int[] t = cache.get(text);
        if (t == null) {
            throw new IllegalStateException("\"" + text + "\" was not tokenized");
        }
        return t;
    }

    List<Integer> specialPrefix() {
        return specialPrefix;
    }

    int size() {
        return cache.size();
    }

    private List<List<Integer>> tokenizeAll(List<String> texts) throws InterruptedException {
        List<List<Integer>> out = new ArrayList<>(texts.size());
        for (int start = 0; start < texts.size(); start += IN_FLIGHT) {
            List<String> batch = texts.subList(start, Math.min(texts.size(), start + IN_FLIGHT));
            out.addAll(tokenizeBatch(batch));
        }
        return out;
    }

    private List<List<Integer>> tokenizeBatch(List<String> batch) throws InterruptedException {
        List<List<Integer>> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(null);
        }
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            List<Integer> pending = new ArrayList<>();
            List<CompletableFuture<List<Integer>>> futures = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (out.get(i) == null) {
                    pending.add(i);
                    futures.add(client.tokenize(model, batch.get(i)));
                }
            }
            if (pending.isEmpty()) {
                return out;
            }
            for (int j = 0; j < pending.size(); j++) {
                try {
                    out.set(pending.get(j), futures.get(j).get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
                    if (cause instanceof HttpStatusException h && h.status() != 429 && h.status() < 500) {
                        throw new IllegalStateException("tokenize of \"" + batch.get(pending.get(j)) + "\" failed: "
                                + h.getMessage(), h);
                    }
                    last = cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
                }
            }
            if (out.stream().anyMatch(x -> x == null) && attempt < ATTEMPTS) {
                Thread.sleep(200L << attempt);
            }
        }
        if (out.stream().anyMatch(x -> x == null)) {
            throw new IllegalStateException("tokenize failed after " + ATTEMPTS + " attempts: " + last.getMessage(),
                    last);
        }
        return out;
    }

    static List<Integer> commonPrefix(List<Integer> a, List<Integer> b) {
        int n = 0;
        while (n < a.size() && n < b.size() && a.get(n).equals(b.get(n))) {
            n++;
        }
        return List.copyOf(a.subList(0, n));
    }
}
