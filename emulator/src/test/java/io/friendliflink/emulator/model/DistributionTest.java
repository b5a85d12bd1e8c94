package io.friendliflink.emulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistributionTest {

    private final TinyLanguageModel model = new TinyLanguageModel();

    @Test
    void probabilitiesOverTheWholeVocabularySumToOne() {
        List<List<Integer>> contexts = List.of(
                List.of(),
                model.tokenize("Hello"),
                model.tokenize("The quick brown fox."),
                model.tokenize("Answer: "),
                List.of(model.endOfSequenceToken()));
        for (List<Integer> context : contexts) {
            TokenDistribution d = model.distribution(context);
            double sum = 0;
            for (int id = 0; id < model.vocabularySize(); id++) {
                double logprob = d.logprob(id);
                assertThat(logprob).isLessThan(0);
                sum += Math.exp(logprob);
            }
            assertThat(sum).as("context %s", context).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void topAlternativesAreSortedAndAgreeWithLogprob() {
        TokenDistribution d = model.distribution(model.tokenize("It was a"));

        List<GeneratedToken.Alternative> top = d.top(40);

        assertThat(top).hasSize(40);
        for (int i = 1; i < top.size(); i++) {
            assertThat(top.get(i).logprob()).isLessThanOrEqualTo(top.get(i - 1).logprob());
        }
        for (GeneratedToken.Alternative a : top) {
            assertThat(a.logprob()).isEqualTo(d.logprob(a.id()));
            assertThat(a.text()).isEqualTo(model.tokenText(a.id()));
        }
        double best = top.get(0).logprob();
        for (int id = 0; id < model.vocabularySize(); id++) {
            assertThat(d.logprob(id)).isLessThanOrEqualTo(best);
        }
        assertThat(top.get(0).id()).isEqualTo(d.argmax());
    }

    @Test
    void theDistributionDependsOnTheContext() {
        TokenDistribution a = model.distribution(model.tokenize("one two three"));
        TokenDistribution b = model.distribution(model.tokenize("four five six"));

        assertThat(a.top(5)).isNotEqualTo(b.top(5));
    }

    @Test
    void theSameContextAlwaysGivesTheSameDistribution() {
        List<Integer> context = new ArrayList<>(model.tokenize("Determinism matters"));
        assertThat(new TinyLanguageModel().distribution(context).top(10)).isEqualTo(model.distribution(context).top(10));
    }

    @Test
    void runningTextPrefersWordTokens() {
        TokenDistribution d = model.distribution(model.tokenize("We went to the"));
        double wordMass = 0;
        for (GeneratedToken.Alternative a : d.top(24)) {
            if (a.text().matches(" [A-Za-z']+|[.,]")) {
                wordMass += Math.exp(a.logprob());
            }
        }
        assertThat(wordMass).isGreaterThan(0.99);
    }
}
