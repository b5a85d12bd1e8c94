package io.friendliflink.emulator.server;

import io.friendliflink.api.ApiKind;
import java.util.Map;

/** The paths the emulator serves, and what each one is for. */
enum Route {
    COMPLETIONS(ApiKind.COMPLETIONS),
    CHAT(ApiKind.CHAT_COMPLETIONS),
    TOOL_ASSISTED_CHAT(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS),
    TOKENIZE(ApiKind.TOKENIZE),
    DETOKENIZE(ApiKind.DETOKENIZE),
    /** {@code GET /_emulator/stats}: the emulator's own counters, not part of the API. */
    STATS(null);

    static final String STATS_PATH = "/_emulator/stats";

    private static final Map<String, Route> BY_PATH = Map.ofEntries(
            Map.entry("/serverless/v1/completions", COMPLETIONS),
            Map.entry("/dedicated/v1/completions", COMPLETIONS),
            Map.entry("/v1/completions", COMPLETIONS),
            Map.entry("/serverless/v1/chat/completions", CHAT),
            Map.entry("/dedicated/v1/chat/completions", CHAT),
            Map.entry("/v1/chat/completions", CHAT),
            Map.entry("/serverless/tools/v1/chat/completions", TOOL_ASSISTED_CHAT),
            Map.entry("/serverless/v1/tokenize", TOKENIZE),
            Map.entry("/dedicated/v1/tokenize", TOKENIZE),
            Map.entry("/serverless/v1/detokenize", DETOKENIZE),
            Map.entry("/dedicated/v1/detokenize", DETOKENIZE),
            Map.entry(STATS_PATH, STATS));

    final ApiKind kind;

    Route(ApiKind kind) {
        this.kind = kind;
    }

    /** The route of a path without its query, or {@code null} for an unknown one. */
    static Route of(String path) {
        return BY_PATH.get(path);
    }
}
