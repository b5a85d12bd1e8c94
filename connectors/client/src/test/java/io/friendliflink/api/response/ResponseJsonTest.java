package io.friendliflink.api.response;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.friendliflink.api.ApiKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A parsed answer written back as the API's body reads as the same answer, in either API's shape. */
class ResponseJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CHAT_LOGPROBS = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1732200001,"model":"m","choices":[{"index":0,
              "message":{"role":"assistant","content":"Hi there"},"finish_reason":"length",
              "logprobs":{"content":[
                {"token":"Hi","logprob":-0.25,"bytes":[72,105],"top_logprobs":[
                  {"token":"Hi","logprob":-0.25,"bytes":[72,105]},{"token":"Hello","logprob":-1.5,"bytes":null}]},
                {"token":" there","logprob":-0.75,"bytes":null,"top_logprobs":[]}]}}],
             "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}
            """;

    private static final String COMPLETIONS_LOGPROBS = """
            {"id":"cmpl-7","object":"text_completion","model":"m","choices":[{"index":0,"seed":11,
              "text":" Paris.","tokens":[12366,13],"finish_reason":"stop",
              "logprobs":{"tokens":[" Paris","."],"token_logprobs":[-0.0123,-0.4],
                          "top_logprobs":[{" Lyon":-5.1," Paris":-0.0123},{".":-0.4}],"text_offset":[28,34]}}],
             "usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11,
                      "prompt_tokens_details":{"cached_tokens":4}}}
            """;

    private static final String ECHO = """
            {"object":"text_completion","choices":[{"index":0,"text":"The capital","finish_reason":"length",
              "logprobs":{"tokens":["The"," capital"],"token_logprobs":[null,-3.5],
                          "top_logprobs":[null,{" capital":-3.5}],"text_offset":[0,3]}}]}
            """;

    @ParameterizedTest
    @CsvSource({"COMPLETIONS, completions", "CHAT_COMPLETIONS, chatToolCalls", "CHAT_COMPLETIONS, chatLogprobs",
        "COMPLETIONS, completionsLogprobs", "COMPLETIONS, echo"})
    void aWrittenResultParsesBackToTheSameResult(ApiKind kind, String name) throws Exception {
        String body = switch (name) {
            case "completions" -> ResponseParserTest.COMPLETIONS_BODY;
            case "chatToolCalls" -> ResponseParserTest.CHAT_TOOL_CALLS_BODY;
            case "chatLogprobs" -> CHAT_LOGPROBS;
            case "completionsLogprobs" -> COMPLETIONS_LOGPROBS;
            default -> ECHO;
        };
        InferenceResult parsed = ResponseParser.parse(kind, body.getBytes(StandardCharsets.UTF_8));

        String written = ResponseJson.write(parsed);

        assertThat(JSON.readTree(written).isObject()).as(written).isTrue();
        assertThat(ResponseParser.parse(kind, written.getBytes(StandardCharsets.UTF_8))).as(written)
                .isEqualTo(parsed); // records: an unknown (NaN) log-probability equals itself
    }
}
