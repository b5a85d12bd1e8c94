package io.friendliflink.examples;

import io.friendliflink.api.request.ChatCompletionsRequest;
import io.friendliflink.api.request.ChatMessage;
import io.friendliflink.client.ApiToken;
import io.friendliflink.client.Deployment;
import io.friendliflink.client.EndpointConfig;
import io.friendliflink.client.PreparedRequest;
import io.friendliflink.datastream.FriendliInference;
import io.friendliflink.datastream.InferenceStreams;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A user's own job: a stream of questions, each answered by a model on a Friendli endpoint; answers and
 * failures are written as text files, exactly once.
 *
 * <pre>
 *   FRIENDLI_TOKEN=... flink run -c io.friendliflink.examples.AnswerQuestions examples.jar \
 *       https://api.friendli.ai meta-llama-3.1-8b-instruct /tmp/answers 1000
 * </pre>
 */
public final class AnswerQuestions {
    private AnswerQuestions() {}

    /** One question; a public record, so Flink serializes it as a POJO. */
    public record Question(long id, String text, int maxTokens) {}

    /**
     * Adds the calls and the two sinks to the questions' job.
     *
     * @param output the directory of {@code answers/} (id, tab, answer) and {@code failures/} (id, tab, error type,
     *     tab, message)
     */
    public static void answer(DataStream<Question> questions, EndpointConfig endpoint, String model, Path output) {
        InferenceStreams<Question> called = FriendliInference.to(endpoint)
                .requestsPerMinute(6_000)
                .name("ask-model")
                .call(questions, q -> PreparedRequest.of(ChatCompletionsRequest.builder(model)
                        .messages(ChatMessage.user(q.text()))
                        .maxTokens(q.maxTokens())
                        .build()));

        called.results()
                .map(a -> a.input().id() + "\t" + a.result().choices().get(0).text().replace('\n', ' '))
                .returns(Types.STRING)
                .sinkTo(FileSink.forRowFormat(new Path(output, "answers"), new SimpleStringEncoder<String>()).build())
                .name("answers").uid("answers");
        called.failures()
                .map(f -> f.input().id() + "\t" + f.errorType() + "\t" + f.message().replace('\n', ' '))
                .returns(Types.STRING)
                .sinkTo(FileSink.forRowFormat(new Path(output, "failures"), new SimpleStringEncoder<String>()).build())
                .name("failures").uid("failures");
    }

    /** {@code count} generated questions, {@code perSecond} of them a second. */
    public static DataStream<Question> questions(StreamExecutionEnvironment env, long count, double perSecond) {
        DataGeneratorSource<Question> source = new DataGeneratorSource<>(
                i -> new Question(i, "What is " + i + " plus " + i + "?", 16), count,
                RateLimiterStrategy.perSecond(perSecond), TypeInformation.of(Question.class));
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "questions").uid("questions");
    }

    /** Arguments: endpoint base url, model, output directory, number of questions; the token is FRIENDLI_TOKEN. */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: AnswerQuestions <base-url> <model> <output-dir> <count>");
            System.exit(2);
        }
        // The token is read on each task manager, from its environment: it never travels in the job graph.
        EndpointConfig endpoint = EndpointConfig.builder(args[0], Deployment.SERVERLESS)
                .token(ApiToken.inEnv("FRIENDLI_TOKEN"))
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // The files are committed on checkpoints: without them nothing is ever final.
        env.enableCheckpointing(10_000);
        answer(questions(env, Long.parseLong(args[3]), 50), endpoint, args[1], new Path(args[2]));
        env.execute("answer questions");
    }
}
