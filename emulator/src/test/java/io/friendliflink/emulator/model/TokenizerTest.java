package io.friendliflink.emulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenizerTest {

    private final TinyLanguageModel model = new TinyLanguageModel();

    @ParameterizedTest
    @ValueSource(strings = {
        "What is generative AI?",
        "The following are multiple choice questions (with answers) about math.\n\nAnswer: B",
        "{\"name\": \"value\", \"n\": [1, 2, 3]}",
        "Grüße aus Zürich, naïve café, Ελληνικά, русский, 日本語のテキスト",
        "emoji 🚀🔥 and a family 👨‍👩‍👧‍👦 with flags 🇰🇷",
        "tabs\tand\r\nnewlines\n\n  spaces   ",
        "<|start|>user<|sep|>hi<|end|>",
        "\u0000\u0001 control bytes \u007f"
    })
    void tokenizeThenDetokenizeGivesTheTextBack(String text) {
        List<Integer> ids = model.tokenize(text);

        assertThat(model.detokenize(ids)).isEqualTo(text);
        assertThat(ids).allSatisfy(id -> assertThat(id).isBetween(0, model.vocabularySize() - 1));
    }

    @Test
    void emptyTextHasNoTokens() {
        assertThat(model.tokenize("")).isEmpty();
        assertThat(model.detokenize(List.of())).isEmpty();
    }

    @Test
    void randomUnicodeStringsRoundTrip() {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                int cp;
                do {
                    cp = random.nextInt(4) == 0 ? random.nextInt(0x110000) : random.nextInt(0x80);
                } while (cp >= 0xD800 && cp <= 0xDFFF);
                text.appendCodePoint(cp);
            }
            assertThat(model.detokenize(model.tokenize(text.toString()))).isEqualTo(text.toString());
        }
    }

    @Test
    void commonWordsWithLeadingSpaceAreSingleTokens() {
        assertThat(model.tokenize(" the")).hasSize(1);
        assertThat(model.tokenize("The people of the world")).hasSize(5);
        assertThat(model.tokenize(" model")).hasSize(1);
    }

    @Test
    void longestMatchPrefersTheLongerToken() {
        List<Integer> ids = model.tokenize(" question");
        assertThat(ids).hasSize(1);
        assertThat(model.tokenText(ids.get(0))).isEqualTo(" question");
    }

    @Test
    void tokenIdsAreStableAcrossInstances() {
        String text = "Stable ids for the same text, always.";
        assertThat(new TinyLanguageModel().tokenize(text)).isEqualTo(model.tokenize(text));
    }

    @Test
    void aMultiByteCharacterWithoutItsOwnTokenFallsBackToByteTokens() {
        List<Integer> ids = model.tokenize("€");

        assertThat(ids).containsExactly(0xE2, 0x82, 0xAC);
        assertThat(model.tokenText(0xE2)).isEqualTo("<0xE2>");
        assertThat(model.tokenText('A')).isEqualTo("A");
    }

    @Test
    void detokenizeRejectsAnIdOutsideTheVocabulary() {
        assertThatThrownBy(() -> model.detokenize(List.of(model.vocabularySize())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token id " + model.vocabularySize());
    }

    @Test
    void vocabularyHasAFewThousandTokens() {
        assertThat(model.vocabularySize()).isBetween(2000, 10000);
    }
}
