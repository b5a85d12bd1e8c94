package io.friendliflink.emulator.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a string that a regular expression matches in full, by walking the expression.
 *
 * <p>Supported subset: literals and escaped metacharacters; {@code .}; character classes with ranges
 * and negation; {@code \d \w \s \D \W \S} (also inside classes); {@code \t \n \r \f}, {@code \xHH},
 * {@code \}{@code uHHHH}; groups {@code (...)}, {@code (?:...)}, {@code (?<name>...)}; alternation
 * {@code |}; quantifiers {@code ? * + {m} {m,} {m,n}}, also lazy ({@code *?}); {@code ^} at the very start
 * and {@code $} at the very end. Anything else (backreferences, lookaround, word boundaries, possessive
 * quantifiers, inline flags, {@code \p{..}}) is rejected with an {@link IllegalArgumentException} that
 * names the construct and its position. Unbounded repetitions repeat at most three times beyond their
 * minimum; {@code .}, {@code \S} and negated classes draw from printable ASCII.
 */
final class RegexWriter {

    private static final int UNBOUNDED = -1;
    private static final int EXTRA_REPEATS = 3;

    private sealed interface Node permits Literal, CharClass, Sequence, Alternation, Repeat {}

    private record Literal(int codePoint) implements Node {}

    private record Sequence(List<Node> items) implements Node {}

    private record Alternation(List<Node> options) implements Node {}

    private record Repeat(Node item, int min, int max) implements Node {}

    /** A set of code points: the given ranges, plus shorthand classes, optionally negated. */
    private record CharClass(List<int[]> ranges, List<Character> shorthands, boolean negated) implements Node {
        boolean contains(int c) {
            boolean in = false;
            for (int[] r : ranges) {
                in |= c >= r[0] && c <= r[1];
            }
            for (char s : shorthands) {
                in |= shorthandContains(s, c);
            }
            return in != negated;
        }
    }

    private final Node root;

    private RegexWriter(Node root) {
        this.root = root;
    }

    /** Parses {@code pattern}; throws {@link IllegalArgumentException} for constructs outside the subset. */
    static RegexWriter compile(String pattern) {
        Parser parser = new Parser(pattern);
        Node node = parser.parseAll();
        return new RegexWriter(node);
    }

    String write(SplittableRandom random) {
        StringBuilder out = new StringBuilder();
        write(root, random, out);
        return out.toString();
    }

    private static void write(Node node, SplittableRandom random, StringBuilder out) {
        if (node instanceof Literal literal) {
            out.appendCodePoint(literal.codePoint());
        } else if (node instanceof Sequence sequence) {
            for (Node item : sequence.items()) {
                write(item, random, out);
            }
        } else if (node instanceof Alternation alternation) {
            write(alternation.options().get(random.nextInt(alternation.options().size())), random, out);
        } else if (node instanceof Repeat repeat) {
            int max = repeat.max() == UNBOUNDED
                    ? repeat.min() + EXTRA_REPEATS
                    : Math.min(repeat.max(), repeat.min() + 8);
            int times = repeat.min() + random.nextInt(max - repeat.min() + 1);
            for (int i = 0; i < times; i++) {
                write(repeat.item(), random, out);
            }
        } else {
            out.appendCodePoint(pick((CharClass) node, random));
        }
    }

    private static int pick(CharClass set, SplittableRandom random) {
        if (!set.negated() && set.shorthands().isEmpty()) {
            long total = 0;
            for (int[] r : set.ranges()) {
                total += r[1] - r[0] + 1L;
            }
            long k = random.nextLong(total);
            for (int[] r : set.ranges()) {
                long size = r[1] - r[0] + 1L;
                if (k < size) {
                    return (int) (r[0] + k);
                }
                k -= size;
            }
        }
        int[] members = new int[95];
        int count = 0;
        for (int c = 0x20; c < 0x7F; c++) {
            if (set.contains(c)) {
                members[count++] = c;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("regex: a character class matches no printable ASCII character");
        }
        return members[random.nextInt(count)];
    }

    private static boolean shorthandContains(char shorthand, int c) {
        return switch (shorthand) {
            case 'd' -> c >= '0' && c <= '9';
            case 'D' -> !(c >= '0' && c <= '9');
            case 'w' -> isWord(c);
            case 'W' -> !isWord(c);
            case 's' -> isSpace(c);
            case 'S' -> !isSpace(c);
            default -> throw new IllegalStateException("not a shorthand: " + shorthand);
        };
    }

    private static boolean isWord(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static CharClass shorthand(char c) {
        return switch (c) {
            // Generate from the positive sets directly; the negated ones draw from printable ASCII.
            case 'd' -> new CharClass(List.of(new int[] {'0', '9'}), List.of(), false);
            case 'w' -> new CharClass(
                    List.of(new int[] {'a', 'z'}, new int[] {'A', 'Z'}, new int[] {'0', '9'}, new int[] {'_', '_'}),
                    List.of(),
                    false);
            case 's' -> new CharClass(List.of(new int[] {' ', ' '}), List.of(), false);
            default -> new CharClass(List.of(), List.of(c), false);
        };
    }

    /** Recursive-descent parser over the pattern's code points. */
    private static final class Parser {
        private final String pattern;
        private int pos;

        Parser(String pattern) {
            this.pattern = pattern;
        }

        Node parseAll() {
            if (peekIs('^')) {
                pos++;
            }
            Node node = parseAlternation();
            if (pos < pattern.length()) {
                throw error("unbalanced ')'");
            }
            return node;
        }

        private Node parseAlternation() {
            List<Node> options = new ArrayList<>();
            options.add(parseSequence());
            while (peekIs('|')) {
                pos++;
                options.add(parseSequence());
            }
            return options.size() == 1 ? options.get(0) : new Alternation(options);
        }

        private Node parseSequence() {
            List<Node> items = new ArrayList<>();
            while (pos < pattern.length() && !peekIs('|') && !peekIs(')')) {
                if (peekIs('$')) {
                    if (pos == pattern.length() - 1) {
                        pos++;
                        break;
                    }
                    throw error("'$' is only supported at the end of the pattern");
                }
                if (peekIs('^')) {
                    throw error("'^' is only supported at the start of the pattern");
                }
                Node atom = parseAtom();
                items.add(parseQuantifier(atom));
            }
            return items.size() == 1 ? items.get(0) : new Sequence(items);
        }

        private Node parseQuantifier(Node atom) {
            if (pos >= pattern.length()) {
                return atom;
            }
            char c = pattern.charAt(pos);
            int min;
            int max;
            if (c == '*') {
                min = 0;
                max = UNBOUNDED;
                pos++;
            } else if (c == '+') {
                min = 1;
                max = UNBOUNDED;
                pos++;
            } else if (c == '?') {
                min = 0;
                max = 1;
                pos++;
            } else if (c == '{' && isCountedQuantifier()) {
                pos++;
                min = number();
                max = min;
                if (peekIs(',')) {
                    pos++;
                    max = peekIs('}') ? UNBOUNDED : number();
                }
                expect('}');
                if (max != UNBOUNDED && max < min) {
                    throw error("quantifier {" + min + "," + max + "} has max < min");
                }
            } else {
                return atom;
            }
            if (peekIs('?')) {
                pos++;
            } else if (peekIs('+')) {
                throw error("possessive quantifiers are not supported");
            }
            if (peekIs('*') || peekIs('+') || peekIs('?') || (peekIs('{') && isCountedQuantifier())) {
                throw error("a quantifier cannot follow a quantifier");
            }
            return new Repeat(atom, min, max);
        }

        private boolean isCountedQuantifier() {
            int end = pattern.indexOf('}', pos);
            return end > pos + 1 && pattern.substring(pos + 1, end).matches("\\d+(,\\d*)?");
        }

        private int number() {
            int start = pos;
            while (pos < pattern.length() && Character.isDigit(pattern.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a number");
            }
            try {
                return Integer.parseInt(pattern.substring(start, pos));
            } catch (NumberFormatException e) {
                throw error("repetition count too large");
            }
        }

        private Node parseAtom() {
            int c = pattern.codePointAt(pos);
            switch (c) {
                case '(' -> {
                    pos++;
                    if (peekIs('?')) {
                        pos++;
                        if (peekIs(':')) {
                            pos++;
                        } else if (peekIs('<') && pos + 1 < pattern.length()
                                && Character.isLetter(pattern.charAt(pos + 1))) {
                            skipGroupName('>');
                        } else if (peekIs('P') && pos + 1 < pattern.length() && pattern.charAt(pos + 1) == '<') {
                            pos++;
                            skipGroupName('>');
                        } else {
                            throw error("group construct '(?" + (pos < pattern.length() ? pattern.charAt(pos) : ' ')
                                    + "' (lookaround or inline flags) is not supported");
                        }
                    }
                    Node inner = parseAlternation();
                    expect(')');
                    return inner;
                }
                case '[' -> {
                    return parseClass();
                }
                case '.' -> {
                    pos++;
                    return new CharClass(
                            List.of(new int[] {'a', 'z'}, new int[] {'A', 'Z'}, new int[] {'0', '9'}, new int[] {' ', ' '}),
                            List.of(),
                            false);
                }
                case '\\' -> {
                    pos++;
                    return parseEscape(false);
                }
                case '*', '+', '?' -> throw error("quantifier '" + (char) c + "' has nothing to repeat");
                case ')' -> throw error("unbalanced ')'");
                default -> {
                    pos += Character.charCount(c);
                    return new Literal(c);
                }
            }
        }

        private void skipGroupName(char close) {
            int end = pattern.indexOf(close, pos);
            if (end < 0) {
                throw error("unterminated group name");
            }
            pos = end + 1;
        }

        /** Parses after a backslash; returns a Literal or a CharClass. */
        private Node parseEscape(boolean inClass) {
            if (pos >= pattern.length()) {
                throw error("pattern ends with a backslash");
            }
            char c = pattern.charAt(pos++);
            switch (c) {
                case 'd', 'w', 's', 'D', 'W', 'S' -> {
                    return shorthand(c);
                }
                case 't' -> {
                    return new Literal('\t');
                }
                case 'n' -> {
                    return new Literal('\n');
                }
                case 'r' -> {
                    return new Literal('\r');
                }
                case 'f' -> {
                    return new Literal('\f');
                }
                case 'x' -> {
                    return new Literal(hex(2));
                }
                case 'u' -> {
                    return new Literal(hex(4));
                }
                default -> {
                    if (Character.isLetterOrDigit(c)) {
                        pos--;
                        throw error("escape '\\" + c + "' is not supported"
                                + (inClass ? " in a character class" : ""));
                    }
                    return new Literal(c);
                }
            }
        }

        private int hex(int digits) {
            if (pos + digits > pattern.length()) {
                throw error("incomplete hex escape");
            }
            try {
                int value = Integer.parseInt(pattern.substring(pos, pos + digits), 16);
                pos += digits;
                return value;
            } catch (NumberFormatException e) {
                throw error("bad hex escape");
            }
        }

        private Node parseClass() {
            pos++;
            boolean negated = false;
            if (peekIs('^')) {
                negated = true;
                pos++;
            }
            List<int[]> ranges = new ArrayList<>();
            List<Character> shorthands = new ArrayList<>();
            boolean first = true;
            while (true) {
                if (pos >= pattern.length()) {
                    throw error("unterminated character class");
                }
                if (peekIs(']') && !first) {
                    pos++;
                    break;
                }
                if (peekIs('[')) {
                    throw error("nested character classes are not supported");
                }
                first = false;
                int low;
                if (peekIs('\\')) {
                    pos++;
                    Node escaped = parseEscape(true);
                    if (escaped instanceof CharClass set) {
                        ranges.addAll(set.ranges());
                        shorthands.addAll(set.shorthands());
                        continue;
                    }
                    low = ((Literal) escaped).codePoint();
                } else {
                    low = pattern.codePointAt(pos);
                    pos += Character.charCount(low);
                }
                int high = low;
                if (peekIs('-') && pos + 1 < pattern.length() && pattern.charAt(pos + 1) != ']') {
                    pos++;
                    if (peekIs('\\')) {
                        pos++;
                        Node escaped = parseEscape(true);
                        if (!(escaped instanceof Literal literal)) {
                            throw error("a range cannot end in a shorthand class");
                        }
                        high = literal.codePoint();
                    } else {
                        high = pattern.codePointAt(pos);
                        pos += Character.charCount(high);
                    }
                    if (high < low) {
                        throw error("character range is out of order");
                    }
                }
                ranges.add(new int[] {low, high});
            }
            return new CharClass(ranges, shorthands, negated);
        }

        private boolean peekIs(char c) {
            return pos < pattern.length() && pattern.charAt(pos) == c;
        }

        private void expect(char c) {
            if (!peekIs(c)) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException(
                    "response_format regex '" + pattern + "' at position " + pos + ": " + message);
        }
    }
}
