package io.friendliflink.job.eval;

import java.util.List;

/**
 * The harness's aggregations ({@code lm_eval/api/metrics.py}), computed in the same order of operations.
 *
 * <p>A task's metric is {@code mean} of the per-question values (1.0 right, 0.0 wrong) and its stderr
 * {@code mean_stderr}: the sample standard deviation (divided by {@code n - 1}) over {@code sqrt(n)}, reported
 * only for {@code n > 1} ({@code "N/A"} otherwise, in {@code lm_eval/evaluator_utils.py}). A group of tasks
 * (MMLU's subjects, {@code aggregate_metric_list} with {@code weight_by_size: True}) reports the
 * size-weighted mean of its tasks' metrics ({@code aggregate_subtask_metrics}) and the pooled standard error
 * ({@code pooled_sample_stderr}), which is {@code "N/A"} if any task's is ({@code lm_eval/api/group.py}).
 */
final class Metrics {
    private Metrics() {}

    /** {@code mean}: {@code sum(arr) / len(arr)}. */
    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** {@code mean_stderr}, or {@code null} for fewer than two values. */
    static Double meanStderr(double[] values) {
        if (values.length < 2) {
            return null;
        }
        double mu = mean(values);
        double squares = 0;
        for (double v : values) {
            squares += (v - mu) * (v - mu);
        }
        double sampleStddev = Math.sqrt(squares / (values.length - 1));
        return sampleStddev / Math.sqrt(values.length);
    }

    /** {@code aggregate_subtask_metrics(metrics, sizes, weight_by_size=True)}. */
    static double weightedMean(List<Double> metrics, List<Long> sizes) {
        double sum = 0;
        long total = 0;
        for (int i = 0; i < metrics.size(); i++) {
            sum += metrics.get(i) * sizes.get(i);
            total += sizes.get(i);
        }
        return sum / total;
    }

    /** {@code pooled_sample_stderr(stderrs, sizes)}, or {@code null} when any stderr is. */
    static Double pooledStderr(List<Double> stderrs, List<Long> sizes) {
        double pooled = 0;
        long total = 0;
        for (int i = 0; i < stderrs.size(); i++) {
            Double se = stderrs.get(i);
            if (se == null) {
                return null;
            }
            long size = sizes.get(i);
            pooled += (size - 1) * se * se * size;
            total += size;
        }
        if (total - stderrs.size() <= 0) {
            return null;
        }
        return Math.sqrt(pooled / (total - stderrs.size()) / total);
    }
}
