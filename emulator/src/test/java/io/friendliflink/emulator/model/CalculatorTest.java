package io.friendliflink.emulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CalculatorTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "What is 2 + 2?|2 + 2|4",
        "Please compute 12 * (3 + 4).|12 * (3 + 4)|84",
        "calc -3 + 10 / 4 now|-3 + 10 / 4|-0.5",
        "2^10 is what|2^10|1024",
        "2^3^2|2^3^2|512",
        "what's 7 % 4 and not 3|7 % 4|3",
        "1.5 × 4 ÷ 3|1.5 × 4 ÷ 3|2",
        "10 / 3|10 / 3|3.33333333333",
        "(1 + 2) * -(3 - 5)|(1 + 2) * -(3 - 5)|6"
    })
    void findsAndEvaluatesTheExpression(String sentence, String expression, String result) {
        assertThat(Calculator.findExpression(sentence)).isEqualTo(expression);
        assertThat(Calculator.evaluate(expression)).isEqualTo(result);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Call me at 555 1234", "Version 2.0 is out", "-5 degrees"})
    void aSentenceWithoutAnOperationHasNoExpression(String sentence) {
        assertThat(Calculator.findExpression(sentence)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"1 / 0|division by zero", "(1 + 2|missing ')'", "1 + * 2|expected a number"})
    void badExpressionsFailWithTheReason(String expression, String reason) {
        assertThatThrownBy(() -> Calculator.evaluate(expression))
                .isInstanceOf(ArithmeticException.class)
                .hasMessageContaining(reason);
    }
}
