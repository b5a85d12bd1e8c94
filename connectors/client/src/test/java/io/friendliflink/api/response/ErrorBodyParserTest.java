package io.friendliflink.api.response;

import static io.friendliflink.api.response.ResponseParserTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorBodyParserTest {

    @Test
    void openAiStyleErrorObjectGivesAllFourFields() {
        String body = """
                {"error":{"message":"temperature must be between 0 and 2","type":"invalid_request_error",
                          "param":"temperature","code":"invalid_value"}}""";

        assertThat(ErrorBodyParser.parse(bytes(body))).isEqualTo(new ApiError(
                "temperature must be between 0 and 2", "invalid_request_error", "temperature", "invalid_value", body));
    }

    @Test
    void numericCodeAndNullParamAreRead() {
        String body = "{\"error\":{\"message\":\"Rate limit exceeded\",\"type\":\"rate_limit\",\"param\":null,\"code\":429}}";

        ApiError e = ErrorBodyParser.parse(bytes(body));

        assertThat(e.code()).isEqualTo("429");
        assertThat(e.param()).isNull();
        assertThat(e.message()).isEqualTo("Rate limit exceeded");
    }

    @Test
    void errorAsABareStringIsTheMessage() {
        String body = "{\"error\":\"model 'llama3' not found, try pulling it first\"}";

        assertThat(ErrorBodyParser.parse(bytes(body)))
                .isEqualTo(new ApiError("model 'llama3' not found, try pulling it first", null, null, null, body));
    }

    @Test
    void topLevelMessageIsRead() {
        String body = "{\"message\":\"Invalid token\",\"code\":401}";

        assertThat(ErrorBodyParser.parse(bytes(body))).isEqualTo(new ApiError("Invalid token", null, null, "401", body));
    }

    @Test
    void detailStringIsTheMessage() {
        String body = "{\"detail\":\"Not Found\"}";

        assertThat(ErrorBodyParser.parse(bytes(body))).isEqualTo(new ApiError("Not Found", null, null, null, body));
    }

    @Test
    void fastApiValidationErrorsAreJoinedWithTheirLocations() {
        String body = """
                {"detail":[{"loc":["body","temperature"],"msg":"ensure this value is less than or equal to 2",
                            "type":"value_error.number.not_le","ctx":{"limit_value":2}},
                           {"loc":["body","messages",0,"role"],"msg":"field required","type":"value_error.missing"}]}""";

        ApiError e = ErrorBodyParser.parse(bytes(body));

        assertThat(e.message()).isEqualTo(
                "body.temperature: ensure this value is less than or equal to 2 (value_error.number.not_le); "
                        + "body.messages.0.role: field required (value_error.missing)");
        assertThat(e.type()).isEqualTo("value_error.number.not_le");
        assertThat(e.rawBody()).isEqualTo(body);
    }

    @Test
    void htmlBodyGivesItsShortenedTextAndKeepsTheWholeBody() {
        String body = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                + "<center><h1>502 Bad Gateway</h1></center>\r\n" + "<!-- padding -->\n".repeat(100) + "</body>\r\n</html>";

        ApiError e = ErrorBodyParser.parse(bytes(body));

        assertThat(e.message()).startsWith("<html> <head><title>502 Bad Gateway</title></head> <body> <center>");
        assertThat(e.message()).hasSizeLessThanOrEqualTo(ErrorBodyParser.MAX_MESSAGE_CHARS + 20)
                .endsWith("… (" + body.length() + " chars)");
        assertThat(e.rawBody()).isEqualTo(body);
        assertThat(e.type()).isNull();
        assertThat(e.code()).isNull();
    }

    @Test
    void shortPlainTextBodyIsTheMessageAsItIs() {
        assertThat(ErrorBodyParser.parse(bytes("upstream connect error or disconnect/reset before headers")))
                .isEqualTo(new ApiError("upstream connect error or disconnect/reset before headers", null, null, null,
                        "upstream connect error or disconnect/reset before headers"));
    }

    @Test
    void emptyAndNullBodiesSaySo() {
        assertThat(ErrorBodyParser.parse(new byte[0])).isEqualTo(new ApiError("(empty body)", null, null, null, ""));
        assertThat(ErrorBodyParser.parse((byte[]) null)).isEqualTo(new ApiError("(empty body)", null, null, null, ""));
    }

    @Test
    void jsonOfAnotherShapeOrBrokenJsonFallsBackToTheRawBody() {
        for (String body : new String[] {"{\"status\":\"error\",\"reason\":\"overloaded\"}", "[1,2,3]", "{\"error\":{\"message\":", "\"just a string\"", "{\"detail\":[]}"}) {
            ApiError e = ErrorBodyParser.parse(bytes(body));
            assertThat(e.message()).as(body).isEqualTo(body);
            assertThat(e.rawBody()).isEqualTo(body);
            assertThat(e.type()).isNull();
        }
    }

    @Test
    void errorObjectWithoutMessageFallsBackToTheBodyButKeepsItsFields() {
        String body = "{\"error\":{\"type\":\"server_error\",\"code\":503}}";

        assertThat(ErrorBodyParser.parse(bytes(body))).isEqualTo(new ApiError(body, "server_error", null, "503", body));
    }

    @Test
    void invalidUtf8DoesNotThrow() {
        ApiError e = ErrorBodyParser.parse(new byte[] {(byte) 0xC3, (byte) 0x28, 'x'});

        assertThat(e.rawBody()).hasSize(3);
        assertThat(e.message()).endsWith("(x");
    }
}
