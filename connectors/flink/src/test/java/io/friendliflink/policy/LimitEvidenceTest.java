package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.client.RateLimitHeaders;
import io.friendliflink.policy.LimitEvidence.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
            long send = evidence.onSend();
            if (i % 20 == 7) {
                assertThat(evidence.on429(send, i % 40 == 7 ? RETRY_AFTER_1 : NONE)).isEqualTo(Verdict.NOISE);
            }
        }
    }

    /**
     * Sends in bursts of 64 (a limit on requests in flight doubling), 5% of them 429 at random: the 429s come
     * back at once, the successes half a second later, so by answers they would look like runs. By sends they
     * are what they are, over 100,000 requests.
     */
    @Test
    void fivePercentOfRandom429sInBurstsOfSendsNeverLookLikeALimit() {
        LimitEvidence evidence = new LimitEvidence();
        SplittableRandom random = new SplittableRandom(11);
        int limits = 0;
        for (int burst = 0; burst < 100_000 / 64; burst++) {
            List<Long> refused = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                long send = evidence.onSend();
                if (random.nextDouble() < 0.05) {
                    refused.add(send);
                }
            }
            for (long send : refused) {
                limits += evidence.on429(send, random.nextBoolean() ? RETRY_AFTER_1 : NONE) == Verdict.LIMIT ? 1 : 0;
            }
        }
        assertThat(limits).isZero();
    }

    @Test
    void aRunOfRefusedSendsIsALimitFromItsSixthInTen() {
        LimitEvidence evidence = new LimitEvidence();
        for (int i = 0; i < 50; i++) {
            evidence.onSend();
        }
        for (int i = 1; i <= 5; i++) {
            assertThat(evidence.on429(evidence.onSend(), NONE)).as("429 number %d", i).isEqualTo(Verdict.NOISE);
        }
        assertThat(evidence.on429(evidence.onSend(), NONE)).isEqualTo(Verdict.LIMIT);
        assertThat(evidence.on429(evidence.onSend(), RETRY_AFTER_1)).isEqualTo(Verdict.LIMIT);
    }

    @Test
    void aRisingShareBecomesALimitOnceMostOfTheLastSendsAreRefused() {
        LimitEvidence evidence = new LimitEvidence();
        for (int i = 0; i < 30; i++) { // one in three
            long send = evidence.onSend();
            if (i % 3 == 0) {
                assertThat(evidence.on429(send, NONE)).isEqualTo(Verdict.NOISE);
            }
        }
        Verdict last = Verdict.NOISE;
        for (int i = 0; i < 15 && last == Verdict.NOISE; i++) { // then two in three
            long send = evidence.onSend();
            if (i % 3 != 2) {
                last = evidence.on429(send, NONE);
            }
        }
        assertThat(last).isEqualTo(Verdict.LIMIT);
    }

    @Test
    void a429OfARequestSentLongAgoDoesNotCountAmongTheLastSends() {
        LimitEvidence evidence = new LimitEvidence();
        List<Long> old = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            old.add(evidence.onSend());
        }
        for (int i = 0; i < 20; i++) {
            evidence.onSend();
        }
        for (long send : old) {
            assertThat(evidence.on429(send, NONE)).isEqualTo(Verdict.NOISE);
        }
    }

    @Test
    void headersThatSayTheQuotaIsSpentAreALimitAtTheFirst429() {
        LimitEvidence evidence = new LimitEvidence();
        RateLimitHeaders requestsSpent = new RateLimitHeaders(null, 100L, 0L, Duration.ofSeconds(3), null, null, null);
        RateLimitHeaders tokensSpent = new RateLimitHeaders(null, 100L, 40L, null, 5_000L, 0L, null);

        assertThat(evidence.on429(evidence.onSend(), requestsSpent)).isEqualTo(Verdict.LIMIT);
        assertThat(evidence.on429(evidence.onSend(), tokensSpent)).isEqualTo(Verdict.LIMIT);
    }
}
