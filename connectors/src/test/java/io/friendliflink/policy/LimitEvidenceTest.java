package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.client.RateLimitHeaders;
import io.friendliflink.policy.LimitEvidence.Verdict;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LimitEvidenceTest {
    private static final RateLimitHeaders NONE = RateLimitHeaders.NONE;
    private static final RateLimitHeaders RETRY_AFTER_1 =
            new RateLimitHeaders(Duration.ofSeconds(1), null, null, null, null, null, null);

    @Test
    void isolated429sAreNoiseEvenWithRetryAfter() {
        LimitEvidence evidence = new LimitEvidence();
        for (int i = 0; i < 1_000; i++) {
            if (i % 20 == 7) {
                assertThat(evidence.on429(i % 40 == 7 ? RETRY_AFTER_1 : NONE)).isEqualTo(Verdict.NOISE);
            } else {
                evidence.onOtherAnswer();
            }
        }
    }

    @Test
    void fivePercentOfRandom429sAmongOther5xxNeverLookLikeALimitOver100000Answers() {
        LimitEvidence evidence = new LimitEvidence();
        SplittableRandom random = new SplittableRandom(11);
        int limits = 0;
        for (int i = 0; i < 100_000; i++) {
            if (random.nextDouble() < 0.05) {
                limits += evidence.on429(random.nextBoolean() ? RETRY_AFTER_1 : NONE) == Verdict.LIMIT ? 1 : 0;
            } else {
                evidence.onOtherAnswer();
            }
        }
        assertThat(limits).isZero();
    }

    @Test
    void aClusterOf429sIsALimitFromItsSixthInTen() {
        LimitEvidence evidence = new LimitEvidence();
        for (int i = 0; i < 50; i++) {
            evidence.onOtherAnswer();
        }
        for (int i = 1; i <= 5; i++) {
            assertThat(evidence.on429(NONE)).as("429 number %d", i).isEqualTo(Verdict.NOISE);
        }
        assertThat(evidence.on429(NONE)).isEqualTo(Verdict.LIMIT);
        assertThat(evidence.on429(RETRY_AFTER_1)).isEqualTo(Verdict.LIMIT);
    }

    @Test
    void aRisingShareBecomesALimitOnceMostOfTheLastAnswersAreRefused() {
        LimitEvidence evidence = new LimitEvidence();
        // one in three, then two in three: the second is a limit within a window
        for (int i = 0; i < 30; i++) {
            if (i % 3 == 0) {
                assertThat(evidence.on429(NONE)).isEqualTo(Verdict.NOISE);
            } else {
                evidence.onOtherAnswer();
            }
        }
        Verdict last = Verdict.NOISE;
        for (int i = 0; i < 15 && last == Verdict.NOISE; i++) {
            if (i % 3 == 2) {
                evidence.onOtherAnswer();
            } else {
                last = evidence.on429(NONE);
            }
        }
        assertThat(last).isEqualTo(Verdict.LIMIT);
    }

    @Test
    void headersThatSayTheQuotaIsSpentAreALimitAtTheFirst429() {
        LimitEvidence evidence = new LimitEvidence();
        evidence.onOtherAnswer();
        RateLimitHeaders requestsSpent = new RateLimitHeaders(null, 100L, 0L, Duration.ofSeconds(3), null, null, null);
        RateLimitHeaders tokensSpent = new RateLimitHeaders(null, 100L, 40L, null, 5_000L, 0L, null);

        assertThat(evidence.on429(requestsSpent)).isEqualTo(Verdict.LIMIT);
        assertThat(evidence.on429(tokensSpent)).isEqualTo(Verdict.LIMIT);
    }

    @Test
    void a429WhoseHeadersShowTheQuotaIsNotSpentIsNoise() {
        LimitEvidence evidence = new LimitEvidence();
        RateLimitHeaders plenty = new RateLimitHeaders(Duration.ofSeconds(1), 100L, 60L, null, 5_000L, 4_000L, null);

        assertThat(evidence.on429(plenty)).isEqualTo(Verdict.NOISE);
    }
}
