package io.friendliflink.policy;

/**
 * Splits a job-wide budget among parallel subtasks so that the shares sum to exactly the total.
 *
 * <p>Each subtask gets {@code total / parallelism}; the first {@code total % parallelism} subtasks get one
 * more. A share is 0 when the total is smaller than the parallelism: such a subtask must not send, and the
 * job should run with a smaller parallelism.
 *
 * <pre>{@code
 * long mine = BudgetShare.of(10_000, 3, 0); // 3334, then 3333 and 3333
 * }</pre>
 */
public final class BudgetShare {

    private BudgetShare() {
    }

    public static long of(long total, int parallelism, int subtaskIndex) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0 but was " + total);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1 but was " + parallelism);
        }
        if (subtaskIndex < 0 || subtaskIndex >= parallelism) {
            throw new IllegalArgumentException("subtaskIndex must be in [0, " + (parallelism - 1)
                    + "] but was " + subtaskIndex);
        }
        return total / parallelism + (subtaskIndex < total % parallelism ? 1 : 0);
    }
}
