package io.friendliflink.api.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.api.response.MalformedBodyException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseParserTest {
    /** Every rule at once: BOM, all three line ends, comments, id/retry, event names, multi-line data, UTF-8. */
    static final String MIXED_STREAM = "\uFEFF: keep-alive comment\n"
            + "retry: 3000\n"
            + "id: 17\n"
            + "data: {\"choices\":[{\"index\":0,\r\n"
            + "data: \"delta\":{\"content\":\"서울의 날씨는 \"}}]}\r\n"
            + "\r\n"
            + "event: tool_status\r"
            + "data: {\"tool_call_id\":\"call_1\",\r"
            + "data:  \"status\":\"STARTED\"}\r"
            + "\r"
            + ":comment between events\n"
            + "data:no-space-after-colon 🌧️ and é\n"
            + "\n"
            + "event: ignored-because-no-data\n"
            + "\n"
            + "data\n"
            + "data: after an empty data line\n"
            + "\n"
            + "data: [DONE]\n"
            + "\n";

    static final List<SseEvent> MIXED_EVENTS = List.of(
            new SseEvent(null, "{\"choices\":[{\"index\":0,\n\"delta\":{\"content\":\"서울의 날씨는 \"}}]}"),
            new SseEvent("tool_status", "{\"tool_call_id\":\"call_1\",\n \"status\":\"STARTED\"}"),
            new SseEvent(null, "no-space-after-colon 🌧️ and é"),
            new SseEvent(null, "\nafter an empty data line"),
            new SseEvent(null, "[DONE]"));

    @Test
    void wholeStreamInOneFeedGivesTheEvents() {
        assertThat(parse(utf8(MIXED_STREAM), new int[] {utf8(MIXED_STREAM).length})).isEqualTo(MIXED_EVENTS);
    }

    @Test
    void oneByteAtATimeGivesTheSameEvents() {
        byte[] bytes = utf8(MIXED_STREAM);
        int[] ones = new int[bytes.length];
        java.util.Arrays.fill(ones, 1);

        assertThat(parse(bytes, ones)).isEqualTo(MIXED_EVENTS);
    }

    @Test
    void everySplitIntoTwoFeedsGivesTheSameEvents() {
        byte[] bytes = utf8(MIXED_STREAM);
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertThat(parse(bytes, new int[] {cut, bytes.length - cut})).as("cut at byte %d", cut).isEqualTo(MIXED_EVENTS);
        }
    }

    @Test
    void randomSplitsGiveTheSameEvents() {
        byte[] bytes = utf8(MIXED_STREAM);
        Random random = new Random(20261121L);
        for (int round = 0; round < 500; round++) {
            List<Integer> sizes = new ArrayList<>();
            int left = bytes.length;
            while (left > 0) {
                int size = Math.min(left, random.nextInt(12));
                sizes.add(size);
                left -= size;
            }
            int[] split = sizes.stream().mapToInt(Integer::intValue).toArray();
            assertThat(parse(bytes, split)).as("split %s", sizes).isEqualTo(MIXED_EVENTS);
        }
    }

    @Test
    void crAtTheEndOfOneFeedAndLfAtTheStartOfTheNextAreOneLineEnd() {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);

        parser.feed(utf8("data: a\r"));
        parser.feed(utf8("\ndata: b\r"));
        parser.feed(utf8("\n\r"));
        parser.feed(utf8("\n"));

        assertThat(events).containsExactly(new SseEvent(null, "a\nb"));
    }

    @Test
    void loneCrEndsLines() {
        assertThat(parseWhole("data: a\rdata: b\r\rdata: c\r\r"))
                .containsExactly(new SseEvent(null, "a\nb"), new SseEvent(null, "c"));
    }

    @Test
    void crLfEndsLines() {
        assertThat(parseWhole("event: tool_status\r\ndata: x\r\n\r\ndata: y\r\n\r\n"))
                .containsExactly(new SseEvent("tool_status", "x"), new SseEvent(null, "y"));
    }

    @Test
    void onlyOneSpaceAfterTheColonIsDropped() {
        assertThat(parseWhole("data:   three\n\ndata:none\n\n"))
                .containsExactly(new SseEvent(null, "  three"), new SseEvent(null, "none"));
    }

    @Test
    void utf8SequenceSplitAcrossFeedsIsDecodedWhole() {
        byte[] bytes = utf8("data: 한🙂\n\n");
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);

        // "한" is 3 bytes at 6..8 and "🙂" 4 bytes at 9..12: cut inside both.
        parser.feed(bytes, 0, 7);
        parser.feed(bytes, 7, 4);
        parser.feed(bytes, 11, bytes.length - 11);

        assertThat(events).containsExactly(new SseEvent(null, "한🙂"));
    }

    @Test
    void endDispatchesAPendingEventEvenWithoutAFinalLineEnd() {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);

        parser.feed(utf8("data: first\n\ndata: line one\ndata: [DONE]"));
        assertThat(events).containsExactly(new SseEvent(null, "first"));

        parser.end();
        assertThat(events).containsExactly(new SseEvent(null, "first"), new SseEvent(null, "line one\n[DONE]"));
    }

    @Test
    void endWithNothingPendingDispatchesNothing() {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);

        parser.feed(utf8("data: x\n\n: trailing comment\n"));
        parser.end();

        assertThat(events).containsExactly(new SseEvent(null, "x"));
    }

    @Test
    void longLineCutIntoManyFeedsArrivesIntact() {
        String payload = "x".repeat(200_000) + "é";
        byte[] bytes = utf8("data: " + payload + "\n\n");
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);

        for (int i = 0; i < bytes.length; i += 1000) {
            parser.feed(bytes, i, Math.min(1000, bytes.length - i));
        }

        assertThat(events).containsExactly(new SseEvent(null, payload));
    }

    @Test
    void eventBeyondTheSizeBoundIsMalformedAndNamesTheBound() {
        SseParser parser = new SseParser(e -> {}, 64);

        assertThatThrownBy(() -> parser.feed(utf8("data: " + "y".repeat(100))))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("maxEventBytes=64");
        SseParser lines = new SseParser(e -> {}, 64);
        assertThatThrownBy(() -> lines.feed(utf8("data: 0123456789\n".repeat(10))))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("maxEventBytes=64");
    }

    @Test
    void nonPositiveBoundIsRejectedByName() {
        assertThatThrownBy(() -> new SseParser(e -> {}, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxEventBytes must be > 0, was 0");
    }

    @Test
    void feedChecksItsRange() {
        SseParser parser = new SseParser(e -> {});

        assertThatThrownBy(() -> parser.feed(new byte[4], 3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    static List<SseEvent> parseWhole(String text) {
        byte[] bytes = utf8(text);
        return parse(bytes, new int[] {bytes.length});
    }

    static List<SseEvent> parse(byte[] bytes, int[] sizes) {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        int offset = 0;
        for (int size : sizes) {
            // A fresh array per feed, as a network read gives: the parser must not keep references into it.
            byte[] chunk = java.util.Arrays.copyOfRange(bytes, offset, offset + size);
            parser.feed(chunk, 0, size);
            java.util.Arrays.fill(chunk, (byte) '#');
            offset += size;
        }
        parser.end();
        return events;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
