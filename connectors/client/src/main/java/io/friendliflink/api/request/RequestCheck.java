package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a JSON body as a typed request of a kind and validates it; never throws for bad input.
 *
 * <p>The client validates with it before any call, and the emulator answers {@code 422} with the same
 * violations, so both sides enforce one set of rules.
 *
 * <pre>{@code
 * CheckedRequest checked = RequestCheck.check(ApiKind.CHAT_COMPLETIONS, body);
 * if (!checked.isValid()) {
 *     // checked.violations().get(0).message() -> "top_p=1.5: must be in (0, 1]"
 * }
 * }</pre>
 */
public final class RequestCheck {
    private RequestCheck() {}

    /**
     * Reads {@code body} as a request of {@code kind}; wrong JSON types and broken rules become violations.
     *
     * <p>The result carries the typed request whenever every value had the right JSON type, even if rules
     * are broken; it carries {@code null} when the body could not be read (not an object, a wrong type).
     */
    public static CheckedRequest check(ApiKind kind, JsonNode body) {
        List<Violation> unreadable = readability(kind, body);
        if (!unreadable.isEmpty()) {
            return new CheckedRequest(null, unreadable);
        }
        RequestReader reader = new RequestReader();
        InferenceRequest request = reader.read(kind, body);
        List<Violation> shape = reader.violations();
        if (shape.isEmpty()) {
            return new CheckedRequest(request, new RequestRules(Set.of()).check(request));
        }
        // Rules still run on what could be read, so one answer lists every problem; but a field whose
        // value was unreadable must not be reported again as "missing", nor trip rules about its absence.
        Set<String> broken = new HashSet<>();
        for (Violation violation : shape) {
            broken.add(topLevel(violation.field()));
        }
        List<Violation> all = new ArrayList<>(shape);
        for (Violation violation : new RequestRules(broken).check(request)) {
            if (!broken.contains(topLevel(violation.field()))) {
                all.add(violation);
            }
        }
        return new CheckedRequest(null, all);
    }

    /** Every rule {@code request} breaks; empty when the API would accept it. */
    public static List<Violation> check(InferenceRequest request) {
        return new RequestRules(Set.of()).check(request);
    }

    /**
     * Returns {@code request} when it breaks no rule.
     *
     * @throws InvalidRequestException listing every broken rule otherwise
     */
    public static <R extends InferenceRequest> R requireValid(R request) {
        List<Violation> violations = check(request);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return request;
    }

    /** Why {@code body} cannot be read at all as a request of {@code kind}; empty when it can be. */
    static List<Violation> readability(ApiKind kind, JsonNode body) {
        if (kind == null || !kind.isGeneration()) {
            return List.of(new Violation("kind", String.valueOf(kind),
                    "must be COMPLETIONS, CHAT_COMPLETIONS or TOOL_ASSISTED_CHAT_COMPLETIONS"));
        }
        if (body == null || !body.isObject()) {
            return List.of(new Violation("body", body == null ? null : Values.of(body), "must be a JSON object"));
        }
        return List.of();
    }

    private static String topLevel(String field) {
        int end = field.length();
        int dot = field.indexOf('.');
        int bracket = field.indexOf('[');
        if (dot >= 0) {
            end = dot;
        }
        if (bracket >= 0 && bracket < end) {
            end = bracket;
        }
        return field.substring(0, end);
    }
}
