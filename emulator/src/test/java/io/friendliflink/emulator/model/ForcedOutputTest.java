package io.friendliflink.emulator.model;

import static io.friendliflink.emulator.model.Bodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.api.ApiKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForcedOutputTest {

    private static final String QUESTION = "The following are multiple choice questions (with answers) about math.\n\n"
            + "What is 2 + 2?\nA. 3\nB. 4\nC. 5\nD. 6\nAnswer:";

    private final TinyLanguageModel model = new TinyLanguageModel();

    private GeneratedChoice forced(List<Integer> tokens, int logprobs) {
        return Bodies.generate(model, ApiKind.COMPLETIONS, json("{\"model\":\"m\",\"prompt\":" + Bodies.quote(QUESTION)
                        + ",\"forced_output_tokens\":" + tokens + ",\"logprobs\":" + logprobs + "}"))
                .choices().get(0);
    }

    @Test
    void forcedTokensAreReturnedExactlyWithTheDistributionsLogprobs() {
        List<Integer> answer = model.tokenize(" B. 4, because two and two make four 🙂");

        GeneratedChoice choice = forced(answer, 0);

        assertThat(choice.tokens()).extracting(GeneratedToken::id).isEqualTo(answer);
        assertThat(choice.text()).isEqualTo(" B. 4, because two and two make four 🙂");
        assertThat(choice.finishReason()).isEqualTo("stop");
        List<Integer> context = new ArrayList<>(model.tokenize(QUESTION));
        for (GeneratedToken token : choice.tokens()) {
            assertThat(token.logprob()).isEqualTo(model.distribution(context).logprob(token.id()));
            context.add(token.id());
        }
    }

    @Test
    void aCharacterSplitOverByteTokensIsCarriedByTheTokenThatCompletesIt() {
        List<Integer> bytes = model.tokenize("€!");
        assertThat(bytes).hasSize(4);

        GeneratedChoice choice = forced(bytes, 0);

        assertThat(choice.tokens()).extracting(GeneratedToken::text).containsExactly("", "", "€", "!");
        assertThat(choice.text()).isEqualTo("€!");
    }

    @Test
    void scoringIsDeterministicAndDiffersBetweenCandidateAnswers() {
        double[] scores = new double[4];
        String[] letters = {" A", " B", " C", " D"};
        for (int i = 0; i < 4; i++) {
            List<Integer> tokens = model.tokenize(letters[i]);
            scores[i] = forced(tokens, 0).tokens().stream().mapToDouble(GeneratedToken::logprob).sum();
            double again = forced(tokens, 0).tokens().stream().mapToDouble(GeneratedToken::logprob).sum();
            assertThat(again).isEqualTo(scores[i]);
            assertThat(scores[i]).isNegative();
        }
        assertThat(scores).doesNotHaveDuplicates();
    }

    @Test
    void forcedOutputIsNotCutByTheDefaultMaxTokens() {
        List<Integer> long40 = model.tokenize(" one two three four five six seven eight nine ten eleven twelve "
                + "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty");
        assertThat(long40.size()).isGreaterThan(TinyLanguageModel.DEFAULT_COMPLETION_TOKENS);

        assertThat(forced(long40, 0).tokens()).hasSize(long40.size());
    }

    @Test
    void anExplicitMaxTokensTruncatesForcedOutputWithLength() {
        List<Integer> tokens = model.tokenize(" the answer is B");
        GeneratedChoice choice = Bodies.generate(model, ApiKind.COMPLETIONS, json(
                        "{\"model\":\"m\",\"prompt\":\"Q\",\"forced_output_tokens\":" + tokens + ",\"max_tokens\":2}"))
                .choices().get(0);

        assertThat(choice.tokens()).extracting(GeneratedToken::id).isEqualTo(tokens.subList(0, 2));
        assertThat(choice.finishReason()).isEqualTo("length");
    }

    @Test
    void topAlternativesAreSortedAndContainTheChosenTokenWhenItIsAmongTheTop() {
        GeneratedChoice choice = Bodies.generate(model, ApiKind.COMPLETIONS,
                        Bodies.completion("\"max_tokens\":20,\"logprobs\":5,\"seed\":3"))
                .choices().get(0);

        int chosenInTop = 0;
        for (GeneratedToken token : choice.tokens()) {
            assertThat(token.top()).hasSize(5);
            for (int i = 1; i < token.top().size(); i++) {
                assertThat(token.top().get(i).logprob()).isLessThanOrEqualTo(token.top().get(i - 1).logprob());
            }
            double worstTop = token.top().get(4).logprob();
            if (token.logprob() > worstTop) {
                assertThat(token.top()).extracting(GeneratedToken.Alternative::id).contains(token.id());
                chosenInTop++;
            }
        }
        assertThat(chosenInTop).isPositive();
    }

    @Test
    void chatReportsTopLogprobsOnlyWhenLogprobsIsTrue() {
        // top_logprobs without logprobs: true breaks the shared rules, so "without" leaves both out.
        GeneratedChoice with = Bodies.generate(model, ApiKind.CHAT_COMPLETIONS,
                Bodies.chat("Hello!", "\"logprobs\":true,\"top_logprobs\":3,\"max_tokens\":5")).choices().get(0);
        GeneratedChoice without = Bodies.generate(model, ApiKind.CHAT_COMPLETIONS,
                Bodies.chat("Hello!", "\"logprobs\":false,\"max_tokens\":5")).choices().get(0);

        assertThat(with.tokens()).allSatisfy(t -> assertThat(t.top()).hasSize(3));
        assertThat(without.tokens()).allSatisfy(t -> assertThat(t.top()).isEmpty());
    }

    @Test
    void aForcedTokenOutsideTheVocabularyIsRejectedNamingTheField() {
        assertThatThrownBy(() -> forced(List.of(1, model.vocabularySize() + 5), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("forced_output_tokens")
                .hasMessageContaining(String.valueOf(model.vocabularySize() + 5));
    }

    @Test
    void chatPromptTokensAreTheTemplatesTokenCount() {
        Generation generation = Bodies.generate(model, ApiKind.CHAT_COMPLETIONS, Bodies.chat("Hello!", "\"max_tokens\":3"));

        String rendered = "<|start|>system<|sep|>You are helpful.<|end|>\n<|start|>user<|sep|>Hello!<|end|>\n"
                + "<|start|>assistant<|sep|>";
        assertThat(generation.promptTokens()).isEqualTo(model.tokenize(rendered).size());
        assertThat(model.chatPromptTokens(Bodies.chatRequest(Bodies.chat("Hello!", "")))).isEqualTo(model.tokenize(rendered));
    }
}
