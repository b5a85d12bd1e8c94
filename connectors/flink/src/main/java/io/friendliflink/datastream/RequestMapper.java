package io.friendliflink.datastream;

import io.friendliflink.client.PreparedRequest;
import java.io.Serializable;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Turns one element of the user's stream into the request to send for it.
 *
 * <p>Called on the operator's thread for each element. An exception (for example the
 * {@link io.friendliflink.api.request.InvalidRequestException} of {@link PreparedRequest#of}) does not fail the
 * job: the element ends as a {@link Failed} with error type {@code invalid_request} and the exception's message.
 *
 * <p>{@code
 * RequestMapper<Question> mapper = q -> PreparedRequest.of(ChatCompletionsRequest.builder("my-model")
 *         .messages(ChatMessage.user(q.text())).maxTokens(64).build());
 * }
 */
@PublicEvolving
@FunctionalInterface
public interface RequestMapper<T> extends Serializable {
    PreparedRequest toRequest(T element) throws Exception;
}
