package io.friendliflink.emulator.wire;

import io.friendliflink.api.ApiKind;
import io.friendliflink.emulator.model.Generation;

/**
 * One generated answer and the request facts that decide its wire shape.
 *
 * @param id {@code cmpl-<hex>} or {@code chatcmpl-<hex>}
 * @param model the request's {@code model}, echoed
 * @param created Unix seconds
 * @param logprobs whether the request asked for log-probabilities
 * @param includeUsage whether a stream ends with a usage chunk ({@code stream_options.include_usage})
 */
public record Answer(
        ApiKind kind, String id, String model, long created, Generation generation, boolean logprobs,
        boolean includeUsage) {}
