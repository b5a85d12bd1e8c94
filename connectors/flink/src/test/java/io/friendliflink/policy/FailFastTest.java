package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FailFastTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void stopsAfterTheConfiguredRefusalsWhenNothingSucceeded() {
        FailFast rule = FailFast.ofDefaults();

        for (int i = 1; i < FailFast.DEFAULT_REFUSALS; i++) {
            assertThat(rule.onAnswer(401, "invalid token")).as("refusal %d", i).isNull();
        }
        assertThat(rule.onAnswer(401, "invalid token"))
                .isEqualTo("the endpoint refused the credentials: 5 answers were 401 Unauthorized and none succeeded"
                        + " (\"invalid token\"). Check the token (endpoint.token-env or endpoint.token-file) and "
                        + "endpoint.team-id");
    }

    @Test
    void aSuccessEndsTheCredentialsRuleForGood() {
        FailFast rule = FailFast.ofDefaults();
        assertThat(rule.onAnswer(403, null)).isNull();
        assertThat(rule.onAnswer(200, null)).isNull();

        for (int i = 0; i < 100; i++) {
            assertThat(rule.onAnswer(403, "model not allowed")).as("a refusal after a success is one line's error")
                    .isNull();
        }
    }

    @Test
    void otherStatusesNeitherCountNorReset() {
        FailFast rule = new FailFast(2, 20, 30 * SECOND);
        assertThat(rule.onAnswer(401, null)).isNull();
        assertThat(rule.onAnswer(429, null)).isNull();
        assertThat(rule.onAnswer(500, null)).isNull();

        assertThat(rule.onAnswer(401, null)).startsWith("the endpoint refused the credentials: 2 answers");
    }

    @Test
    void stopsWhenNothingConnectsForTheWindowOrTheCount() {
        FailFast byTime = new FailFast(5, 20, 30 * SECOND);
        assertThat(byTime.onConnectFailure("connection refused", 100 * SECOND)).isNull();
        assertThat(byTime.onConnectFailure("connection refused", 129 * SECOND)).isNull();
        assertThat(byTime.onConnectFailure("connection refused", 130 * SECOND))
                .isEqualTo("the endpoint cannot be reached: 3 attempts over 30 s could not connect and none was "
                        + "answered (last: connection refused). Check endpoint.base-url and that the server is running");

        FailFast byCount = new FailFast(5, 3, 30 * SECOND);
        assertThat(byCount.onConnectFailure("x", 0)).isNull();
        assertThat(byCount.onConnectFailure("x", 0)).isNull();
        assertThat(byCount.onConnectFailure("x", 0)).startsWith("the endpoint cannot be reached: 3 attempts");
    }

    @Test
    void anyAnswerProvesTheEndpointIsThere() {
        FailFast rule = new FailFast(5, 3, 30 * SECOND);
        assertThat(rule.onConnectFailure("refused", 0)).isNull();
        assertThat(rule.onAnswer(503, null)).isNull();

        for (int i = 0; i < 10; i++) {
            assertThat(rule.onConnectFailure("refused", i * 60 * SECOND)).isNull();
        }
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new FailFast(0, 1, 1)).hasMessage("refusalsToStop must be >= 1, was 0");
        assertThatThrownBy(() -> new FailFast(1, 0, 1)).hasMessage("connectFailuresToStop must be >= 1, was 0");
        assertThatThrownBy(() -> new FailFast(1, 1, 0)).hasMessage("unreachableNanos must be > 0, was 0");
    }
}
