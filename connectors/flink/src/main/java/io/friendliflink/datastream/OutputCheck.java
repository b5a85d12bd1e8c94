package io.friendliflink.datastream;

import io.friendliflink.api.response.InferenceResult;
import io.friendliflink.client.PreparedRequest;
import java.io.Serializable;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Decides whether a successful answer is usable; an unusable one is asked for again, and after the configured
 * number of retries ends as a {@link Failed} of type {@code invalid_output}
 * ({@link FriendliInference#checkOutput(OutputCheck, int)}). {@link JsonSchemaCheck} checks structured output.
 */
@PublicEvolving
@FunctionalInterface
public interface OutputCheck extends Serializable {
    /**
     * Why the answer to {@code request} cannot be used, or {@code null} when it can. Called on the client's I/O
     * threads, so it must be thread-safe and quick.
     */
    String violation(PreparedRequest request, InferenceResult result);
}
