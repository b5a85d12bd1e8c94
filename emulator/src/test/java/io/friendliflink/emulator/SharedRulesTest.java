package io.friendliflink.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import io.friendliflink.api.request.DocumentedRules;
import io.friendliflink.api.request.DocumentedRules.Rule;
import io.friendliflink.client.ApiPaths;
import io.friendliflink.client.Deployment;
import io.friendliflink.lines.ParsedLine;
import io.friendliflink.lines.RequestDefaults;
import io.friendliflink.lines.RequestLineParser;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The job and the emulator accept and reject exactly the same bodies: every rule of {@link DocumentedRules},
 * a body that keeps it and a body that breaks it, goes to the job's request-line parser and over HTTP to a
 * running emulator with its default model. Among them are the rules the emulator's model used to judge
 * differently: {@code max_tokens} 0 and {@code repetition_penalty} below 1 on completions and tool-assisted chat.
 */
class SharedRulesTest {
    static Emulator emulator;
    static TestHttp http;

    private final RequestLineParser parser = new RequestLineParser(RequestDefaults.NONE, 4096);

    @BeforeAll
    static void start() {
        emulator = Emulator.start(EmulatorConfig.builder().ioThreads(1).build());
        http = new TestHttp(emulator);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    static Stream<Arguments> bodies() {
        List<Arguments> cases = new ArrayList<>();
        for (Rule rule : DocumentedRules.all()) {
            cases.add(Arguments.of(rule.name() + ", kept", rule, rule.validKind(), rule.valid(), true));
            cases.add(Arguments.of(rule.name() + ", broken", rule, rule.invalidKind(), rule.invalid(), false));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void theParserRejectsABodyExactlyWhenTheEmulatorAnswers422(String name, Rule rule, ApiKind kind, String body,
            boolean keeps) throws Exception {
        String url = ApiPaths.path(Deployment.SERVERLESS, kind);

        ParsedLine parsed = parser.parse("{\"custom_id\":\"c\",\"url\":\"" + url + "\",\"body\":" + body + "}");
        HttpResponse<String> answer = http.postJson(url, body);

        assertThat(parsed.isAccepted()).as("the parser on %s: %s", body, parsed.rejected()).isEqualTo(keeps);
        assertThat(answer.statusCode()).as("the emulator on %s: %s", body, answer.body()).isEqualTo(keeps ? 200 : 422);
        if (!keeps) {
            JsonNode error = TestHttp.json(answer.body()).get("error");
            assertThat(parsed.rejected().message()).contains(rule.field()).contains(rule.rule());
            // The same violations, in the same order: one set of rules, read from one representation.
            assertThat(error.get("message").asText()).isEqualTo("Invalid request: " + parsed.rejected().message());
        }
    }
}
