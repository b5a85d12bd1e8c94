package io.friendliflink.api.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.api.ApiKind;
import io.friendliflink.api.response.ApiError;
import io.friendliflink.api.response.Choice;
import io.friendliflink.api.response.InferenceResult;
import io.friendliflink.api.response.Logprobs;
import io.friendliflink.api.response.MalformedBodyException;
import io.friendliflink.api.response.ResponseParser;
import io.friendliflink.api.response.TokenLogprob;
import io.friendliflink.api.response.ToolCall;
import io.friendliflink.api.response.ToolStatusEvent;
import io.friendliflink.api.response.TopLogprob;
import io.friendliflink.api.response.Usage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamAssemblerTest {
    private static final String CHAT_HEAD =
            "{\"id\":\"chatcmpl-9d1e04\",\"object\":\"chat.completion.chunk\",\"created\":1732200000,"
                    + "\"model\":\"meta-llama-3.1-8b-instruct\",\"choices\":[";

    /** Two parallel tool calls whose arguments arrive in pieces, interleaved, then the usage chunk. */
    static final String CHAT_TOOL_CALL_STREAM = sse(
            CHAT_HEAD + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null},\"finish_reason\":null}]}",
            CHAT_HEAD + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_wx1\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}",
            CHAT_HEAD + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"loca\"}}]},"
                    + "\"finish_reason\":null}]}",
            CHAT_HEAD + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_tm2\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"get_time\",\"arguments\":\"{\\\"timezone\\\":\"}}]},\"finish_reason\":null}]}",
            CHAT_HEAD + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                    + "\"tion\\\":\\\"Seoul\\\",\\\"unit\\\":\\\"celsius\\\"}\"}},"
                    + "{\"index\":1,\"function\":{\"arguments\":\"\\\"Asia/Seoul\\\"}\"}}]},\"finish_reason\":null}]}",
            CHAT_HEAD + "{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
            "{\"id\":\"chatcmpl-9d1e04\",\"object\":\"chat.completion.chunk\",\"created\":1732200000,"
                    + "\"model\":\"meta-llama-3.1-8b-instruct\",\"choices\":[],\"usage\":{\"prompt_tokens\":120,"
                    + "\"completion_tokens\":40,\"total_tokens\":160,\"prompt_tokens_details\":{\"cached_tokens\":96}}}",
            "[DONE]");

    /** The same response as one JSON body. */
    static final String CHAT_TOOL_CALL_BODY = """
            {"id":"chatcmpl-9d1e04","object":"chat.completion","created":1732200000,"model":"meta-llama-3.1-8b-instruct",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
               {"id":"call_wx1","type":"function","function":{"name":"get_weather","arguments":"{\\"location\\":\\"Seoul\\",\\"unit\\":\\"celsius\\"}"}},
               {"id":"call_tm2","type":"function","function":{"name":"get_time","arguments":"{\\"timezone\\":\\"Asia/Seoul\\"}"}}]},
               "finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":120,"completion_tokens":40,"total_tokens":160,"prompt_tokens_details":{"cached_tokens":96}}}
            """;

    @Test
    void parallelToolCallPiecesAssembleIntoTheSameResultAsTheJsonBody() {
        InferenceResult streamed = assemble(ApiKind.CHAT_COMPLETIONS, CHAT_TOOL_CALL_STREAM);

        assertThat(streamed.choices().get(0).toolCalls()).containsExactly(
                new ToolCall("call_wx1", "function", "get_weather", "{\"location\":\"Seoul\",\"unit\":\"celsius\"}"),
                new ToolCall("call_tm2", "function", "get_time", "{\"timezone\":\"Asia/Seoul\"}"));
        assertThat(streamed.usage()).isEqualTo(new Usage(120, 40, 160, 96));
        assertThat(streamed.object()).isEqualTo("chat.completion");
        assertThat(streamed).isEqualTo(ResponseParser.parse(ApiKind.CHAT_COMPLETIONS, utf8(CHAT_TOOL_CALL_BODY)));
    }

    @Test
    void resultIsTheSameWhateverTheNetworkSplit() {
        InferenceResult whole = assemble(ApiKind.CHAT_COMPLETIONS, CHAT_TOOL_CALL_STREAM);
        byte[] bytes = utf8(CHAT_TOOL_CALL_STREAM);
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            StreamAssembler assembler = new StreamAssembler(ApiKind.CHAT_COMPLETIONS);
            SseParser parser = new SseParser(assembler::accept);
            for (int i = 0; i < bytes.length; ) {
                int n = Math.min(bytes.length - i, 1 + random.nextInt(40));
                parser.feed(bytes, i, n);
                i += n;
            }
            parser.end();
            assertThat(assembler.finish()).isEqualTo(whole);
        }
    }

    @Test
    void chatContentAndLogprobsAreConcatenatedPerChoiceIndex() {
        String head = "{\"id\":\"chatcmpl-5\",\"object\":\"chat.completion.chunk\",\"created\":1732200300,\"model\":\"m\",\"choices\":[";
        String stream = sse(
                head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null},"
                        + "{\"index\":1,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}",
                head + "{\"index\":1,\"delta\":{\"content\":\"Bon\"},\"logprobs\":{\"content\":[{\"token\":\"Bon\",\"logprob\":-0.3,"
                        + "\"bytes\":[66,111,110],\"top_logprobs\":[{\"token\":\"Bon\",\"logprob\":-0.3,\"bytes\":[66,111,110]}]}]},\"finish_reason\":null}]}",
                head + "{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"logprobs\":{\"content\":[{\"token\":\"Hel\",\"logprob\":-0.1,"
                        + "\"bytes\":[72,101,108],\"top_logprobs\":[]}]},\"finish_reason\":null}]}",
                head + "{\"index\":0,\"delta\":{\"content\":\"lo\"},\"logprobs\":{\"content\":[{\"token\":\"lo\",\"logprob\":-0.2,"
                        + "\"bytes\":[108,111],\"top_logprobs\":[]}]},\"finish_reason\":\"stop\"}]}",
                head + "{\"index\":1,\"delta\":{\"content\":\"jour\"},\"logprobs\":{\"content\":[{\"token\":\"jour\",\"logprob\":-0.4,"
                        + "\"bytes\":[106,111,117,114],\"top_logprobs\":[]}]},\"finish_reason\":\"length\"}]}",
                "[DONE]");

        InferenceResult r = assemble(ApiKind.CHAT_COMPLETIONS, stream);

        assertThat(r.choices()).containsExactly(
                new Choice(0, "Hello", "assistant", "stop", null, null, List.of(), new Logprobs(List.of(
                        new TokenLogprob("Hel", -0.1, List.of(72, 101, 108), null, List.of()),
                        new TokenLogprob("lo", -0.2, List.of(108, 111), null, List.of())))),
                new Choice(1, "Bonjour", "assistant", "length", null, null, List.of(), new Logprobs(List.of(
                        new TokenLogprob("Bon", -0.3, List.of(66, 111, 110), null,
                                List.of(new TopLogprob("Bon", -0.3, List.of(66, 111, 110)))),
                        new TokenLogprob("jour", -0.4, List.of(106, 111, 117, 114), null, List.of())))));
        assertThat(r.id()).isEqualTo("chatcmpl-5");
        assertThat(r.created()).isEqualTo(1732200300L);
        assertThat(r.usage()).isNull();
    }

    @Test
    void completionsChunksCollectTextTokensSeedAndLogprobsByIndex() {
        String head = "{\"id\":\"cmpl-88\",\"object\":\"text_completion\",\"created\":1732200400,\"model\":\"m\",\"choices\":[";
        String stream = sse(
                head + "{\"index\":0,\"seed\":42,\"text\":\" Paris\",\"token\":12366,\"finish_reason\":null,"
                        + "\"logprobs\":{\"tokens\":[\" Paris\"],\"token_logprobs\":[-0.0123],"
                        + "\"top_logprobs\":[{\" Lyon\":-5.1,\" Paris\":-0.0123}],\"text_offset\":[28]}}]}",
                head + "{\"index\":1,\"seed\":43,\"text\":\" Lyon\",\"token\":52140,\"finish_reason\":null,"
                        + "\"logprobs\":{\"tokens\":[\" Lyon\"],\"token_logprobs\":[-5.1],"
                        + "\"top_logprobs\":[{\" Paris\":-0.0123,\" Lyon\":-5.1}],\"text_offset\":[28]}}]}",
                head + "{\"index\":0,\"text\":\".\",\"token\":13,\"finish_reason\":\"stop\","
                        + "\"logprobs\":{\"tokens\":[\".\"],\"token_logprobs\":[-0.4],"
                        + "\"top_logprobs\":[{\".\":-0.4,\"!\":-1.9}],\"text_offset\":[34]}}]}",
                head + "{\"index\":1,\"text\":\"?\",\"token\":30,\"finish_reason\":\"length\","
                        + "\"logprobs\":{\"tokens\":[\"?\"],\"token_logprobs\":[-2.2],"
                        + "\"top_logprobs\":[{\"?\":-2.2}],\"text_offset\":[33]}}]}",
                "{\"id\":\"cmpl-88\",\"object\":\"text_completion\",\"created\":1732200400,\"model\":\"m\",\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13}}",
                "[DONE]");
        String body = """
                {"id":"cmpl-88","object":"text_completion","created":1732200400,"model":"m","choices":[
                  {"index":0,"seed":42,"text":" Paris.","tokens":[12366,13],"finish_reason":"stop",
                   "logprobs":{"tokens":[" Paris","."],"token_logprobs":[-0.0123,-0.4],
                     "top_logprobs":[{" Lyon":-5.1," Paris":-0.0123},{".":-0.4,"!":-1.9}],"text_offset":[28,34]}},
                  {"index":1,"seed":43,"text":" Lyon?","tokens":[52140,30],"finish_reason":"length",
                   "logprobs":{"tokens":[" Lyon","?"],"token_logprobs":[-5.1,-2.2],
                     "top_logprobs":[{" Paris":-0.0123," Lyon":-5.1},{"?":-2.2}],"text_offset":[28,33]}}],
                 "usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}}
                """;

        InferenceResult r = assemble(ApiKind.COMPLETIONS, stream);

        assertThat(r.object()).isEqualTo("text_completion");
        assertThat(r.choices().get(0).text()).isEqualTo(" Paris.");
        assertThat(r.choices().get(0).tokens()).containsExactly(12366, 13);
        assertThat(r.choices().get(0).seed()).isEqualTo(42L);
        assertThat(r.choices().get(1).logprobs().content()).extracting(TokenLogprob::token).containsExactly(" Lyon", "?");
        assertThat(r).isEqualTo(ResponseParser.parse(ApiKind.COMPLETIONS, utf8(body)));
    }

    @Test
    void completionsChunksWithFlatFloatLogprobsAreAppended() {
        String stream = sse(
                "{\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\" A\",\"token\":362,\"logprobs\":[-0.7]}]}",
                "{\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"\",\"token\":128009,\"logprobs\":[-0.05],"
                        + "\"finish_reason\":\"stop\"}]}",
                "[DONE]");

        Choice choice = assemble(ApiKind.COMPLETIONS, stream).choices().get(0);

        assertThat(choice.logprobs().content()).containsExactly(
                new TokenLogprob(null, -0.7, null, null, List.of()), new TokenLogprob(null, -0.05, null, null, List.of()));
        assertThat(choice.tokens()).containsExactly(362, 128009);
    }

    @Test
    void toolStatusEventsAreKeptInOrderBesideTheChatChunks() {
        String head = "{\"id\":\"chatcmpl-t1\",\"object\":\"chat.completion.chunk\",\"created\":1732200500,\"model\":\"meta-llama-3.1-8b-instruct\",\"choices\":[";
        String started = "{\"tool_call_id\":\"call_ws1\",\"name\":\"web:search\",\"status\":\"STARTED\","
                + "\"parameters\":[{\"name\":\"query\",\"value\":\"Seoul weather today\"}],\"result\":null,\"files\":null,"
                + "\"message\":null,\"error\":null,\"usage\":null,\"timestamp\":1732200501}";
        String ended = "{\"tool_call_id\":\"call_ws1\",\"name\":\"web:search\",\"status\":\"ENDED\","
                + "\"parameters\":[{\"name\":\"query\",\"value\":\"Seoul weather today\"}],"
                + "\"result\":\"{\\\"results\\\":[{\\\"title\\\":\\\"Seoul 3°C, light rain\\\"}]}\",\"files\":null,"
                + "\"message\":null,\"error\":null,\"usage\":null,\"timestamp\":1732200503}";
        String errored = "{\"tool_call_id\":\"call_py2\",\"name\":\"code:python-interpreter\",\"status\":\"ERRORED\","
                + "\"parameters\":[{\"name\":\"code\",\"value\":\"1/0\"}],\"result\":null,\"files\":null,"
                + "\"message\":null,\"error\":{\"type\":\"ZeroDivisionError\",\"msg\":\"division by zero\"},"
                + "\"usage\":null,\"timestamp\":1732200504}";
        String stream = "event: tool_status\ndata: " + started + "\n\n"
                + "event: tool_status\ndata: " + ended + "\n\n"
                + "data: " + head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"It is 3°C\"},\"finish_reason\":null}]}\n\n"
                + "event: tool_status\ndata: " + errored + "\n\n"
                + "data: " + head + "{\"index\":0,\"delta\":{\"content\":\" with light rain.\"},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n";

        InferenceResult r = assemble(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, stream);

        assertThat(r.choices().get(0).text()).isEqualTo("It is 3°C with light rain.");
        assertThat(r.toolStatusEvents()).extracting(ToolStatusEvent::status).containsExactly("STARTED", "ENDED", "ERRORED");
        assertThat(r.toolStatusEvents().get(0)).isEqualTo(new ToolStatusEvent("call_ws1", "web:search", "STARTED",
                List.of(new ToolStatusEvent.Parameter("query", "Seoul weather today")), null, null, null, null,
                1732200501L, started));
        assertThat(r.toolStatusEvents().get(1).result()).isEqualTo("{\"results\":[{\"title\":\"Seoul 3°C, light rain\"}]}");
        assertThat(r.toolStatusEvents().get(2)).isEqualTo(new ToolStatusEvent("call_py2", "code:python-interpreter",
                "ERRORED", List.of(new ToolStatusEvent.Parameter("code", "1/0")), null, null, "ZeroDivisionError",
                "division by zero", 1732200504L, errored));
    }

    @Test
    void usageChunkWithEmptyChoicesSetsUsageAndAddsNoChoice() {
        String stream = sse(
                "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],\"usage\":null}",
                "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":1,\"total_tokens\":21,\"prompt_tokens_details\":{\"cached_tokens\":16}}}",
                "[DONE]");

        InferenceResult r = assemble(ApiKind.CHAT_COMPLETIONS, stream);

        assertThat(r.choices()).hasSize(1);
        assertThat(r.usage()).isEqualTo(new Usage(20, 1, 21, 16));
    }

    @Test
    void olderFormatTokenSampledThenCompleteEndsTheStreamWithoutDone() {
        String stream = sse(
                "{\"event\":\"token_sampled\",\"index\":0,\"text\":\" Hello\",\"token\":22691}",
                "{\"event\":\"token_sampled\",\"index\":0,\"text\":\" world\",\"token\":1917}",
                "{\"event\":\"complete\",\"choices\":[{\"index\":0,\"seed\":7,\"text\":\" Hello world\","
                        + "\"tokens\":[22691,1917],\"finish_reason\":\"length\"}],"
                        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}");
        StreamAssembler assembler = new StreamAssembler(ApiKind.COMPLETIONS);
        SseParser parser = new SseParser(assembler::accept);

        parser.feed(utf8(stream));
        parser.end();

        assertThat(assembler.isDone()).isTrue();
        InferenceResult r = assembler.finish();
        assertThat(r.object()).isEqualTo("text_completion");
        assertThat(r.choices()).containsExactly(
                new Choice(0, " Hello world", null, "length", 7L, List.of(22691, 1917), List.of(), null));
        assertThat(r.usage()).isEqualTo(new Usage(3, 2, 5, null));
    }

    @Test
    void olderFormatCompleteIsAuthoritativeOverTheSampledTokens() {
        // The server cut a stop sequence from the final text: the sampled tokens over-report.
        String stream = sse(
                "{\"event\":\"token_sampled\",\"index\":0,\"text\":\" 42\",\"token\":220}",
                "{\"event\":\"token_sampled\",\"index\":0,\"text\":\"\\n\\n\",\"token\":271}",
                "{\"event\":\"complete\",\"choices\":[{\"index\":0,\"text\":\" 42\",\"tokens\":[220],\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":2,\"total_tokens\":13}}",
                "[DONE]");

        Choice choice = assemble(ApiKind.COMPLETIONS, stream).choices().get(0);

        assertThat(choice.text()).isEqualTo(" 42");
        assertThat(choice.tokens()).containsExactly(220);
        assertThat(choice.finishReason()).isEqualTo("stop");
    }

    @Test
    void olderFormatWithoutCompleteIsTruncated() {
        StreamAssembler assembler = new StreamAssembler(ApiKind.COMPLETIONS);
        assembler.accept(new SseEvent(null, "{\"event\":\"token_sampled\",\"index\":0,\"text\":\" Hi\",\"token\":13347}"));

        assertThat(assembler.isDone()).isFalse();
        assertThatThrownBy(assembler::finish).isInstanceOf(TruncatedStreamException.class);
    }

    @Test
    void streamCutOffBeforeDoneThrowsTruncated() {
        String full = CHAT_TOOL_CALL_STREAM;
        String cut = full.substring(0, full.indexOf("data: [DONE]"));
        StreamAssembler assembler = new StreamAssembler(ApiKind.CHAT_COMPLETIONS);
        SseParser parser = new SseParser(assembler::accept);

        parser.feed(utf8(cut));
        parser.end();

        assertThat(assembler.isDone()).isFalse();
        assertThatThrownBy(assembler::finish)
                .isInstanceOf(TruncatedStreamException.class)
                .hasMessageContaining("ended before its end marker (data: [DONE]) after 7 events");
    }

    @Test
    void streamCutOffInsideAChunkThrowsTruncated() {
        String full = CHAT_TOOL_CALL_STREAM;
        String cut = full.substring(0, full.indexOf("get_time"));
        StreamAssembler assembler = new StreamAssembler(ApiKind.CHAT_COMPLETIONS);
        SseParser parser = new SseParser(assembler::accept);
        parser.feed(utf8(cut));
        parser.end();

        assertThatThrownBy(assembler::finish)
                .isInstanceOf(TruncatedStreamException.class)
                .hasMessageContaining("cut off inside event 4");
    }

    @Test
    void aCompleteEventWithBrokenJsonFollowedByMoreIsMalformedNotTruncated() {
        StreamAssembler assembler = new StreamAssembler(ApiKind.CHAT_COMPLETIONS);
        SseParser parser = new SseParser(assembler::accept);
        parser.feed(utf8("data: " + CHAT_HEAD + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Par\"}}]}\n\n"
                + "data: " + CHAT_HEAD + "{\"index\":0,\"delta\":{\"content\":\n\n"));

        assertThatThrownBy(() -> parser.feed(utf8("data: [DONE]\n\n")))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("event 2 is not valid JSON")
                .hasMessageContaining("the stream went on");
    }

    @Test
    void errorObjectInAChunkSurfacesWithItsApiError() {
        StreamAssembler assembler = new StreamAssembler(ApiKind.CHAT_COMPLETIONS);
        assembler.accept(new SseEvent(null, CHAT_HEAD + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Par\"}}]}"));
        String error = "{\"error\":{\"message\":\"Request timed out while generating\",\"type\":\"timeout\",\"param\":null,\"code\":504}}";

        assertThatThrownBy(() -> assembler.accept(new SseEvent(null, error)))
                .isInstanceOf(StreamErrorException.class)
                .hasMessage("the stream reported an error: Request timed out while generating (type timeout, code 504)")
                .extracting(e -> ((StreamErrorException) e).error())
                .isEqualTo(new ApiError("Request timed out while generating", "timeout", null, "504", error));
    }

    @Test
    void namedErrorEventSurfacesWithItsApiError() {
        StreamAssembler assembler = new StreamAssembler(ApiKind.CHAT_COMPLETIONS);

        assertThatThrownBy(() -> assembler.accept(new SseEvent("error", "{\"message\":\"overloaded\"}")))
                .isInstanceOf(StreamErrorException.class)
                .extracting(e -> ((StreamErrorException) e).error().message())
                .isEqualTo("overloaded");
    }

    @Test
    void invalidJsonChunkIsMalformed() {
        StreamAssembler assembler = new StreamAssembler(ApiKind.COMPLETIONS);

        assertThatThrownBy(() -> assembler.accept(new SseEvent(null, "{\"choices\":[{\"index\":0,\"text\":oops}]}")))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void contentAfterDoneIsMalformedButARepeatedDoneIsNot() {
        StreamAssembler assembler = new StreamAssembler(ApiKind.COMPLETIONS);
        assembler.accept(new SseEvent(null, "{\"choices\":[{\"index\":0,\"text\":\"a\",\"finish_reason\":\"stop\"}]}"));
        assembler.accept(new SseEvent(null, "[DONE]"));
        assembler.accept(new SseEvent(null, "[DONE]"));

        assertThatThrownBy(() -> assembler.accept(new SseEvent(null, "{\"choices\":[{\"index\":0,\"text\":\"b\"}]}")))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("after the end of the stream");
        assertThat(assembler.finish().choices().get(0).text()).isEqualTo("a");
    }

    @Test
    void unknownNamedEventsAreSkipped() {
        StreamAssembler assembler = new StreamAssembler(ApiKind.COMPLETIONS);
        assembler.accept(new SseEvent("ping", "{\"t\":1}"));
        assembler.accept(new SseEvent("message", "{\"choices\":[{\"index\":0,\"text\":\"a\"}]}"));
        assembler.accept(new SseEvent(null, "[DONE]"));

        assertThat(assembler.finish().choices()).extracting(Choice::text).containsExactly("a");
    }

    @Test
    void nonGenerationKindIsRejectedByName() {
        assertThatThrownBy(() -> new StreamAssembler(ApiKind.DETOKENIZE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DETOKENIZE");
    }

    static InferenceResult assemble(ApiKind kind, String stream) {
        StreamAssembler assembler = new StreamAssembler(kind);
        SseParser parser = new SseParser(assembler::accept);
        byte[] bytes = utf8(stream);
        for (int i = 0; i < bytes.length; i++) {
            parser.feed(bytes, i, 1);
        }
        parser.end();
        assertThat(assembler.isDone()).isTrue();
        return assembler.finish();
    }

    static String sse(String... data) {
        StringBuilder out = new StringBuilder();
        for (String d : data) {
            out.append("data: ").append(d).append("\n\n");
        }
        return out.toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
