package io.friendliflink.operator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenEstimateScaleTest {

    @Test
    void estimatesConvergeToTheUsageTheEndpointReports() {
        TokenEstimateScale scale = new TokenEstimateScale();
        for (int i = 0; i < 200; i++) {
            scale.learn(30, 45); // the endpoint counts half as much again
        }

        assertThat(scale.apply(30)).isBetween(44L, 46L);
    }

    @Test
    void answersToReservationsMadeLongAgoDoNotCompound() {
        TokenEstimateScale scale = new TokenEstimateScale();
        // 500 answers come back for requests all reserved before the first answer
        for (int i = 0; i < 500; i++) {
            scale.learn(30, 45);
        }

        assertThat(scale.scale()).isBetween(1.49, 1.51);
    }

    @Test
    void oneOddAnswerMovesTheScaleOnlyALittle() {
        TokenEstimateScale scale = new TokenEstimateScale();

        scale.learn(30, 30_000);

        assertThat(scale.scale()).isEqualTo(1.3, org.assertj.core.api.Assertions.within(1e-9)); // 1 + 0.1 * (4 - 1)
    }

    @Test
    void refusedAnswersTeachNothing() {
        TokenEstimateScale scale = new TokenEstimateScale();

        scale.learn(30, 0);
        scale.learn(0, 30);

        assertThat(scale.apply(30)).isEqualTo(30);
    }

    @Test
    void aScaledEstimateIsAtLeastOneToken() {
        TokenEstimateScale scale = new TokenEstimateScale();
        for (int i = 0; i < 100; i++) {
            scale.learn(100, 1);
        }

        assertThat(scale.apply(1)).isEqualTo(1);
    }
}
