package io.friendliflink.job.rows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Text with {@code {name}} placeholders; {@code {{} and {@code }}} stand for literal braces (so a JSON
 * example in a prompt reads {@code {{"answer": ...}}}). Parsed once; rendering is a walk over its parts.
 */
public final class Template {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String text;
    private final List<String> literals = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    private Template(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException naming the position of an unclosed or empty placeholder */
    public static Template parse(String text) {
        Template t = new Template(text);
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                literal.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') {
                literal.append('}');
                i += 2;
            } else if (c == '{') {
                int end = text.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("placeholder at position " + i
                            + " is not closed with }; write {{ for a literal brace");
                }
                String name = text.substring(i + 1, end).trim();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("empty placeholder {} at position " + i);
                }
                t.literals.add(literal.toString());
                literal.setLength(0);
                t.names.add(name);
                i = end + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        t.literals.add(literal.toString());
        return t;
    }

    /** The placeholder names, each once, in order of appearance. */
    public Set<String> placeholders() {
        return new LinkedHashSet<>(names);
    }

    /** Renders with {@code values}; a name {@code values} returns {@code null} for renders as empty text. */
    public String render(Function<String, String> values) {
        StringBuilder out = new StringBuilder(text.length() + 64);
        for (int i = 0; i < names.size(); i++) {
            out.append(literals.get(i));
            String v = values.apply(names.get(i));
            if (v != null) {
                out.append(v);
            }
        }
        out.append(literals.get(literals.size() - 1));
        return out.toString();
    }

    /** Renders with a row's values: text as is, lists and other values as JSON. */
    public String render(Map<String, Object> row) {
        return render(name -> asText(row.get(name)));
    }

    public static String asText(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
