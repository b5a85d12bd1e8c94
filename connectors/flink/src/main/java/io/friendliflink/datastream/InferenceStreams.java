package io.friendliflink.datastream;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * What {@link FriendliInference#call} returns: every input element ends once, in one of the two streams.
 *
 * @param results the elements answered
 * @param failures the elements that cannot succeed, with the reason (a side output of {@code results})
 */
@PublicEvolving
public record InferenceStreams<T>(SingleOutputStreamOperator<Answered<T>> results, DataStream<Failed<T>> failures) {}
