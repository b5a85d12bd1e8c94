package io.friendliflink.emulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import io.friendliflink.api.request.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of tokenize and detokenize bodies: {@code model} and {@code prompt} (a string), or
 * {@code model} and {@code tokens} (ids within the vocabulary).
 */
final class TokenizeBodies {
    private TokenizeBodies() {}

    static List<Violation> violations(ApiKind kind, JsonNode body, int vocabularySize) {
        List<Violation> out = new ArrayList<>(1);
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            out.add(new Violation("model", null, "is required"));
        } else if (!model.isTextual()) {
            out.add(new Violation("model", model.toString(), "must be a string"));
        }
        if (kind == ApiKind.TOKENIZE) {
            JsonNode prompt = body.get("prompt");
            if (prompt == null || prompt.isNull()) {
                out.add(new Violation("prompt", null, "is required"));
            } else if (!prompt.isTextual()) {
                out.add(new Violation("prompt", prompt.toString(), "must be a string"));
            }
        } else {
            JsonNode tokens = body.get("tokens");
            if (tokens == null || tokens.isNull()) {
                out.add(new Violation("tokens", null, "is required"));
            } else if (!tokens.isArray()) {
                out.add(new Violation("tokens", tokens.toString(), "must be an array of token ids"));
            } else {
                for (int i = 0; i < tokens.size(); i++) {
                    JsonNode t = tokens.get(i);
                    if (!t.isIntegralNumber() || !t.canConvertToInt() || t.intValue() < 0
                            || t.intValue() >= vocabularySize) {
                        out.add(new Violation("tokens[" + i + "]", t.toString(),
                                "must be a token id in [0, " + vocabularySize + ")"));
                    }
                }
            }
        }
        return out;
    }
}
