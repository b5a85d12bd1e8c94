package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BudgetShareTest {

    @Test
    void sharesSumToExactlyTheTotalAndDifferByAtMostOne() {
        long[][] cases = {{10_000, 3}, {100, 7}, {1, 1}, {5, 8}, {600, 600}, {999_983, 64}, {0, 4}, {10, 1}};
        for (long[] c : cases) {
            long total = c[0];
            int parallelism = (int) c[1];
            long sum = 0;
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = 0; i < parallelism; i++) {
                long share = BudgetShare.of(total, parallelism, i);
                sum += share;
                min = Math.min(min, share);
                max = Math.max(max, share);
            }
            assertThat(sum).as("sum of shares of %d over %d", total, parallelism).isEqualTo(total);
            assertThat(max - min).as("spread of shares of %d over %d", total, parallelism).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void remainderGoesToTheFirstSubtasks() {
        assertThat(BudgetShare.of(10_000, 3, 0)).isEqualTo(3334);
        assertThat(BudgetShare.of(10_000, 3, 1)).isEqualTo(3333);
        assertThat(BudgetShare.of(10_000, 3, 2)).isEqualTo(3333);
    }

    @Test
    void subtasksBeyondASmallTotalGetNothing() {
        assertThat(BudgetShare.of(2, 4, 1)).isEqualTo(1);
        assertThat(BudgetShare.of(2, 4, 2)).isZero();
    }

    @Test
    void rejectsArgumentsNamingThem() {
        assertThatThrownBy(() -> BudgetShare.of(-1, 2, 0)).hasMessage("total must be >= 0 but was -1");
        assertThatThrownBy(() -> BudgetShare.of(10, 0, 0)).hasMessage("parallelism must be >= 1 but was 0");
        assertThatThrownBy(() -> BudgetShare.of(10, 4, 4)).hasMessage("subtaskIndex must be in [0, 3] but was 4");
        assertThatThrownBy(() -> BudgetShare.of(10, 4, -1)).hasMessage("subtaskIndex must be in [0, 3] but was -1");
    }
}
