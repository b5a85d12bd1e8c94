package io.friendliflink.job.report;

import java.util.Locale;

/**
 * Writes SVG (or any XML-like markup) into a string: elements from name/value attribute pairs, text and
 * attributes escaped, numbers with a dot and at most two decimals whatever the default locale.
 *
 * <p>{@code new Svg().open("svg", "width", 200, "height", 100).empty("rect", "x", 0, "y", 0).close("svg")}
 */
final class Svg {
    private final StringBuilder out = new StringBuilder();

    Svg open(String tag, Object... attributes) {
        out.append('<').append(tag);
        attributes(attributes);
        out.append('>');
        return this;
    }

    Svg close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    Svg empty(String tag, Object... attributes) {
        out.append('<').append(tag);
        attributes(attributes);
        out.append("/>");
        return this;
    }

    /** An element holding only {@code text}. */
    Svg text(String tag, String text, Object... attributes) {
        open(tag, attributes);
        out.append(escape(text));
        return close(tag);
    }

    /** Markup written elsewhere, as is. */
    Svg raw(String markup) {
        out.append(markup);
        return this;
    }

    private void attributes(Object[] attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name/value pairs, got " + attributes.length);
        }
        for (int i = 0; i < attributes.length; i += 2) {
            Object value = attributes[i + 1];
            if (value != null) {
                out.append(' ').append(attributes[i]).append("=\"").append(escape(format(value))).append('"');
            }
        }
    }

    static String format(Object value) {
        if (value instanceof Double || value instanceof Float) {
            return number(((Number) value).doubleValue());
        }
        return String.valueOf(value);
    }

    /** {@code 12}, {@code 12.5}, {@code 0.25}: at most two decimals, no trailing zeros. */
    static String number(double value) {
        String s = String.format(Locale.ROOT, "%.2f", value);
        s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        return s.equals("-0") ? "0" : s;
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
