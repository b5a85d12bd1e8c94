package io.friendliflink.emulator.model;

import io.friendliflink.api.request.Tool;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in tools of tool-assisted chat, "run" deterministically on the last user message.
 *
 * <p>Which tool runs: the first listed tool whose keywords appear in the message (calculator: an
 * arithmetic expression or "calculate"/"compute"; statistics: "mean", "average", "median", ...;
 * calendar: "date", "day", "week", ...; web:url: a URL; searches: "search", "find", "look up", ...;
 * python: "python", "code", "script", ...; file:text: "file", "document"), else the first listed tool.
 * {@code math:calculator} really evaluates the expression, {@code math:statistics} really computes
 * count, mean, median, min, max and sample standard deviation of the numbers in the message, and
 * {@code math:calendar} gives the weekday of a {@code YYYY-MM-DD} date in it; the others return fixed
 * text built from their parameters.
 */
final class BuiltInTools {

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern URL = Pattern.compile("https?://[^\\s\"'<>]+");

    private BuiltInTools() {}

    /** The tool to run among {@code tools} (all built-in, in request order) for {@code message}. */
    static Tool choose(List<Tool> tools, String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        for (Tool tool : tools) {
            if (matches(tool.type(), message, lower)) {
                return tool;
            }
        }
        return tools.get(0);
    }

    private static boolean matches(String type, String message, String lower) {
        return switch (type) {
            case "math:calculator" -> Calculator.findExpression(message) != null
                    || containsAny(lower, "calculate", "compute");
            case "math:statistics" -> containsAny(
                    lower, "mean", "average", "median", "statistic", "standard deviation", "variance");
            case "math:calendar" -> DATE.matcher(message).find()
                    || containsAny(lower, "date", "day", "week", "month", "calendar", "today", "tomorrow");
            case "web:url" -> URL.matcher(message).find();
            case "web:search", "linkup:search" -> containsAny(lower, "search", "find", "look up", "news", "latest");
            case "code:python-interpreter" -> containsAny(lower, "python", "code", "script", "program");
            case "file:text" -> containsAny(lower, "file", "document");
            default -> false;
        };
    }

    private static boolean containsAny(String text, String... words) {
        for (String word : words) {
            if (text.contains(word)) {
                return true;
            }
        }
        return false;
    }

    static BuiltInToolRun run(Tool tool, String message, String callId) {
        String type = tool.type();
        return switch (type) {
            case "math:calculator" -> calculator(message, callId);
            case "math:statistics" -> statistics(message, callId);
            case "math:calendar" -> calendar(message, callId);
            case "web:url" -> {
                Matcher m = URL.matcher(message);
                String url = m.find() ? m.group() : "https://example.com/";
                yield ok(callId, type, "url", url, "Fetched " + url + ": an example page about " + topic(message) + ".");
            }
            case "web:search", "linkup:search" -> {
                String query = abbreviate(message, 200);
                String slug = Long.toHexString(Mix.mix(query.hashCode()) >>> 32);
                yield ok(callId, type, "query", query,
                        "1. " + topic(message) + " - https://example.com/" + slug + "/1\n"
                                + "2. More on " + topic(message) + " - https://example.org/" + slug + "/2\n"
                                + "3. " + topic(message) + " explained - https://example.net/" + slug + "/3");
            }
            case "code:python-interpreter" -> {
                String code = "print(" + quote(abbreviate(message, 80)) + ")";
                yield ok(callId, type, "code", code, abbreviate(message, 80));
            }
            case "file:text" -> {
                List<String> files = tool instanceof Tool.FileText fileText ? fileText.files() : null;
                String file = files != null && !files.isEmpty() ? files.get(0) : "file";
                yield ok(callId, type, "file_id", file, "The file " + file + " contains notes about " + topic(message) + ".");
            }
            default -> throw new IllegalArgumentException("tools: unknown built-in tool type '" + type + "'");
        };
    }

    /** The opening of the answer after {@code run}, emitted before the model continues. */
    static String answerOpening(BuiltInToolRun run) {
        if (run.errorMessage() != null) {
            return "The tool " + run.name() + " failed: " + run.errorMessage() + ".";
        }
        return switch (run.name()) {
            case "math:calculator" -> "The result is " + run.result() + ".";
            case "math:statistics" -> "The statistics are " + run.result() + ".";
            case "math:calendar" -> run.result();
            default -> "Here is what I found.";
        };
    }

    private static BuiltInToolRun calculator(String message, String callId) {
        String expression = Calculator.findExpression(message);
        if (expression == null) {
            return new BuiltInToolRun(callId, "math:calculator",
                    List.of(new BuiltInToolRun.Parameter("expression", "")), null,
                    "no arithmetic expression found in the message");
        }
        List<BuiltInToolRun.Parameter> parameters = List.of(new BuiltInToolRun.Parameter("expression", expression));
        try {
            return new BuiltInToolRun(callId, "math:calculator", parameters, Calculator.evaluate(expression), null);
        } catch (ArithmeticException e) {
            return new BuiltInToolRun(callId, "math:calculator", parameters, null, e.getMessage());
        }
    }

    private static BuiltInToolRun statistics(String message, String callId) {
        List<Double> values = new ArrayList<>();
        Matcher m = NUMBER.matcher(message);
        while (m.find()) {
            values.add(Double.parseDouble(m.group()));
        }
        String data = values.stream().map(Calculator::format).reduce((a, b) -> a + ", " + b).orElse("");
        List<BuiltInToolRun.Parameter> parameters = List.of(new BuiltInToolRun.Parameter("data", data));
        if (values.isEmpty()) {
            return new BuiltInToolRun(callId, "math:statistics", parameters, null, "no numbers found in the message");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double mean = Arrays.stream(sorted).average().orElse(0);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        double squares = 0;
        for (double v : sorted) {
            squares += (v - mean) * (v - mean);
        }
        double stdev = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
        String result = "count " + n + ", mean " + Calculator.format(mean) + ", median " + Calculator.format(median)
                + ", min " + Calculator.format(sorted[0]) + ", max " + Calculator.format(sorted[n - 1])
                + ", standard deviation " + Calculator.format(stdev);
        return new BuiltInToolRun(callId, "math:statistics", parameters, result, null);
    }

    private static BuiltInToolRun calendar(String message, String callId) {
        Matcher m = DATE.matcher(message);
        String date = m.find() ? m.group() : "2025-01-01";
        try {
            LocalDate day = LocalDate.parse(date);
            String weekday = day.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            return ok(callId, "math:calendar", "date", date, date + " is a " + weekday + ".");
        } catch (DateTimeParseException e) {
            return new BuiltInToolRun(callId, "math:calendar",
                    List.of(new BuiltInToolRun.Parameter("date", date)), null, date + " is not a valid date");
        }
    }

    private static BuiltInToolRun ok(String callId, String name, String parameter, String value, String result) {
        return new BuiltInToolRun(callId, name, List.of(new BuiltInToolRun.Parameter(parameter, value)), result, null);
    }

    private static String topic(String message) {
        String[] words = message.replaceAll("[^\\p{L}\\p{N} ]", " ").trim().split("\\s+");
        StringBuilder out = new StringBuilder();
        for (int i = Math.max(0, words.length - 3); i < words.length; i++) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(words[i]);
        }
        return out.length() == 0 ? "the question" : out.toString();
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    private static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
    }
}
