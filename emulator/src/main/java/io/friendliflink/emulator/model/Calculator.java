package io.friendliflink.emulator.model;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Finds and evaluates the arithmetic expression in a sentence, for the built-in {@code math:calculator}.
 *
 * <p>Grammar: numbers (with a decimal point), {@code + - * / % ^} ({@code ^} is power, right
 * associative), {@code ×} and {@code ÷}, parentheses and unary minus. The expression is the longest run
 * of such characters that holds a digit and a binary operator, e.g. {@code 12 * (3 + 4)} in
 * "What is 12 * (3 + 4)?".
 */
final class Calculator {

    private final String input;
    private int pos;

    private Calculator(String input) {
        this.input = input;
    }

    /** The expression found in {@code sentence}, or null. */
    static String findExpression(String sentence) {
        String best = null;
        int i = 0;
        while (i < sentence.length()) {
            if (!isExpressionChar(sentence.charAt(i))) {
                i++;
                continue;
            }
            int j = i;
            while (j < sentence.length() && isExpressionChar(sentence.charAt(j))) {
                j++;
            }
            String run = trimRun(sentence.substring(i, j));
            if (hasDigitAndOperator(run) && (best == null || run.length() > best.length())) {
                best = run;
            }
            i = j;
        }
        return best;
    }

    /** Evaluates {@code expression}; throws {@link ArithmeticException} with the reason when it cannot. */
    static String evaluate(String expression) {
        Calculator calculator = new Calculator(expression);
        double value = calculator.sum();
        calculator.skipSpaces();
        if (calculator.pos < expression.length()) {
            throw new ArithmeticException("unexpected '" + expression.charAt(calculator.pos) + "' in " + expression);
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new ArithmeticException("the result of " + expression + " is not a finite number");
        }
        return format(value);
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return new BigDecimal(value).round(new MathContext(12)).stripTrailingZeros().toPlainString();
    }

    private static boolean isExpressionChar(char c) {
        return (c >= '0' && c <= '9') || c == '.' || c == ' ' || c == '(' || c == ')' || isOperator(c);
    }

    private static boolean isOperator(char c) {
        return c == '+' || c == '-' || c == '*' || c == '/' || c == '%' || c == '^' || c == '×' || c == '÷';
    }

    private static String trimRun(String run) {
        String trimmed = run.strip();
        // A sentence's trailing period is not a decimal point.
        while (trimmed.endsWith(".")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
        }
        return trimmed;
    }

    private static boolean hasDigitAndOperator(String run) {
        boolean digit = false;
        boolean operator = false;
        for (int k = 0; k < run.length(); k++) {
            char c = run.charAt(k);
            digit |= Character.isDigit(c);
            // A leading sign alone is not an operation.
            operator |= k > 0 && isOperator(c);
        }
        return digit && operator;
    }

    private double sum() {
        double value = product();
        while (true) {
            skipSpaces();
            if (eat('+')) {
                value += product();
            } else if (eat('-')) {
                value -= product();
            } else {
                return value;
            }
        }
    }

    private double product() {
        double value = power();
        while (true) {
            skipSpaces();
            if (eat('*') || eat('×')) {
                value *= power();
            } else if (eat('/') || eat('÷')) {
                double divisor = power();
                if (divisor == 0) {
                    throw new ArithmeticException("division by zero in " + input);
                }
                value /= divisor;
            } else if (eat('%')) {
                double divisor = power();
                if (divisor == 0) {
                    throw new ArithmeticException("modulo by zero in " + input);
                }
                value %= divisor;
            } else {
                return value;
            }
        }
    }

    private double power() {
        double base = unary();
        skipSpaces();
        if (eat('^')) {
            return Math.pow(base, power());
        }
        return base;
    }

    private double unary() {
        skipSpaces();
        if (eat('-')) {
            return -unary();
        }
        if (eat('+')) {
            return unary();
        }
        if (eat('(')) {
            double value = sum();
            skipSpaces();
            if (!eat(')')) {
                throw new ArithmeticException("missing ')' in " + input);
            }
            return value;
        }
        int start = pos;
        while (pos < input.length() && (Character.isDigit(input.charAt(pos)) || input.charAt(pos) == '.')) {
            pos++;
        }
        if (start == pos) {
            throw new ArithmeticException("expected a number at position " + start + " of " + input);
        }
        try {
            return Double.parseDouble(input.substring(start, pos));
        } catch (NumberFormatException e) {
            throw new ArithmeticException("'" + input.substring(start, pos) + "' is not a number");
        }
    }

    private boolean eat(char c) {
        if (pos < input.length() && input.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (pos < input.length() && input.charAt(pos) == ' ') {
            pos++;
        }
    }
}
