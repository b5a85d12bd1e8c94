package io.friendliflink.emulator.model;

import static io.friendliflink.emulator.model.Bodies.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import org.junit.jupiter.api.Test;

class ToolsTest {

    private static final String WEATHER_PARAMETERS = """
            {"type":"object","properties":{
               "location":{"type":"string"},
               "unit":{"enum":["celsius","fahrenheit"]},
               "days":{"type":"integer","minimum":1,"maximum":7}},
             "required":["location","unit","days"]}""";
    private static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"description\":\"Weather\",\"parameters\":" + WEATHER_PARAMETERS + "}},"
            + "{\"type\":\"function\",\"function\":{\"name\":\"send_email\",\"parameters\":{\"type\":\"object\","
            + "\"properties\":{\"to\":{\"type\":\"string\"},\"urgent\":{\"type\":\"boolean\"}},\"required\":[\"to\",\"urgent\"]}}}]";

    private final TinyLanguageModel model = new TinyLanguageModel();

    private GeneratedChoice chatChoice(String message, String toolChoice) {
        String extra = "\"tools\":" + TOOLS + (toolChoice == null ? "" : ",\"tool_choice\":" + toolChoice);
        return Bodies.generate(model, ApiKind.CHAT_COMPLETIONS, chat(message, extra)).choices().get(0);
    }

    @Test
    void requiredCallsAFunctionWithArgumentsMatchingItsParameters() {
        GeneratedChoice choice = chatChoice("Hello there", "\"required\"");

        assertThat(choice.finishReason()).isEqualTo("tool_calls");
        assertThat(choice.text()).isNull();
        assertThat(choice.toolCalls()).hasSize(1);
        GeneratedToolCall call = choice.toolCalls().get(0);
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.id()).matches("call_[0-9a-f]{24}");
        assertThat(SchemaCheck.errors(Bodies.json(WEATHER_PARAMETERS), Bodies.json(call.argumentsJson()))).isEmpty();
        assertThat(model.detokenize(choice.tokens().stream().map(GeneratedToken::id).toList()))
                .isEqualTo(call.argumentsJson());
    }

    @Test
    void aNamedFunctionIsCalled() {
        GeneratedChoice choice = chatChoice("What is the weather in Paris?",
                "{\"type\":\"function\",\"function\":{\"name\":\"send_email\"}}");

        assertThat(choice.finishReason()).isEqualTo("tool_calls");
        assertThat(choice.toolCalls()).extracting(GeneratedToolCall::name).containsExactly("send_email");
        JsonNode arguments = Bodies.json(choice.toolCalls().get(0).argumentsJson());
        assertThat(arguments.path("to").isTextual()).isTrue();
        assertThat(arguments.path("urgent").isBoolean()).isTrue();
    }

    @Test
    void autoCallsTheFunctionsTheUserMentions() {
        GeneratedChoice choice = chatChoice("Please get weather for Seoul and send email to Kim", null);

        assertThat(choice.finishReason()).isEqualTo("tool_calls");
        assertThat(choice.toolCalls()).extracting(GeneratedToolCall::name).containsExactly("get_weather", "send_email");
        assertThat(choice.toolCalls()).extracting(GeneratedToolCall::id).doesNotHaveDuplicates();
    }

    @Test
    void autoWithoutAMentionAnswersWithText() {
        GeneratedChoice choice = chatChoice("Tell me a story", "\"auto\"");

        assertThat(choice.toolCalls()).isEmpty();
        assertThat(choice.text()).isNotNull();
        assertThat(choice.finishReason()).isIn("stop", "length");
    }

    @Test
    void noneAnswersWithTextEvenWhenAFunctionIsMentioned() {
        GeneratedChoice choice = chatChoice("get_weather for Rome", "\"none\"");

        assertThat(choice.toolCalls()).isEmpty();
        assertThat(choice.text()).isNotNull();
    }

    @Test
    void parallelToolCallsFalseCallsOnlyOneFunction() {
        JsonNode body = chat("get weather and send email", "\"tools\":" + TOOLS + ",\"parallel_tool_calls\":false");

        GeneratedChoice choice = Bodies.generate(model, ApiKind.CHAT_COMPLETIONS, body).choices().get(0);

        assertThat(choice.toolCalls()).extracting(GeneratedToolCall::name).containsExactly("get_weather");
    }

    @Test
    void toolCallsAreDeterministic() {
        assertThat(chatChoice("Hello there", "\"required\"")).isEqualTo(chatChoice("Hello there", "\"required\""));
    }

    @Test
    void toolAssistedChatRunsTheCalculatorAndAnswersWithItsResult() {
        JsonNode body = chat("What is 12 * (3 + 4) - 2^3?",
                "\"tools\":[{\"type\":\"web:search\"},{\"type\":\"math:calculator\"}],\"max_tokens\":30");

        Generation generation = Bodies.generate(model, ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, body);

        assertThat(generation.toolRuns()).hasSize(1);
        BuiltInToolRun run = generation.toolRuns().get(0);
        assertThat(run.name()).isEqualTo("math:calculator");
        assertThat(run.parameters()).containsExactly(new BuiltInToolRun.Parameter("expression", "12 * (3 + 4) - 2^3"));
        assertThat(run.result()).isEqualTo("76");
        assertThat(run.errorMessage()).isNull();
        assertThat(run.toolCallId()).startsWith("call_");
        assertThat(generation.choices().get(0).text()).startsWith("The result is 76.");
    }

    @Test
    void toolAssistedChatPicksTheToolByKeywordOrElseTheFirst() {
        JsonNode search = chat("Search the latest flink news",
                "\"tools\":[{\"type\":\"math:calculator\"},{\"type\":\"web:search\"}]");
        JsonNode fallback = chat("Hello", "\"tools\":[{\"type\":\"code:python-interpreter\"},{\"type\":\"web:url\"}]");

        BuiltInToolRun searchRun = Bodies.generate(model, ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, search).toolRuns().get(0);
        BuiltInToolRun fallbackRun = Bodies.generate(model, ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, fallback).toolRuns().get(0);

        assertThat(searchRun.name()).isEqualTo("web:search");
        assertThat(searchRun.parameters()).containsExactly(
                new BuiltInToolRun.Parameter("query", "Search the latest flink news"));
        assertThat(searchRun.result()).isNotBlank();
        assertThat(fallbackRun.name()).isEqualTo("code:python-interpreter");
    }

    @Test
    void statisticsAndCalendarComputeRealAnswers() {
        BuiltInToolRun stats = Bodies.generate(model, ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS,
                chat("What is the mean of 2, 4, 4, 4, 5, 5, 7, 9?", "\"tools\":[{\"type\":\"math:statistics\"}]"))
                .toolRuns().get(0);
        BuiltInToolRun calendar = Bodies.generate(model, ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS,
                chat("Which day is 2024-02-29?", "\"tools\":[{\"type\":\"math:calendar\"}]"))
                .toolRuns().get(0);

        assertThat(stats.result()).contains("count 8", "mean 5", "median 4.5", "min 2", "max 9");
        assertThat(calendar.result()).isEqualTo("2024-02-29 is a Thursday.");
    }

    @Test
    void aCalculatorErrorIsReportedAsTheRunsError() {
        BuiltInToolRun run = Bodies.generate(model, ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS,
                chat("Compute 5 / (3 - 3) please", "\"tools\":[{\"type\":\"math:calculator\"}]"))
                .toolRuns().get(0);

        assertThat(run.result()).isNull();
        assertThat(run.errorMessage()).contains("division by zero");
    }

    @Test
    void toolChoiceNoneRunsNoBuiltInTool() {
        Generation generation = Bodies.generate(model, ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS,
                chat("What is 1 + 1?", "\"tools\":[{\"type\":\"math:calculator\"}],\"tool_choice\":\"none\""));

        assertThat(generation.toolRuns()).isEmpty();
        assertThat(generation.choices().get(0).text()).isNotNull();
    }
}
