package io.friendliflink.emulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import io.friendliflink.api.request.InferenceRequest;
import org.junit.jupiter.api.Test;

/** Prints how long typical generations take; only correctness is asserted, timing is information. */
class ModelSpeedTest {

    private final TinyLanguageModel model = new TinyLanguageModel();

    @Test
    void printsMicrosecondsPerSixteenTokenGeneration() {
        JsonNode completion = Bodies.completion("\"max_tokens\":16,\"min_tokens\":16,\"seed\":1");
        JsonNode chat = Bodies.chat("Tell me something about rivers and the sea.", "\"max_tokens\":16,\"min_tokens\":16");
        long completionNanos = time(ApiKind.COMPLETIONS, completion);
        long chatNanos = time(ApiKind.CHAT_COMPLETIONS, chat);
        System.out.printf("TinyLanguageModel: 16-token completion %.1f us, 16-token chat %.1f us%n",
                completionNanos / 1000.0, chatNanos / 1000.0);
        System.out.println("sample completion: " + Bodies.generate(model, ApiKind.COMPLETIONS, completion).choices().get(0).text());
        System.out.println("sample chat: " + Bodies.generate(model, ApiKind.CHAT_COMPLETIONS, chat).choices().get(0).text());
    }

    private long time(ApiKind kind, JsonNode body) {
        InferenceRequest request = Bodies.checked(kind, body);
        int rounds = 5_000;
        int tokens = 0;
        for (int i = 0; i < rounds; i++) {
            tokens += model.generate(request).completionTokens();
        }
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            tokens += model.generate(request).completionTokens();
        }
        long perGeneration = (System.nanoTime() - start) / rounds;
        assertThat(tokens).isEqualTo(2 * rounds * 16);
        return perGeneration;
    }
}
