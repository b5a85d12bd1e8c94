package io.friendliflink.api.response;

import static io.friendliflink.api.response.ResponseParserTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.api.ApiKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every logprobs shape the API has used maps onto {@link Logprobs} without losing a field. */
class LogprobsShapesTest {

    @Test
    void completionsShapeKeepsTokenLogprobOffsetAndAlternativesBestFirst() {
        String body = """
                {"id":"cmpl-7","object":"text_completion","model":"m","choices":[{"index":0,"seed":11,
                  "text":" Paris.","tokens":[12366,13],"finish_reason":"stop",
                  "logprobs":{"tokens":[" Paris","."],
                              "token_logprobs":[-0.0123,-0.4],
                              "top_logprobs":[{" Lyon":-5.1," Paris":-0.0123," Nice":-6.25},{"!":-1.9,".":-0.4}],
                              "text_offset":[28,34]}}],
                 "usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}
                """;

        Logprobs lp = parse(ApiKind.COMPLETIONS, body);

        assertThat(lp.content()).containsExactly(
                new TokenLogprob(" Paris", -0.0123, null, 28, List.of(
                        new TopLogprob(" Paris", -0.0123, null),
                        new TopLogprob(" Lyon", -5.1, null),
                        new TopLogprob(" Nice", -6.25, null))),
                new TokenLogprob(".", -0.4, null, 34, List.of(
                        new TopLogprob(".", -0.4, null),
                        new TopLogprob("!", -1.9, null))));
        assertThat(lp.sum()).isEqualTo(-0.4123, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void completionsEchoWithNullFirstLogprobMapsItToNaNAndNoAlternatives() {
        String body = """
                {"object":"text_completion","choices":[{"index":0,"text":"The capital of France is Paris",
                  "logprobs":{"tokens":["The"," capital"],"token_logprobs":[null,-3.5],
                              "top_logprobs":[null,{" capital":-3.5}],"text_offset":[0,3]}}]}
                """;

        Logprobs lp = parse(ApiKind.COMPLETIONS, body);

        assertThat(lp.content().get(0).token()).isEqualTo("The");
        assertThat(lp.content().get(0).logprob()).isNaN();
        assertThat(lp.content().get(0).topLogprobs()).isEmpty();
        assertThat(lp.content().get(0).textOffset()).isZero();
        assertThat(lp.content().get(1)).isEqualTo(
                new TokenLogprob(" capital", -3.5, null, 3, List.of(new TopLogprob(" capital", -3.5, null))));
        assertThat(lp.sum()).as("an unknown logprob is not silently counted as certainty").isNaN();
    }

    @Test
    void completionsTopLogprobsKeepDuplicateTokenTexts() {
        // Two token ids can decode to the same text; a map would keep only one of them.
        String body = """
                {"choices":[{"index":0,"text":" a","logprobs":{"tokens":[" a"],"token_logprobs":[-0.2],
                  "top_logprobs":[{" a":-0.2," a":-2.0}]}}]}
                """;

        TokenLogprob t = parse(ApiKind.COMPLETIONS, body).content().get(0);

        assertThat(t.topLogprobs()).containsExactly(new TopLogprob(" a", -0.2, null), new TopLogprob(" a", -2.0, null));
        assertThat(t.textOffset()).isNull();
    }

    @Test
    void forcedOutputTokensWithOnlyTokenLogprobsGiveEntriesWithoutText() {
        String body = """
                {"choices":[{"index":0,"text":" B","tokens":[426],"logprobs":{"token_logprobs":[-1.25]}}]}
                """;

        assertThat(parse(ApiKind.COMPLETIONS, body).content())
                .containsExactly(new TokenLogprob(null, -1.25, null, null, List.of()));
    }

    @Test
    void parallelArraysOfDifferentLengthsAreMalformed() {
        String body = """
                {"choices":[{"index":0,"text":"ab","logprobs":{"tokens":["a","b"],"token_logprobs":[-0.1]}}]}
                """;

        assertThatThrownBy(() -> ResponseParser.parse(ApiKind.COMPLETIONS, bytes(body)))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessage("choices[].logprobs: tokens has 2 entries but token_logprobs has 1; the arrays must be parallel");
    }

    @Test
    void chatShapeKeepsTokenLogprobBytesAndAlternativesBestFirst() {
        String body = """
                {"id":"chatcmpl-2","object":"chat.completion","created":1732200200,"model":"m",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi 👋"},"finish_reason":"stop",
                   "logprobs":{"content":[
                     {"token":"Hi","logprob":-0.01,"bytes":[72,105],
                      "top_logprobs":[{"token":"Hello","logprob":-4.6,"bytes":[72,101,108,108,111]},
                                      {"token":"Hi","logprob":-0.01,"bytes":[72,105]}]},
                     {"token":" 👋","logprob":-1.5,"bytes":[32,240,159,145,139],"top_logprobs":[]}],
                     "refusal":null}}]}
                """;

        Logprobs lp = parse(ApiKind.CHAT_COMPLETIONS, body);

        assertThat(lp.content()).containsExactly(
                new TokenLogprob("Hi", -0.01, List.of(72, 105), null, List.of(
                        new TopLogprob("Hi", -0.01, List.of(72, 105)),
                        new TopLogprob("Hello", -4.6, List.of(72, 101, 108, 108, 111)))),
                new TokenLogprob(" 👋", -1.5, List.of(32, 240, 159, 145, 139), null, List.of()));
    }

    @Test
    void chatShapeWithNullBytesAndNegativeInfinityIsRead() {
        // Python servers write json.dumps(float("-inf")) as -Infinity.
        String body = """
                {"choices":[{"index":0,"message":{"role":"assistant","content":"x"},
                  "logprobs":{"content":[{"token":"x","logprob":-Infinity,"bytes":null,"top_logprobs":null}]}}]}
                """;

        TokenLogprob t = parse(ApiKind.CHAT_COMPLETIONS, body).content().get(0);

        assertThat(t.logprob()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(t.bytes()).isNull();
        assertThat(t.topLogprobs()).isEmpty();
    }

    @Test
    void olderFlatListOfFloatsGivesEntriesWithNullTokenAndNaNForNull() {
        String body = """
                {"choices":[{"index":0,"text":" A","tokens":[362,13],"logprobs":[-0.1,-2.3,null]}]}
                """;

        Logprobs lp = parse(ApiKind.COMPLETIONS, body);

        assertThat(lp.content()).hasSize(3);
        assertThat(lp.content().subList(0, 2)).containsExactly(
                new TokenLogprob(null, -0.1, null, null, List.of()),
                new TokenLogprob(null, -2.3, null, null, List.of()));
        assertThat(lp.content().get(2).token()).isNull();
        assertThat(lp.content().get(2).logprob()).isNaN();
    }

    @Test
    void logprobsOfTheWrongTypeAreNamed() {
        String body = "{\"choices\":[{\"index\":0,\"text\":\"x\",\"logprobs\":\"high\"}]}";

        assertThatThrownBy(() -> ResponseParser.parse(ApiKind.COMPLETIONS, bytes(body)))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageStartingWith("choices[].logprobs: expected an object or an array of numbers but found a string");
    }

    private static Logprobs parse(ApiKind kind, String body) {
        Logprobs lp = ResponseParser.parse(kind, bytes(body)).choices().get(0).logprobs();
        assertThat(lp).isNotNull();
        return lp;
    }
}
