package io.friendliflink.emulator.model;

import static io.friendliflink.emulator.model.Bodies.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StructuredOutputTest {

    private static final String PERSON_SCHEMA = """
            {"type":"object","properties":{
               "name":{"type":"string","minLength":2},
               "age":{"type":"integer","minimum":18,"maximum":99},
               "score":{"type":"number","minimum":0,"maximum":1},
               "member":{"type":"boolean"},
               "tier":{"enum":["gold","silver","bronze"]},
               "tags":{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":3},
               "address":{"type":"object","properties":{
                   "city":{"type":"string"},
                   "zip":{"type":"string","pattern":"[0-9]{5}"}},
                 "required":["city","zip"],"additionalProperties":false}},
             "required":["name","age","score","member","tier","tags","address"],
             "additionalProperties":false}""";

    private final TinyLanguageModel model = new TinyLanguageModel();

    private GeneratedChoice answer(String responseFormat, int seed) {
        return Bodies.generate(model, ApiKind.CHAT_COMPLETIONS, chat("Answer in the requested format.",
                        "\"max_tokens\":500,\"seed\":" + seed + ",\"response_format\":" + responseFormat))
                .choices().get(0);
    }

    @Test
    void jsonObjectOutputIsAJsonObject() {
        for (int seed = 0; seed < 20; seed++) {
            GeneratedChoice choice = answer("{\"type\":\"json_object\"}", seed);
            JsonNode parsed = Bodies.json(choice.text());
            assertThat(parsed.isObject()).isTrue();
            assertThat(choice.finishReason()).isEqualTo("stop");
        }
    }

    @Test
    void jsonSchemaOutputParsesAndValidates() {
        JsonNode schema = Bodies.json(PERSON_SCHEMA);
        for (int seed = 0; seed < 30; seed++) {
            GeneratedChoice choice = answer("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"person\",\"schema\":"
                    + PERSON_SCHEMA + "}}", seed);
            assertThat(SchemaCheck.errors(schema, Bodies.json(choice.text()))).as(choice.text()).isEmpty();
        }
    }

    @Test
    void jsonSchemaSupportsRefsAndNullableTypes() {
        String schema = """
                {"type":"object","$defs":{"point":{"type":"object","properties":{"x":{"type":"number"},
                   "y":{"type":"number"}},"required":["x","y"]}},
                 "properties":{"from":{"$ref":"#/$defs/point"},"to":{"$ref":"#/$defs/point"},
                   "label":{"type":["string","null"]}},
                 "required":["from","to","label"]}""";
        GeneratedChoice choice = answer("{\"type\":\"json_schema\",\"json_schema\":{\"schema\":" + schema + "}}", 1);

        JsonNode parsed = Bodies.json(choice.text());
        assertThat(parsed.path("from").path("x").isNumber()).isTrue();
        assertThat(parsed.path("to").path("y").isNumber()).isTrue();
        assertThat(parsed.path("label").isTextual()).isTrue();
    }

    @Test
    void structuredOutputTokensSpellTheTextAndCarryTheModelsLogprobs() {
        GeneratedChoice choice = answer("{\"type\":\"json_object\"}", 4);

        List<Integer> ids = choice.tokens().stream().map(GeneratedToken::id).toList();
        assertThat(model.detokenize(ids)).isEqualTo(choice.text());
        List<Integer> context = new ArrayList<>(model.chatPromptTokens(Bodies.chatRequest(chat("Answer in the requested format.", ""))));
        for (GeneratedToken token : choice.tokens()) {
            assertThat(token.logprob()).isEqualTo(model.distribution(context).logprob(token.id()));
            context.add(token.id());
        }
    }

    @Test
    void aSmallMaxTokensTruncatesStructuredOutputWithLength() {
        GeneratedChoice choice = Bodies.generate(model, ApiKind.CHAT_COMPLETIONS, chat("JSON please",
                        "\"max_tokens\":3,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":"
                                + PERSON_SCHEMA + "}}"))
                .choices().get(0);

        assertThat(choice.tokens()).hasSize(3);
        assertThat(choice.finishReason()).isEqualTo("length");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[A-Z][a-z]{2,5} \\d{3}-\\d{4}",
        "^(yes|no|maybe)$",
        "\\w+@\\w+\\.(com|org)",
        "(?:ab|cd)*e?f+",
        "[^aeiou\\s]{4}",
        "\\(\\d+\\) [a-f0-9]{8}",
        "(?<year>19|20)\\d\\d-(0[1-9]|1[0-2])",
        "a.b\\.c\\s\\S\\D\\W",
        "[-+]?[0-9]*\\.?[0-9]+",
        "x{3}y{0,2}z{1,}?"
    })
    void regexOutputMatchesTheRegex(String regex) {
        Pattern pattern = Pattern.compile(regex);
        for (int seed = 0; seed < 25; seed++) {
            GeneratedChoice choice = answer("{\"type\":\"regex\",\"schema\":" + Bodies.quote(regex) + "}", seed);
            assertThat(choice.text()).matches(pattern);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"(a)\\1", "(?=a)b", "\\bword", "a*+", "(?i)abc", "\\p{L}+", "[abc", "a)"})
    void regexOutsideTheSubsetIsRejectedWithAClearMessage(String regex) {
        assertThatThrownBy(() -> answer("{\"type\":\"regex\",\"schema\":" + Bodies.quote(regex) + "}", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("regex")
                .hasMessageContaining(regex);
    }

    @Test
    void anUnknownSchemaTypeIsRejected() {
        assertThatThrownBy(() -> answer(
                        "{\"type\":\"json_schema\",\"json_schema\":{\"schema\":{\"type\":\"date\"}}}", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type 'date'");
    }
}
