package io.friendliflink.job.pipeline;

import io.friendliflink.job.config.JobConfig;
import io.friendliflink.job.config.JobConfig.StateBackend;
import java.util.OptionalLong;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateBackendOptions;

/**
 * The Flink state backend a run keeps its {@code custom_id}s in, and why: {@code run.state-backend} resolved
 * against the input and the cluster's own configuration.
 *
 * <p>{@code auto} keeps the ids on the heap only when the input is known to be small: a file input counted
 * before the run at no more than {@link StateBackend#AUTO_HEAP_MAX_LINES} lines. Anything else (more lines, a
 * watched path or Kafka, whose size is unknown, a file that could not be counted) goes to RocksDB, whose
 * heap does not grow with the input. A cluster that names {@code state.backend.type} itself is left to it.
 *
 * @param backend the {@code state.backend.type} the run uses: {@code hashmap}, {@code rocksdb}, or the cluster's
 * @param setByJob whether the job sets it (false: the cluster's configuration does)
 * @param reason why, for the line the job prints at start
 */
public record StateBackendChoice(String backend, boolean setByJob, String reason) {

    /**
     * @param countedLines the file input's non-blank lines, counted before the run; empty when not counted
     * @param cluster the execution environment's configuration (a cluster's, under {@code flink run})
     */
    public static StateBackendChoice of(JobConfig config, OptionalLong countedLines, ReadableConfig cluster) {
        StateBackend asked = config.run().stateBackend();
        if (asked != StateBackend.AUTO) {
            return ours(asked, "run.state-backend: " + name(asked));
        }
        var named = cluster.getOptional(StateBackendOptions.STATE_BACKEND);
        if (named.isPresent()) {
            return new StateBackendChoice(named.get(), false, "the cluster's state.backend.type");
        }
        JobConfig.Input input = config.input();
        if (input.type() == JobConfig.InputType.KAFKA) {
            return ours(StateBackend.ROCKSDB, "auto: Kafka input, whose size is not known in advance");
        }
        if (input.watch()) {
            return ours(StateBackend.ROCKSDB, "auto: a watched input does not end");
        }
        if (countedLines.isEmpty()) {
            return ours(StateBackend.ROCKSDB, "auto: the input lines were not counted");
        }
        long lines = countedLines.getAsLong();
        if (lines > StateBackend.AUTO_HEAP_MAX_LINES) {
            return ours(StateBackend.ROCKSDB, "auto: " + lines + " input lines, more than "
                    + StateBackend.AUTO_HEAP_MAX_LINES + " kept on the heap");
        }
        return ours(StateBackend.HASHMAP, "auto: " + lines + " input lines, at most "
                + StateBackend.AUTO_HEAP_MAX_LINES + " kept on the heap");
    }

    /** Whether the ids live in RocksDB (on local disk) rather than on the heap. */
    public boolean rocksDb() {
        return "rocksdb".equalsIgnoreCase(backend);
    }

    private static StateBackendChoice ours(StateBackend backend, String reason) {
        return new StateBackendChoice(name(backend), true, reason);
    }

    private static String name(StateBackend backend) {
        return backend == StateBackend.ROCKSDB ? "rocksdb" : "hashmap";
    }
}
