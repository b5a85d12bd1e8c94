package io.friendliflink.api.request;

import static io.friendliflink.api.ApiKind.CHAT_COMPLETIONS;
import static io.friendliflink.api.ApiKind.COMPLETIONS;
import static io.friendliflink.api.ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS;
import static io.friendliflink.api.request.DocumentedRules.body;
import static io.friendliflink.api.request.DocumentedRules.chat;
import static io.friendliflink.api.request.DocumentedRules.completions;
import static io.friendliflink.api.request.Json.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.api.ApiKind;
import io.friendliflink.api.request.DocumentedRules.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestCheckTest {
    static Stream<Rule> rules() {
        return DocumentedRules.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void aBodyKeepingTheRuleHasNoViolations(Rule rule) {
        CheckedRequest checked = RequestCheck.check(rule.validKind(), parse(rule.valid()));

        assertThat(checked.violations()).as(rule.valid()).isEmpty();
        assertThat(checked.isValid()).isTrue();
        assertThat(checked.request()).isNotNull();
        assertThat(RequestCheck.check(checked.request())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void aBodyBreakingTheRuleGetsAViolationNamingFieldValueAndRule(Rule rule) {
        CheckedRequest checked = RequestCheck.check(rule.invalidKind(), parse(rule.invalid()));

        assertThat(checked.isValid()).isFalse();
        assertThat(checked.violations()).as(rule.invalid()).hasSize(1);
        Violation violation = checked.violations().get(0);
        assertThat(violation.field()).isEqualTo(rule.field());
        assertThat(violation.value()).isEqualTo(rule.value());
        assertThat(violation.rule()).contains(rule.rule());
        assertThat(violation.message()).contains(rule.field()).contains(rule.rule());
        if (rule.value() != null) {
            assertThat(violation.message()).contains(rule.field() + "=" + rule.value());
        }
        // A typed request that could be read breaks the same rules when checked directly.
        if (checked.request() != null) {
            assertThat(RequestCheck.check(checked.request())).isEqualTo(checked.violations());
        }
    }

    @Test
    void everyBrokenRuleOfOneBodyIsReportedInOneAnswer() {
        CheckedRequest checked = RequestCheck.check(COMPLETIONS, parse(
                "{\"model\":\"m\",\"prompt\":\"p\",\"temperature\":\"hot\",\"top_p\":1.5,\"n\":2,\"num_beams\":40,\"x\":1}"));

        assertThat(checked.violations()).extracting(Violation::message).containsExactlyInAnyOrder(
                "temperature=\"hot\": must be a number",
                "top_p=1.5: must be in (0, 1]",
                "num_beams=40: must be between 1 and 31",
                "n=2: must not be greater than 1 with beam search (num_beams)",
                "top_p=1.5: is not allowed with beam_search_type DETERMINISTIC (the default with num_beams)");
        assertThat(checked.request()).isNull();
    }

    @Test
    void aFieldWithTheWrongTypeIsNotReportedAgainAsMissing() {
        CheckedRequest checked = RequestCheck.check(CHAT_COMPLETIONS,
                parse("{\"model\":\"m\",\"messages\":\"hello\",\"stream\":1,\"stream_options\":{\"include_usage\":true}}"));

        assertThat(checked.violations()).extracting(Violation::field).containsExactlyInAnyOrder("messages", "stream");
    }

    @Test
    void aBodyThatIsNotAnObjectIsAViolationNotAnException() {
        for (String body : List.of("[1]", "\"text\"", "42", "null", "true")) {
            CheckedRequest checked = RequestCheck.check(CHAT_COMPLETIONS, parse(body));

            assertThat(checked.request()).isNull();
            assertThat(checked.violations()).extracting(Violation::message).containsExactly("body=" + body + ": must be a JSON object");
        }
        assertThat(RequestCheck.check(COMPLETIONS, null).violations())
                .extracting(Violation::message).containsExactly("body: must be a JSON object");
    }

    @Test
    void aKindThatIsNotAGenerationIsAViolationNotAnException() {
        CheckedRequest checked = RequestCheck.check(ApiKind.TOKENIZE, parse("{\"model\":\"m\",\"prompt\":\"p\"}"));

        assertThat(checked.violations()).extracting(Violation::message)
                .containsExactly("kind=TOKENIZE: must be COMPLETIONS, CHAT_COMPLETIONS or TOOL_ASSISTED_CHAT_COMPLETIONS");
    }

    static Stream<Arguments> everyFieldWithAWrongType() {
        List<Arguments> cases = new ArrayList<>();
        RequestJsonRoundTripTest.COMPLETIONS_FIELDS.forEach(f -> cases.add(Arguments.of(COMPLETIONS, f[0])));
        RequestJsonRoundTripTest.CHAT_FIELDS.forEach(f -> cases.add(Arguments.of(CHAT_COMPLETIONS, f[0])));
        RequestJsonRoundTripTest.CHAT_FIELDS.forEach(f -> cases.add(Arguments.of(TOOL_ASSISTED_CHAT_COMPLETIONS, f[0])));
        return cases.stream().distinct();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyFieldWithAWrongType")
    void aValueOfTheWrongTypeInAnyFieldIsAViolationOfThatField(ApiKind kind, String field) {
        for (String wrong : List.of("[true]", "[[]]", "[{\"a\":null}, 3]")) {
            CheckedRequest checked = RequestCheck.check(kind, Json.with(body(kind, ""), field, wrong));

            assertThat(checked.request()).isNull();
            assertThat(checked.violations()).as(wrong).isNotEmpty().allSatisfy(v -> {
                assertThat(v.field()).startsWith(field);
                assertThat(v.message()).startsWith(v.value() == null ? v.field() + ": " : v.field() + "=" + v.value() + ": ");
            });
        }
    }

    @Test
    void requireValidPassesAValidTypedRequestThrough() {
        CompletionsRequest request = CompletionsRequest.builder("m").prompt(Prompt.of("p")).topP(0.5).build();

        assertThat(RequestCheck.requireValid(request)).isSameAs(request);
    }

    @Test
    void requireValidRejectsAnInvalidTypedRequestWithEveryMessage() {
        ChatCompletionsRequest request = ChatCompletionsRequest.builder("m")
                .messages(List.of(ChatMessage.user("hi")))
                .tools(List.of(Tool.builtIn(BuiltInTool.MATH_CALCULATOR)))
                .topLogprobs(2)
                .build();

        assertThatThrownBy(() -> RequestCheck.requireValid(request))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("top_logprobs=2: requires logprobs: true")
                .hasMessageContaining("tools[0].type=\"math:calculator\": is a built-in tool")
                .satisfies(e -> assertThat(((InvalidRequestException) e).violations()).hasSize(2));
    }

    @Test
    void documentedDefaultsAndNoOpsAreAccepted() {
        // beam_search_type without num_beams is documented as ignored, not forbidden.
        assertThat(RequestCheck.check(COMPLETIONS, parse(completions("\"beam_search_type\":\"DETERMINISTIC\",\"top_k\":5")))
                .violations()).isEmpty();
        // The lowest max_total_tokens; whether it leaves room after the prompt is for the server's tokenizer.
        assertThat(RequestCheck.check(COMPLETIONS, parse(completions("\"max_total_tokens\":1"))).violations()).isEmpty();
        // An empty tools array is not "tools specified".
        assertThat(RequestCheck.check(CHAT_COMPLETIONS, parse(chat("\"tools\":[],\"min_tokens\":1"))).violations()).isEmpty();
        // Built-in and function tools mix on tool-assisted chat, and a named choice may pick the function.
        assertThat(RequestCheck.check(TOOL_ASSISTED_CHAT_COMPLETIONS, parse(chat("\"tools\":[{\"type\":\"math:calculator\"},"
                + "{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":{\"type\":\"function\","
                + "\"function\":{\"name\":\"f\"}},\"resume_generation\":true,\"parallel_tool_calls\":false"))).violations()).isEmpty();
    }

    @Test
    void aHugeOffendingValueIsCutShortInTheMessage() {
        String huge = "x".repeat(10_000);
        CheckedRequest checked = RequestCheck.check(COMPLETIONS, parse(completions("\"temperature\":\"" + huge + "\"")));

        assertThat(checked.violations().get(0).value()).hasSizeLessThan(Values.MAX_LENGTH + 10).startsWith("\"xxx");
    }
}
