package io.friendliflink.api.request;

import java.util.List;

/** The completions {@code prompt} field: one text, or a list of texts. */
public sealed interface Prompt {

    static Prompt of(String text) {
        return new Text(text);
    }

    static Prompt of(List<String> texts) {
        return new Texts(texts);
    }

    /** {@code "prompt": "..."}. */
    record Text(String text) implements Prompt {
        public Text {
            java.util.Objects.requireNonNull(text, "text");
        }
    }

    /** {@code "prompt": ["...", "..."]}. */
    record Texts(List<String> texts) implements Prompt {
        public Texts {
            texts = List.copyOf(texts);
        }
    }
}
