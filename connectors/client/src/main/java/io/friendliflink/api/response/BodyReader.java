package io.friendliflink.api.response;

import static io.friendliflink.api.response.JsonReading.intValue;
import static io.friendliflink.api.response.JsonReading.logprob;
import static io.friendliflink.api.response.JsonReading.longValue;
import static io.friendliflink.api.response.JsonReading.open;
import static io.friendliflink.api.response.JsonReading.rawText;
import static io.friendliflink.api.response.JsonReading.scalarText;
import static io.friendliflink.api.response.JsonReading.string;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.friendliflink.api.response.ParsedBody.ParsedChoice;
import io.friendliflink.api.response.ParsedBody.ToolCallPiece;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a completions or chat body, or one stream chunk, with Jackson's streaming parser: no tree, and
 * fields it does not know are skipped without being materialised.
 */
final class BodyReader {
    /** NaN (no value) ranks below every number, so "best first" never puts an unknown first. */
    private static final Comparator<TopLogprob> BEST_FIRST = Comparator.comparingDouble(
                    (TopLogprob t) -> Double.isNaN(t.logprob()) ? Double.NEGATIVE_INFINITY : t.logprob())
            .reversed();

    private BodyReader() {}

    /** @throws IOException when the text is not JSON; {@link MalformedBodyException} when it has the wrong shape */
    static ParsedBody read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw JsonReading.unexpected(p, "body", "a JSON object");
        }
        ParsedBody body = new ParsedBody();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "id" -> body.id = scalarText(p, "id");
                case "object" -> body.object = string(p, "object");
                case "model" -> body.model = string(p, "model");
                case "created" -> body.created = longValue(p, "created");
                case "event" -> body.event = string(p, "event");
                case "choices" -> body.choices = readChoices(p);
                case "usage" -> body.usage = readUsage(p);
                case "error" -> {
                    body.hasError = p.currentToken() != JsonToken.VALUE_NULL;
                    p.skipChildren();
                }
                // The older stream format's token_sampled event carries a choice's fields at the top level.
                case "index", "text", "token", "tokens", "seed", "finish_reason", "logprobs" -> {
                    if (body.topLevelChoice == null) {
                        body.topLevelChoice = new ParsedChoice();
                    }
                    readChoiceField(p, name, body.topLevelChoice, "");
                }
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw JsonReading.unexpected(p, "body", "nothing after the top-level object");
        }
        return body;
    }

    private static List<ParsedChoice> readChoices(JsonParser p) throws IOException {
        if (!open(p, JsonToken.START_ARRAY, "choices")) {
            throw JsonReading.unexpected(p, "choices", "an array");
        }
        List<ParsedChoice> choices = new ArrayList<>(2);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (!open(p, JsonToken.START_OBJECT, "choices[]")) {
                throw JsonReading.unexpected(p, "choices[]", "an object");
            }
            ParsedChoice choice = new ParsedChoice();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (!readChoiceField(p, name, choice, "choices[].")) {
                    p.skipChildren();
                }
            }
            if (choice.index < 0) {
                choice.index = choices.size();
            }
            choices.add(choice);
        }
        return choices;
    }

    /** Reads one field of a choice (or of a {@code message}/{@code delta}); {@code false} when unknown. */
    private static boolean readChoiceField(JsonParser p, String name, ParsedChoice choice, String prefix)
            throws IOException {
        switch (name) {
            case "index" -> {
                Integer index = intValue(p, prefix + "index");
                if (index != null) {
                    if (index < 0) {
                        throw new MalformedBodyException(prefix + "index: must be >= 0 but was " + index);
                    }
                    choice.index = index;
                }
            }
            case "text", "content" -> {
                String text = string(p, prefix + name);
                if (text != null) {
                    choice.text = text;
                }
            }
            case "role" -> choice.role = string(p, prefix + "role");
            case "finish_reason" -> choice.finishReason = string(p, prefix + "finish_reason");
            case "seed" -> choice.seed = longValue(p, prefix + "seed");
            case "token" -> {
                Integer token = intValue(p, prefix + "token");
                if (token != null) {
                    if (choice.tokens == null) {
                        choice.tokens = new ArrayList<>(1);
                    }
                    choice.tokens.add(token);
                }
            }
            case "tokens" -> readTokens(p, choice, prefix + "tokens");
            case "logprobs" -> choice.logprobs = readLogprobs(p, prefix + "logprobs");
            case "message", "delta" -> {
                if (open(p, JsonToken.START_OBJECT, prefix + name)) {
                    String inner = prefix + name + ".";
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        p.nextToken();
                        switch (field) {
                            case "role", "content" -> readChoiceField(p, field, choice, inner);
                            case "tool_calls" -> choice.toolCalls = readToolCalls(p, inner + "tool_calls");
                            default -> p.skipChildren();
                        }
                    }
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void readTokens(JsonParser p, ParsedChoice choice, String path) throws IOException {
        if (!open(p, JsonToken.START_ARRAY, path)) {
            return;
        }
        if (choice.tokens == null) {
            choice.tokens = new ArrayList<>();
        }
        choice.tokens.addAll(readArray(p, path, (q, item) -> {
            Integer token = intValue(q, item);
            if (token == null) {
                throw JsonReading.unexpected(q, item, "a token id");
            }
            return token;
        }));
    }

    private static List<ToolCallPiece> readToolCalls(JsonParser p, String path) throws IOException {
        if (!open(p, JsonToken.START_ARRAY, path)) {
            return null;
        }
        List<ToolCallPiece> calls = new ArrayList<>(2);
        // Paths name the field in an error; built once per array, not per item.
        String item = path + "[]";
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (!open(p, JsonToken.START_OBJECT, item)) {
                throw JsonReading.unexpected(p, item, "an object");
            }
            Integer index = null;
            String id = null;
            String type = null;
            String fnName = null;
            String arguments = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "index" -> index = intValue(p, item + ".index");
                    case "id" -> id = string(p, item + ".id");
                    case "type" -> type = string(p, item + ".type");
                    case "function" -> {
                        if (open(p, JsonToken.START_OBJECT, item + ".function")) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String fnField = p.currentName();
                                p.nextToken();
                                switch (fnField) {
                                    case "name" -> fnName = string(p, item + ".function.name");
                                    // A JSON string by contract; some servers send the object itself.
                                    case "arguments" -> arguments = rawText(p);
                                    default -> p.skipChildren();
                                }
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            calls.add(new ToolCallPiece(index, id, type, fnName, arguments));
        }
        return calls;
    }

    private static Usage readUsage(JsonParser p) throws IOException {
        if (!open(p, JsonToken.START_OBJECT, "usage")) {
            return null;
        }
        Integer prompt = null;
        Integer completion = null;
        Integer total = null;
        Integer cached = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "prompt_tokens" -> prompt = intValue(p, "usage.prompt_tokens");
                case "completion_tokens" -> completion = intValue(p, "usage.completion_tokens");
                case "total_tokens" -> total = intValue(p, "usage.total_tokens");
                case "prompt_tokens_details" -> {
                    if (open(p, JsonToken.START_OBJECT, "usage.prompt_tokens_details")) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String field = p.currentName();
                            p.nextToken();
                            if (field.equals("cached_tokens")) {
                                cached = intValue(p, "usage.prompt_tokens_details.cached_tokens");
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        int promptTokens = prompt == null ? 0 : prompt;
        int completionTokens = completion == null ? 0 : completion;
        // total_tokens is prompt + completion by definition; a server that leaves it out loses nothing.
        return new Usage(promptTokens, completionTokens, total == null ? promptTokens + completionTokens : total, cached);
    }

    /**
     * Reads any of the three logprobs shapes into {@link TokenLogprob}s: chat ({@code {"content":[...]}}),
     * completions ({@code {"tokens","token_logprobs","top_logprobs","text_offset"}}, parallel arrays) and the
     * older flat list of floats. {@code null} for JSON null.
     */
    private static ArrayList<TokenLogprob> readLogprobs(JsonParser p, String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.START_ARRAY) {
            ArrayList<TokenLogprob> flat = new ArrayList<>();
            String item = path + "[]";
            while (p.nextToken() != JsonToken.END_ARRAY) {
                flat.add(new TokenLogprob(null, logprob(p, item), null, null, null));
            }
            return flat;
        }
        if (t != JsonToken.START_OBJECT) {
            throw JsonReading.unexpected(p, path, "an object or an array of numbers");
        }
        ArrayList<TokenLogprob> content = null;
        List<String> tokens = null;
        List<Double> tokenLogprobs = null;
        List<List<TopLogprob>> tops = null;
        List<Integer> offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "content" -> content = readChatContent(p, path + ".content");
                case "tokens" -> tokens = readStrings(p, path + ".tokens");
                case "token_logprobs" -> tokenLogprobs = readLogprobList(p, path + ".token_logprobs");
                case "top_logprobs" -> tops = readTopLogprobMaps(p, path + ".top_logprobs");
                case "text_offset" -> offsets = readOffsets(p, path + ".text_offset");
                default -> p.skipChildren();
            }
        }
        if (content != null) {
            return content;
        }
        int n = commonLength(path, tokens, tokenLogprobs, tops, offsets);
        ArrayList<TokenLogprob> zipped = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            zipped.add(new TokenLogprob(
                    tokens == null ? null : tokens.get(i),
                    tokenLogprobs == null ? Double.NaN : tokenLogprobs.get(i),
                    null,
                    offsets == null ? null : offsets.get(i),
                    tops == null ? null : tops.get(i)));
        }
        return zipped;
    }

    /** The parallel arrays must agree on their length, or positions would be paired wrongly. */
    private static int commonLength(String path, List<?>... arrays) {
        String[] names = {"tokens", "token_logprobs", "top_logprobs", "text_offset"};
        int n = -1;
        String first = null;
        for (int i = 0; i < arrays.length; i++) {
            if (arrays[i] == null) {
                continue;
            }
            if (n < 0) {
                n = arrays[i].size();
                first = names[i];
            } else if (arrays[i].size() != n) {
                throw new MalformedBodyException(path + ": " + first + " has " + n + " entries but " + names[i]
                        + " has " + arrays[i].size() + "; the arrays must be parallel");
            }
        }
        return Math.max(n, 0);
    }

    private static ArrayList<TokenLogprob> readChatContent(JsonParser p, String path) throws IOException {
        ArrayList<TokenLogprob> content = new ArrayList<>();
        if (!open(p, JsonToken.START_ARRAY, path)) {
            return content;
        }
        // Paths name the field in an error; built once per array, not per token of an answer.
        String item = path + "[]";
        String tokenPath = item + ".token";
        String logprobPath = item + ".logprob";
        String bytesPath = item + ".bytes";
        String topsPath = item + ".top_logprobs";
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (!open(p, JsonToken.START_OBJECT, item)) {
                throw JsonReading.unexpected(p, item, "an object");
            }
            String token = null;
            double logprob = Double.NaN;
            List<Integer> bytes = null;
            List<TopLogprob> tops = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "token" -> token = string(p, tokenPath);
                    case "logprob" -> logprob = logprob(p, logprobPath);
                    case "bytes" -> bytes = readBytes(p, bytesPath);
                    case "top_logprobs" -> tops = readTopLogprobList(p, topsPath);
                    default -> p.skipChildren();
                }
            }
            content.add(new TokenLogprob(token, logprob, bytes, null, tops));
        }
        return content;
    }

    private static List<TopLogprob> readTopLogprobList(JsonParser p, String path) throws IOException {
        if (!open(p, JsonToken.START_ARRAY, path)) {
            return null;
        }
        List<TopLogprob> tops = new ArrayList<>();
        String item = path + "[]";
        String tokenPath = item + ".token";
        String logprobPath = item + ".logprob";
        String bytesPath = item + ".bytes";
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (!open(p, JsonToken.START_OBJECT, item)) {
                throw JsonReading.unexpected(p, item, "an object");
            }
            String token = null;
            double logprob = Double.NaN;
            List<Integer> bytes = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "token" -> token = string(p, tokenPath);
                    case "logprob" -> logprob = logprob(p, logprobPath);
                    case "bytes" -> bytes = readBytes(p, bytesPath);
                    default -> p.skipChildren();
                }
            }
            tops.add(new TopLogprob(token, logprob, bytes));
        }
        tops.sort(BEST_FIRST);
        return tops;
    }

    /** Completions' {@code top_logprobs}: one {token: logprob} object per position (null when none). */
    private static List<List<TopLogprob>> readTopLogprobMaps(JsonParser p, String path) throws IOException {
        if (!open(p, JsonToken.START_ARRAY, path)) {
            return null;
        }
        List<List<TopLogprob>> positions = new ArrayList<>();
        String item = path + "[]";
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (!open(p, JsonToken.START_OBJECT, item)) {
                positions.add(List.of());
                continue;
            }
            List<TopLogprob> tops = new ArrayList<>();
            // Reading the object as a stream keeps duplicate keys, which a map would collapse.
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String token = p.currentName();
                p.nextToken();
                if (!p.currentToken().isNumeric()) {
                    logprob(p, item + "." + token); // throws, naming the token; built only then
                }
                tops.add(new TopLogprob(token, logprob(p, item), null));
            }
            tops.sort(BEST_FIRST);
            positions.add(tops);
        }
        return positions;
    }

    private static List<String> readStrings(JsonParser p, String path) throws IOException {
        return readArray(p, path, JsonReading::string);
    }

    private static List<Double> readLogprobList(JsonParser p, String path) throws IOException {
        return readArray(p, path, JsonReading::logprob);
    }

    private static List<Integer> readOffsets(JsonParser p, String path) throws IOException {
        return readArray(p, path, JsonReading::intValue);
    }

    private static List<Integer> readBytes(JsonParser p, String path) throws IOException {
        return readArray(p, path, (q, item) -> {
            Integer b = intValue(q, item);
            if (b == null) {
                throw JsonReading.unexpected(q, item, "a byte value");
            }
            return b;
        });
    }

    /** An array read item by item, or {@code null} for JSON null; {@code item} names each in an error. */
    private static <T> List<T> readArray(JsonParser p, String path, Item<T> item) throws IOException {
        if (!open(p, JsonToken.START_ARRAY, path)) {
            return null;
        }
        String itemPath = path + "[]";
        List<T> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(item.read(p, itemPath));
        }
        return out;
    }

    /** Reads the value at the parser's current token. */
    @FunctionalInterface
    private interface Item<T> {
        T read(JsonParser p, String path) throws IOException;
    }
}
