package io.friendliflink.api.request;

/**
 * One broken rule of a request body.
 *
 * @param field the JSON field name (dotted for nested ones, e.g. {@code response_format.type})
 * @param value the offending value as JSON text, or {@code null} when the field is missing
 * @param rule what the API requires, in words, e.g. {@code "must be between -2.0 and 2.0"}
 */
public record Violation(String field, String value, String rule) {

    /** A message that names the field, the value and the rule: {@code top_p=1.5: must be in (0, 1]}. */
    public String message() {
        return value == null ? field + ": " + rule : field + "=" + value + ": " + rule;
    }
}
