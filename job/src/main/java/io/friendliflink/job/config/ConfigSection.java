package io.friendliflink.job.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;

/**
 * Typed reads from one mapping of the YAML configuration, collecting problems instead of throwing.
 *
 * <p>Every read names its key, so a problem reads {@code calls.max-attempts: must be at least 1, was 0};
 * keys nobody read are reported as unknown by {@link #finish()}, which catches typos such as
 * {@code reqests-per-minute} at start instead of silently using a default.
 *
 * <p>{@code
 * ConfigSection calls = root.section("calls");
 * int attempts = calls.intValue("max-attempts", 8, 1, 100);
 * root.finish(); // throws ConfigException listing every problem
 * }
 */
public final class ConfigSection {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final String path;
    private final JsonNode node;
    private final List<String> problems;
    private final Set<String> read = new LinkedHashSet<>();
    private final List<ConfigSection> children = new ArrayList<>();

    private ConfigSection(String path, JsonNode node, List<String> problems) {
        this.path = path;
        this.node = node;
        this.problems = problems;
    }

    /** The root of a configuration tree; a missing or null tree reads as empty. */
    public static ConfigSection root(JsonNode tree) {
        List<String> problems = new ArrayList<>();
        JsonNode node = tree;
        if (node != null && !node.isNull() && !node.isMissingNode() && !node.isObject()) {
            problems.add("the configuration must be a mapping of keys to values, was " + node.getNodeType());
            node = null;
        }
        return new ConfigSection("", node, problems);
    }

    /** A nested mapping; a missing one reads as empty so its keys take their defaults. */
    public ConfigSection section(String key) {
        JsonNode child = get(key);
        if (child != null && !child.isObject()) {
            problem(key, "must be a mapping of keys to values, was " + describe(child));
            child = null;
        }
        ConfigSection section = new ConfigSection(qualified(key), child, problems);
        children.add(section);
        return section;
    }

    public boolean has(String key) {
        return node != null && node.has(key) && !node.get(key).isNull();
    }

    public String string(String key, String defaultValue) {
        JsonNode v = get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isValueNode()) {
            problem(key, "must be a text value, was " + describe(v));
            return defaultValue;
        }
        return v.asText();
    }

    /** A value that must be present: a problem names the key when it is not. */
    public String requiredString(String key, String whatItIs) {
        String value = string(key, null);
        if (value == null || value.isBlank()) {
            problem(key, "is required: " + whatItIs);
        }
        return value;
    }

    public boolean bool(String key, boolean defaultValue) {
        JsonNode v = get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        problem(key, "must be true or false, was " + describe(v));
        return defaultValue;
    }

    public long longValue(String key, long defaultValue, long min, long max) {
        JsonNode v = get(key);
        if (v == null) {
            return defaultValue;
        }
        long value;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            value = v.longValue();
        } else if (v.isTextual() && v.asText().matches("-?\\d+")) {
            value = Long.parseLong(v.asText());
        } else {
            problem(key, "must be a whole number, was " + describe(v));
            return defaultValue;
        }
        if (value < min || value > max) {
            problem(key, "must be between " + min + " and " + max + ", was " + value);
            return defaultValue;
        }
        return value;
    }

    public int intValue(String key, int defaultValue, int min, int max) {
        return (int) longValue(key, defaultValue, min, max);
    }

    public double doubleValue(String key, double defaultValue, double min, double max) {
        JsonNode v = get(key);
        if (v == null) {
            return defaultValue;
        }
        double value;
        if (v.isNumber()) {
            value = v.doubleValue();
        } else {
            try {
                value = Double.parseDouble(v.asText());
            } catch (NumberFormatException e) {
                problem(key, "must be a number, was " + describe(v));
                return defaultValue;
            }
        }
        if (!(value >= min && value <= max)) {
            problem(key, "must be between " + min + " and " + max + ", was " + value);
            return defaultValue;
        }
        return value;
    }

    /** A duration such as {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}; a bare number is seconds. */
    public Duration duration(String key, Duration defaultValue, Duration min) {
        JsonNode v = get(key);
        if (v == null) {
            return defaultValue;
        }
        Duration value = parseDuration(v.asText());
        if (value == null || !v.isValueNode()) {
            problem(key, "must be a duration such as 500ms, 30s, 10m or 2h, was " + describe(v));
            return defaultValue;
        }
        if (value.compareTo(min) < 0) {
            problem(key, "must be at least " + min.toMillis() + "ms, was " + v.asText());
            return defaultValue;
        }
        return value;
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        String text = string(key, null);
        if (text == null) {
            return defaultValue;
        }
        String constant = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(constant)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        problem(key, "must be one of " + names + ", was " + text);
        return defaultValue;
    }

    public List<String> stringList(String key, List<String> defaultValue) {
        JsonNode v = get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v.isTextual()) {
            List<String> values = new ArrayList<>();
            for (String part : v.asText().split(",")) {
                if (!part.isBlank()) {
                    values.add(part.trim());
                }
            }
            return values;
        }
        if (!v.isArray()) {
            problem(key, "must be a list of text values, was " + describe(v));
            return defaultValue;
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : v) {
            values.add(item.asText());
        }
        return values;
    }

    /** A mapping kept as JSON (request body defaults), for the parts the job passes through untouched. */
    public ObjectNode objectValue(String key) {
        JsonNode v = get(key);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            problem(key, "must be a mapping, was " + describe(v));
            return null;
        }
        return (ObjectNode) v;
    }

    /** Any value kept as JSON (a list of mappings, say), or {@code null} when missing; the caller checks its shape. */
    public JsonNode value(String key) {
        return get(key);
    }

    // ---- by option: the key and the default are the option's (JobOptions), so neither is written twice.

    public boolean has(ConfigOption<?> option) {
        return has(key(option));
    }

    public String string(ConfigOption<String> option) {
        return string(key(option), option.defaultValue());
    }

    /** For a default that depends on another key; {@code whenUnset} replaces the option's. */
    public String string(ConfigOption<String> option, String whenUnset) {
        return string(key(option), whenUnset);
    }

    public String requiredString(ConfigOption<String> option, String whatItIs) {
        return requiredString(key(option), whatItIs);
    }

    public boolean bool(ConfigOption<Boolean> option) {
        return bool(key(option), option.defaultValue());
    }

    public long longValue(ConfigOption<Long> option, long min, long max) {
        return longValue(key(option), option.defaultValue(), min, max);
    }

    public int intValue(ConfigOption<Integer> option, int min, int max) {
        return intValue(key(option), option.defaultValue(), min, max);
    }

    public double doubleValue(ConfigOption<Double> option, double min, double max) {
        return doubleValue(option, option.defaultValue(), min, max);
    }

    /** For a default that depends on another key; {@code whenUnset} replaces the option's. */
    public double doubleValue(ConfigOption<Double> option, double whenUnset, double min, double max) {
        return doubleValue(key(option), whenUnset, min, max);
    }

    public Duration duration(ConfigOption<Duration> option, Duration min) {
        return duration(key(option), option.defaultValue(), min);
    }

    public <E extends Enum<E>> E enumValue(ConfigOption<E> option) {
        E defaultValue = option.defaultValue();
        return enumValue(key(option), defaultValue.getDeclaringClass(), defaultValue);
    }

    /** A list, empty when the option has no default and the key is not set. */
    public List<String> stringList(ConfigOption<List<String>> option) {
        return stringList(key(option), option.hasDefaultValue() ? option.defaultValue() : List.of());
    }

    /** A mapping kept as JSON; the option's default, if any, is the empty one. */
    public ObjectNode objectValue(ConfigOption<?> option) {
        return objectValue(key(option));
    }

    public JsonNode value(ConfigOption<?> option) {
        return value(key(option));
    }

    /** The option's key within this section; a key of another section is a mistake in the code. */
    private String key(ConfigOption<?> option) {
        String prefix = path.isEmpty() ? "" : path + ".";
        String key = option.key();
        if (!key.startsWith(prefix) || key.indexOf('.', prefix.length()) >= 0) {
            throw new IllegalArgumentException("option " + key + " is not a key of section "
                    + (path.isEmpty() ? "(root)" : path));
        }
        return key.substring(prefix.length());
    }

    /** Records a problem that involves this section's key, such as a rule across two fields. */
    public void problem(String key, String message) {
        problems.add(qualified(key) + ": " + message);
    }

    /** Throws a {@link ConfigException} listing every problem, unknown keys included; call once, on the root. */
    public void finish() {
        collectUnknownKeys();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private void collectUnknownKeys() {
        if (node != null) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!read.contains(key)) {
                    problems.add(qualified(key) + ": unknown key" + (read.isEmpty() ? "" : "; known keys here are " + read));
                }
            }
        }
        for (ConfigSection child : children) {
            child.collectUnknownKeys();
        }
    }

    private JsonNode get(String key) {
        read.add(key);
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    private String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static Duration parseDuration(String text) {
        String t = text.trim();
        if (t.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            return null;
        }
        long amount = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            default:
                return Duration.ofDays(amount);
        }
    }

    private static String describe(JsonNode v) {
        String text = v.isValueNode() ? v.asText() : v.toString();
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
