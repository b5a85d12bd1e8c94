package io.friendliflink.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration tables (every table headed {@code | key | default | meaning |}) against the
 * {@link ConfigOption}s: each option documented, with its default, and no documented key without an option.
 *
 * <p>A row may name several keys ({@code `a`, `b`} or {@code `emulator.faults.{500,502}`}); its default cell
 * then holds one value for each, or one for all. A default cell without a {@code `value`} (a dash, "required",
 * "row number") documents an option without a default; text after the value names an exception, such as the
 * default of another endpoint type, which the option's description names too.
 */
class ReadmeConfigurationTableTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern BRACES = Pattern.compile("(.*)\\{([^}]*)}(.*)");

    @Test
    void everyOptionIsDocumentedWithItsDefault() throws IOException {
        Map<String, String> documented = documentedDefaults();
        List<String> wrong = new ArrayList<>();
        for (ConfigOption<?> option : options()) {
            if (!documented.containsKey(option.key())) {
                wrong.add(option.key() + ": not in the README");
                continue;
            }
            String cell = documented.get(option.key());
            if (!agrees(option, cell)) {
                wrong.add(option.key() + ": README says " + (cell == null ? "no default" : "`" + cell + "`")
                        + ", the option " + (option.hasDefaultValue() ? "`" + option.defaultValue() + "`" : "none"));
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyDocumentedKeyIsAnOption() throws IOException {
        List<String> keys = options().stream().map(ConfigOption::key).toList();
        assertThat(documentedDefaults().keySet()).as("documented keys without an option")
                .filteredOn(key -> !keys.contains(key)).isEmpty();
    }

    @Test
    void theTablesAreFound() throws IOException {
        // A changed header would otherwise leave nothing to check.
        assertThat(documentedDefaults()).containsKeys("mode", "calls.deadline", "evaluate.task", "generate.n",
                "resume.enabled", "emulator.faults.429-retry-after");
    }

    private static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> all = new ArrayList<>(JobOptions.all());
        all.addAll(EmulatorOptions.all());
        return all;
    }

    /** Each documented key and the value of its default cell, {@code null} for none. */
    private static Map<String, String> documentedDefaults() throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(README)) {
            if (line.replace(" ", "").equals("|key|default|meaning|")) {
                inTable = true;
                continue;
            }
            if (!line.startsWith("|")) {
                inTable = false;
            }
            if (!inTable || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.split("(?<!\\\\)\\|");
            List<String> keys = expand(codes(cells[1]));
            List<String> values = codes(cells[2]);
            for (int i = 0; i < keys.size(); i++) {
                String value = values.isEmpty() ? null : values.size() == keys.size() ? values.get(i) : values.get(0);
                String before = defaults.put(keys.get(i), value);
                assertThat(before == null || before.equals(value)).as("%s documented twice, differently", keys.get(i))
                        .isTrue();
            }
        }
        return defaults;
    }

    private static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }

    private static List<String> expand(List<String> keys) {
        List<String> expanded = new ArrayList<>();
        for (String key : keys) {
            Matcher m = BRACES.matcher(key);
            if (m.matches()) {
                for (String part : m.group(2).split(",")) {
                    expanded.add(m.group(1) + part.trim() + m.group(3));
                }
            } else {
                expanded.add(key);
            }
        }
        return expanded;
    }

    private static boolean agrees(ConfigOption<?> option, String cell) {
        if (!option.hasDefaultValue() || cell == null) {
            return !option.hasDefaultValue() && cell == null;
        }
        Object value = option.defaultValue();
        if (value instanceof Duration d) {
            return d.equals(ConfigSection.parseDuration(cell));
        }
        if (value instanceof Enum<?> e) {
            return e.name().equals(cell.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        if (value instanceof Map<?, ?> map) {
            return map.isEmpty() && cell.equals("{}");
        }
        if (value instanceof Double d) {
            return d == Double.parseDouble(cell);
        }
        return String.valueOf(value).equals(cell);
    }
}
