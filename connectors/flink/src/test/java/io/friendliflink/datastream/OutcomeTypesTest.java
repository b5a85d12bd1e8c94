package io.friendliflink.datastream;

import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.api.ApiKind;
import io.friendliflink.api.response.InferenceResult;
import io.friendliflink.api.response.ResponseParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Outcomes cross the network in a user's job (a keyBy, a rebalance): Flink must write and read them back whole. */
class OutcomeTypesTest {
    private static final String BODY = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Paris\"},"
            + "\"finish_reason\":\"stop\",\"logprobs\":{\"content\":[{\"token\":\"Paris\",\"logprob\":-0.1,"
            + "\"top_logprobs\":[{\"token\":\"Paris\",\"logprob\":-0.1},{\"token\":\"Lyon\",\"logprob\":-2.5}]}]}}],"
            + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":1,\"total_tokens\":8}}";

    @Test
    void anAnswerWithChoicesLogprobsAndUsageSurvivesFlinksSerializer() throws Exception {
        InferenceResult result = ResponseParser.parse(ApiKind.CHAT_COMPLETIONS, BODY.getBytes(StandardCharsets.UTF_8));
        Answered<String> answered = new Answered<>("q-1", result, BODY, 200, 2, 40, 1040, List.of("rate_limited"));
        TypeInformation<Answered<String>> type = FriendliInference.answeredType(Types.STRING);

        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        assertThat(roundTrip(type, answered)).isEqualTo(answered);
    }

    @Test
    void aFailureWithoutAStatusSurvivesFlinksSerializer() throws Exception {
        Failed<Long> failed = new Failed<>(7L, "invalid_request", "max_tokens must be at least 1", null, 0, List.of());
        TypeInformation<Failed<Long>> type = FriendliInference.failedType(Types.LONG);

        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        assertThat(roundTrip(type, failed)).isEqualTo(failed);
    }

    private static <T> T roundTrip(TypeInformation<T> type, T value) throws Exception {
        TypeSerializer<T> serializer = type.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
