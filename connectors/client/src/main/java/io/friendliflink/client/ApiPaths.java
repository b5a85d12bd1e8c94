package io.friendliflink.client;

import static io.friendliflink.api.ApiKind.CHAT_COMPLETIONS;
import static io.friendliflink.api.ApiKind.COMPLETIONS;
import static io.friendliflink.api.ApiKind.DETOKENIZE;
import static io.friendliflink.api.ApiKind.TOKENIZE;
import static io.friendliflink.api.ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS;

import io.friendliflink.api.ApiKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one table of the API's paths: which operation each deployment serves at which path (API-NOTES,
 * "Endpoints"). The client builds its request paths from it, the request-line parser reads a line's
 * {@code url} with it, and the emulator serves its urls (but the OpenAI-compatible tokenize and detokenize,
 * which OpenAI's own API lacks).
 *
 * <p>A {@link Route}'s {@code path} is relative to an endpoint's base URL; its {@link Route#url()} is the
 * full path a server sees. For Friendli deployments the two are the same. An OpenAI-compatible server's
 * base URL ends in {@value #OPENAI_PREFIX}, so its url is that prefix and the path: the url an OpenAI Batch
 * line names ({@code /v1/chat/completions}) and the one an OpenAI SDK calls.
 *
 * <pre>{@code
 * ApiPaths.path(Deployment.DEDICATED, ApiKind.COMPLETIONS)       // "/dedicated/v1/completions"
 * ApiPaths.route("/serverless/tools/v1/chat/completions").kind() // TOOL_ASSISTED_CHAT_COMPLETIONS
 * }</pre>
 */
public final class ApiPaths {
    /** The prefix of OpenAI's own API, which an OpenAI-compatible base URL ends in. */
    public static final String OPENAI_PREFIX = "/v1";

    // API-NOTES, "Endpoints": a kind's path on serverless, dedicated and OpenAI-compatible endpoints, null for
    // none. Tool-assisted chat is beta and serverless only.
    private static final List<Route> ROUTES = routes(
            new Row(CHAT_COMPLETIONS, "/serverless/v1/chat/completions", "/dedicated/v1/chat/completions", "/chat/completions"),
            new Row(COMPLETIONS, "/serverless/v1/completions", "/dedicated/v1/completions", "/completions"),
            new Row(TOOL_ASSISTED_CHAT_COMPLETIONS, "/serverless/tools/v1/chat/completions", null, null),
            new Row(TOKENIZE, "/serverless/v1/tokenize", "/dedicated/v1/tokenize", "/tokenize"),
            new Row(DETOKENIZE, "/serverless/v1/detokenize", "/dedicated/v1/detokenize", "/detokenize"));

    private static final Map<Deployment, Map<ApiKind, Route>> BY_DEPLOYMENT = new EnumMap<>(Deployment.class);
    private static final Map<String, Route> BY_URL = new HashMap<>();

    static {
        for (Route route : ROUTES) {
            BY_DEPLOYMENT.computeIfAbsent(route.deployment(), d -> new EnumMap<>(ApiKind.class)).put(route.kind(), route);
            BY_URL.put(route.url(), route);
        }
    }

    private record Row(ApiKind kind, String serverless, String dedicated, String openAiCompatible) {}

    private static List<Route> routes(Row... rows) {
        List<Route> routes = new ArrayList<>();
        for (Row row : rows) {
            add(routes, Deployment.SERVERLESS, row.kind(), row.serverless());
            add(routes, Deployment.DEDICATED, row.kind(), row.dedicated());
            add(routes, Deployment.OPENAI_COMPATIBLE, row.kind(), row.openAiCompatible());
        }
        return List.copyOf(routes);
    }

    private static void add(List<Route> routes, Deployment deployment, ApiKind kind, String path) {
        if (path != null) {
            routes.add(new Route(deployment, kind, path));
        }
    }

    private ApiPaths() {}

    /**
     * One operation on one deployment.
     *
     * @param path where {@code kind} is, relative to the base URL of a {@code deployment} endpoint
     */
    public record Route(Deployment deployment, ApiKind kind, String path) {
        /** The full path a server sees: {@code path}, after {@value ApiPaths#OPENAI_PREFIX} for OpenAI-compatible servers. */
        public String url() {
            return deployment == Deployment.OPENAI_COMPATIBLE ? OPENAI_PREFIX + path : path;
        }
    }

    /** The path of {@code kind} on a {@code deployment} endpoint, relative to its base URL, or {@code null} when it has none. */
    public static String path(Deployment deployment, ApiKind kind) {
        Route route = BY_DEPLOYMENT.getOrDefault(deployment, Map.of()).get(kind);
        return route == null ? null : route.path();
    }

    /** The route whose {@link Route#url()} is {@code url} (a path without query), or {@code null} for none. */
    public static Route route(String url) {
        return BY_URL.get(url);
    }

    /** Every route, in the table's order. */
    public static List<Route> routes() {
        return ROUTES;
    }

    /** The urls of the routes that generate text, for a message naming what is supported. */
    public static List<String> generationUrls() {
        List<String> urls = new ArrayList<>();
        for (Route route : ROUTES) {
            if (route.kind().isGeneration()) {
                urls.add(route.url());
            }
        }
        return urls;
    }
}
