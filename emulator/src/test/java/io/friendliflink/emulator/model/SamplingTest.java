package io.friendliflink.emulator.model;

import static io.friendliflink.emulator.model.Bodies.completion;
import static io.friendliflink.emulator.model.Bodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplingTest {

    private final TinyLanguageModel model = new TinyLanguageModel();

    private GeneratedChoice first(JsonNode body) {
        return Bodies.generate(model, ApiKind.COMPLETIONS, body).choices().get(0);
    }

    private GeneratedChoice firstChat(JsonNode body) {
        return Bodies.generate(model, ApiKind.CHAT_COMPLETIONS, body).choices().get(0);
    }

    private static List<Integer> ids(GeneratedChoice choice) {
        return choice.tokens().stream().map(GeneratedToken::id).toList();
    }

    @Test
    void theSameBodyGivesTheSameGeneration() {
        JsonNode body = completion("\"max_tokens\":30,\"n\":3,\"temperature\":1.2,\"logprobs\":2");

        assertThat(Bodies.generate(new TinyLanguageModel(), ApiKind.COMPLETIONS, body))
                .isEqualTo(Bodies.generate(model, ApiKind.COMPLETIONS, body));
    }

    @Test
    void differentSeedsUsuallyGiveDifferentOutputs() {
        Set<String> texts = new HashSet<>();
        for (int seed = 0; seed < 10; seed++) {
            texts.add(first(completion("\"max_tokens\":20,\"seed\":" + seed)).text());
        }
        assertThat(texts).hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void withoutASeedOneIsDrawnFromTheBodyAndReported() {
        GeneratedChoice drawn = first(completion("\"max_tokens\":20"));
        GeneratedChoice replayed = first(completion("\"max_tokens\":20,\"seed\":" + drawn.seed()));

        assertThat(drawn.seed()).isNotNegative();
        assertThat(replayed.text()).isEqualTo(drawn.text());
    }

    @Test
    void temperatureZeroPicksTheArgmaxAtEveryStep() {
        GeneratedChoice choice = first(completion("\"max_tokens\":40,\"temperature\":0"));

        List<Integer> context = new ArrayList<>(model.tokenize("The quick brown fox"));
        for (GeneratedToken token : choice.tokens()) {
            assertThat(token.id()).isEqualTo(model.distribution(context).argmax());
            context.add(token.id());
        }
        assertThat(choice.tokens()).isNotEmpty();
    }

    @Test
    void topKOfOneIsGreedyWhateverTheSeed() {
        GeneratedChoice greedy = first(completion("\"max_tokens\":25,\"temperature\":0"));
        for (int seed = 0; seed < 5; seed++) {
            GeneratedChoice topK = first(completion("\"max_tokens\":25,\"top_k\":1,\"seed\":" + seed));
            assertThat(ids(topK)).isEqualTo(ids(greedy));
        }
    }

    @Test
    void aVerySmallTopPOrMinPOfOneIsGreedy() {
        GeneratedChoice greedy = first(completion("\"max_tokens\":25,\"temperature\":0"));

        assertThat(ids(first(completion("\"max_tokens\":25,\"top_p\":0.001,\"seed\":3")))).isEqualTo(ids(greedy));
        assertThat(ids(first(completion("\"max_tokens\":25,\"min_p\":1.0,\"seed\":3")))).isEqualTo(ids(greedy));
    }

    @Test
    void topKLimitsSamplingToTheKMostLikelyTokens() {
        for (int seed = 0; seed < 20; seed++) {
            GeneratedChoice choice = first(completion("\"max_tokens\":12,\"top_k\":3,\"temperature\":5,\"seed\":" + seed));
            List<Integer> context = new ArrayList<>(model.tokenize("The quick brown fox"));
            for (GeneratedToken token : choice.tokens()) {
                List<Integer> top3 = model.distribution(context).top(3).stream()
                        .map(GeneratedToken.Alternative::id).toList();
                assertThat(top3).contains(token.id());
                context.add(token.id());
            }
        }
    }

    @Test
    void aStopPhraseEndsGenerationAndIsExcludedFromTextAndTokens() {
        GeneratedChoice free = first(completion("\"max_tokens\":40,\"temperature\":0"));
        String text = free.text();
        assertThat(text.length()).isGreaterThan(12);
        // A phrase starting inside a token: the token's bytes before the phrase must survive.
        String phrase = text.substring(8, 11);
        int expectedCut = text.indexOf(phrase);

        GeneratedChoice stopped = first(completion(
                "\"max_tokens\":40,\"temperature\":0,\"stop\":[" + Bodies.quote(phrase) + "]"));

        assertThat(stopped.finishReason()).isEqualTo("stop");
        assertThat(stopped.text()).isEqualTo(text.substring(0, expectedCut)).doesNotContain(phrase);
        assertThat(model.detokenize(ids(stopped))).isEqualTo(stopped.text());
        assertThat(String.join("", stopped.tokens().stream().map(GeneratedToken::text).toList()))
                .isEqualTo(stopped.text());
    }

    @Test
    void aStopTokenEndsGenerationWithStopAndIsNotReturned() {
        GeneratedChoice free = first(completion("\"max_tokens\":40,\"temperature\":0"));
        int stopId = free.tokens().get(5).id();
        int firstAt = ids(free).indexOf(stopId);

        GeneratedChoice viaStopTokens = first(completion(
                "\"max_tokens\":40,\"temperature\":0,\"stop_tokens\":[{\"tokens\":[" + stopId + "]}]"));
        GeneratedChoice viaEos = first(completion("\"max_tokens\":40,\"temperature\":0,\"eos_token\":[" + stopId + "]"));

        assertThat(viaStopTokens.finishReason()).isEqualTo("stop");
        assertThat(ids(viaStopTokens)).isEqualTo(ids(free).subList(0, firstAt));
        assertThat(viaEos.finishReason()).isEqualTo("stop");
        assertThat(ids(viaEos)).isEqualTo(ids(free).subList(0, firstAt));
    }

    @Test
    void theModelsOwnEndTokenStopsWithoutBeingReturned() {
        int end = model.endOfSequenceToken();
        GeneratedChoice choice = firstChat(Bodies.chat("Hi", "\"max_tokens\":200,\"logit_bias\":{\"" + end + "\":100}"));

        assertThat(choice.finishReason()).isEqualTo("stop");
        assertThat(choice.tokens()).isEmpty();
        assertThat(choice.text()).isEmpty();
    }

    @Test
    void maxTokensEndsGenerationWithLengthAsAPrefixOfTheLongerRun() {
        GeneratedChoice longer = first(completion("\"max_tokens\":200,\"seed\":11,\"min_tokens\":30"));
        GeneratedChoice cut = first(completion("\"max_tokens\":7,\"seed\":11,\"min_tokens\":7"));

        assertThat(cut.finishReason()).isEqualTo("length");
        assertThat(cut.tokens()).hasSize(7);
        assertThat(ids(cut)).isEqualTo(ids(longer).subList(0, 7));
    }

    @Test
    void withoutMaxTokensACompletionStopsAtSixteenTokens() {
        GeneratedChoice choice = first(completion("\"min_tokens\":16"));

        assertThat(choice.tokens()).hasSize(TinyLanguageModel.DEFAULT_COMPLETION_TOKENS);
        assertThat(choice.finishReason()).isEqualTo("length");
    }

    @Test
    void minTokensPreventsAnEarlierStop() {
        int end = model.endOfSequenceToken();
        String bias = "\"logit_bias\":{\"" + end + "\":100}";

        GeneratedChoice choice = firstChat(Bodies.chat("Hi", "\"max_tokens\":50,\"min_tokens\":9," + bias));

        assertThat(choice.tokens()).hasSize(9);
        assertThat(choice.finishReason()).isEqualTo("stop");
    }

    @Test
    void minTokensKeepsStopTokensFromBeingSampledEarly() {
        GeneratedChoice free = first(completion("\"max_tokens\":40,\"temperature\":0,\"min_tokens\":40"));
        int early = free.tokens().get(1).id();

        GeneratedChoice choice = first(completion("\"max_tokens\":40,\"temperature\":0,\"min_tokens\":12,"
                + "\"stop_tokens\":[{\"tokens\":[" + early + "]}]"));

        assertThat(choice.tokens().size()).isGreaterThanOrEqualTo(12);
        assertThat(ids(choice).subList(0, 12)).doesNotContain(early);
    }

    @Test
    void minTokensIgnoresStopPhrasesInsideTheFirstTokens() {
        GeneratedChoice free = first(completion("\"max_tokens\":40,\"temperature\":0,\"min_tokens\":40"));
        String phrase = free.tokens().get(2).text();

        GeneratedChoice choice = first(completion("\"max_tokens\":40,\"temperature\":0,\"min_tokens\":12,"
                + "\"stop\":[" + Bodies.quote(phrase) + "]"));

        assertThat(choice.tokens().size()).isGreaterThanOrEqualTo(12);
        assertThat(choice.tokens().subList(0, 12)).isEqualTo(free.tokens().subList(0, 12));
    }

    @Test
    void maxTotalTokensCountsThePrompt() {
        int prompt = model.tokenize("The quick brown fox").size();

        Generation generation = Bodies.generate(model, ApiKind.COMPLETIONS,
                completion("\"max_total_tokens\":" + (prompt + 5) + ",\"min_total_tokens\":" + (prompt + 5)));

        assertThat(generation.promptTokens()).isEqualTo(prompt);
        assertThat(generation.choices().get(0).tokens()).hasSize(5);
        assertThat(generation.choices().get(0).finishReason()).isEqualTo("length");
    }

    @Test
    void maxTotalTokensThatLeavesNoRoomIsRejected() {
        assertThatThrownBy(() -> Bodies.generate(model, ApiKind.COMPLETIONS, completion("\"max_total_tokens\":2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max_total_tokens");
    }

    @Test
    void aSeedArrayGivesEachChoiceItsOwnSeed() {
        Generation generation = Bodies.generate(model, ApiKind.COMPLETIONS, completion("\"n\":3,\"seed\":[5,6,7],\"max_tokens\":15"));

        assertThat(generation.choices()).extracting(GeneratedChoice::seed).containsExactly(5L, 6L, 7L);
        assertThat(generation.choices()).extracting(GeneratedChoice::index).containsExactly(0, 1, 2);
        for (GeneratedChoice choice : generation.choices()) {
            GeneratedChoice alone = first(completion("\"seed\":" + choice.seed() + ",\"max_tokens\":15"));
            assertThat(alone.tokens()).isEqualTo(choice.tokens());
        }
    }

    @Test
    void aPromptArrayGivesNChoicesPerPromptIndexedInOrder() {
        JsonNode body = json("{\"model\":\"m\",\"prompt\":[\"One fish\",\"Two fish\"],\"n\":2,\"max_tokens\":5}");

        Generation generation = Bodies.generate(model, ApiKind.COMPLETIONS, body);

        assertThat(generation.choices()).extracting(GeneratedChoice::index).containsExactly(0, 1, 2, 3);
        assertThat(generation.promptTokens())
                .isEqualTo(model.tokenize("One fish").size() + model.tokenize("Two fish").size());
    }

    @Test
    void tokensPromptIsTheSameAsItsText() {
        List<Integer> ids = model.tokenize("The quick brown fox");
        JsonNode byTokens = json("{\"model\":\"m\",\"tokens\":" + ids + ",\"max_tokens\":10,\"seed\":4}");

        assertThat(first(byTokens).tokens()).isEqualTo(first(completion("\"max_tokens\":10,\"seed\":4")).tokens());
    }

    @Test
    void logitBiasMakesATokenWin() {
        int word = model.tokenize(" cluster").get(0);

        GeneratedChoice biased = firstChat(Bodies.chat("Hi", "\"max_tokens\":6,\"logit_bias\":{\"" + word + "\":50}"));

        assertThat(ids(biased)).containsOnly(word);
    }

    @Test
    void badWordsForbidATokenTheModelWouldPick() {
        String greedy = "\"max_tokens\":6,\"min_tokens\":6,\"temperature\":0";
        int word = first(completion(greedy)).tokens().get(0).id();

        GeneratedChoice banned = first(completion(greedy + ",\"bad_words\":[" + Bodies.quote(model.tokenText(word)) + "]"));

        assertThat(model.tokenize(model.tokenText(word))).containsExactly(word);
        assertThat(ids(banned)).doesNotContain(word).hasSize(6);
    }

    @Test
    void badWordTokenSequencesForbidOnlyTheirLastTokenAfterTheRestOfTheSequence() {
        GeneratedChoice free = first(completion("\"max_tokens\":20,\"temperature\":0,\"min_tokens\":20"));
        int a = free.tokens().get(3).id();
        int b = free.tokens().get(4).id();

        GeneratedChoice choice = first(completion("\"max_tokens\":20,\"temperature\":0,\"min_tokens\":20,"
                + "\"bad_word_tokens\":[{\"tokens\":[" + a + "," + b + "]}]"));

        assertThat(ids(choice).subList(0, 4)).isEqualTo(ids(free).subList(0, 4));
        assertThat(choice.tokens().get(4).id()).isNotEqualTo(b);
    }

    @Test
    void penaltiesChangeGreedyOutputOnceTokensRepeat() {
        GeneratedChoice greedy = first(completion("\"max_tokens\":60,\"temperature\":0,\"min_tokens\":60"));
        GeneratedChoice penalized = first(completion(
                "\"max_tokens\":60,\"temperature\":0,\"min_tokens\":60,\"presence_penalty\":2,\"frequency_penalty\":2"));
        GeneratedChoice repetition = first(completion(
                "\"max_tokens\":60,\"temperature\":0,\"min_tokens\":60,\"repetition_penalty\":3"));

        long distinctGreedy = ids(greedy).stream().distinct().count();
        assertThat(ids(penalized).stream().distinct().count()).isGreaterThan(distinctGreedy);
        assertThat(ids(repetition).stream().distinct().count()).isGreaterThan(distinctGreedy);
    }

    @Test
    void reportedLogprobsAreTheUnfilteredDistributionsValues() {
        GeneratedChoice choice = first(completion("\"max_tokens\":15,\"temperature\":1.7,\"top_k\":5,\"seed\":9"));

        List<Integer> context = new ArrayList<>(model.tokenize("The quick brown fox"));
        for (GeneratedToken token : choice.tokens()) {
            assertThat(token.logprob()).isEqualTo(model.distribution(context).logprob(token.id()));
            context.add(token.id());
        }
    }

    @Test
    void tokenTextsConcatenateToTheChoiceText() {
        for (int seed = 0; seed < 20; seed++) {
            GeneratedChoice choice = first(completion("\"max_tokens\":30,\"temperature\":3,\"seed\":" + seed));
            assertThat(String.join("", choice.tokens().stream().map(GeneratedToken::text).toList()))
                    .isEqualTo(choice.text());
            assertThat(model.detokenize(ids(choice))).isEqualTo(choice.text());
        }
    }

    @Test
    void greedyTextReadsLikeWords() {
        String text = first(completion("\"max_tokens\":30,\"temperature\":0,\"min_tokens\":30")).text();

        assertThat(text).matches("[A-Za-z ,.']+");
    }
}
