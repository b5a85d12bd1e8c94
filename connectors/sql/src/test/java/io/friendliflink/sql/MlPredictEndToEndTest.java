package io.friendliflink.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.client.ApiToken;
import io.friendliflink.client.Deployment;
import io.friendliflink.client.EndpointConfig;
import io.friendliflink.client.FriendliClient;
import io.friendliflink.emulator.Emulator;
import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.emulator.EmulatorStats;
import io.friendliflink.emulator.fault.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ML_PREDICT} with the friendli provider, as a user writes it, on Flink's mini cluster against the emulator
 * with faults: every input row comes out once, as an answer or with its error columns.
 */
class MlPredictEndToEndTest {
    private static final int PARALLELISM = 2;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARALLELISM)
            .build());

    @TempDir
    Path dir;

    private static StreamTableEnvironment tables() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setParallelism(PARALLELISM);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        return StreamTableEnvironment.create(env);
    }

    /** {@code n} questions with ids 0..n-1; every {@code invalidEvery}th's body asks for a top_p the API refuses. */
    private static void questions(StreamTableEnvironment t, int n, int invalidEvery) {
        String values = IntStream.range(0, n)
                .mapToObj(i -> "(" + i + ", 'Question number " + i + "?', "
                        + (invalidEvery > 0 && i % invalidEvery == 3 ? "'{\"top_p\": 1.5}'" : "CAST(NULL AS STRING)")
                        + ")")
                .collect(Collectors.joining(", "));
        t.executeSql("CREATE TEMPORARY VIEW raw_questions (id, question, fields) AS VALUES " + values);
        t.executeSql("CREATE TEMPORARY VIEW questions AS SELECT id, CAST(question AS STRING) AS question,"
                + " CAST(fields AS STRING) AS fields FROM raw_questions");
    }

    /** The options of a friendli model on the emulator's serverless paths, its token in a file: add to them. */
    private String serverlessOn(Emulator emulator) throws Exception {
        return "'provider' = 'friendli', 'endpoint' = 'serverless', 'base-url' = '" + emulator.baseUrl() + "', "
                + "'token-file' = '" + tokenFile() + "', 'model' = 'emulated-model'";
    }

    private String tokenFile() throws Exception {
        return Files.writeString(dir.resolve("token"), "any-token").toString();
    }

    private static List<Row> collect(TableResult result) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void chatWithFaultsAnswersEveryRowOnceAndInvalidRowsCarryTheirErrorColumns() throws Exception {
        EmulatorConfig config = EmulatorConfig.builder()
                .timeToFirstToken(Duration.ofMillis(5))
                .fault(Fault.HTTP_503, 0.05)
                .fault(Fault.HTTP_429_RETRY_AFTER, 0.03)
                .fault(Fault.HTTP_429, 0.03)
                .fault(Fault.CONNECTION_RESET, 0.02)
                .build();
        int n = 300;
        try (Emulator emulator = Emulator.start(config)) {
            StreamTableEnvironment t = tables();
            questions(t, n, 50);
            t.executeSql("CREATE MODEL answerer INPUT (question STRING, body STRING)"
                    + " OUTPUT (text STRING, finish_reason STRING, completion_tokens INT, error_type STRING,"
                    + " error_message STRING, http_status INT, attempts INT) WITH ("
                    + serverlessOn(emulator) + ", 'body.max_tokens' = '8', "
                    + "'retry.initial-backoff' = '20ms')");
            List<Row> rows = collect(t.executeSql("SELECT id, text, finish_reason, completion_tokens, error_type,"
                    + " error_message, http_status, attempts FROM ML_PREDICT(TABLE questions, MODEL answerer,"
                    + " DESCRIPTOR(question, fields))"));

            assertThat(rows).extracting(r -> (Integer) r.getField("id"))
                    .as("every row once").containsExactlyInAnyOrderElementsOf(IntStream.range(0, n).boxed().toList());
            Map<Boolean, List<Row>> byFailed = rows.stream()
                    .collect(Collectors.partitioningBy(r -> r.getField("error_type") != null));
            assertThat(byFailed.get(true)).as("the rows whose body the API refuses, and only they")
                    .extracting(r -> (Integer) r.getField("id"))
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, n).filter(i -> i % 50 == 3).boxed().toList());
            assertThat(byFailed.get(true)).allSatisfy(r -> {
                assertThat(r.getField("error_type")).isEqualTo("invalid_request");
                assertThat((String) r.getField("error_message")).contains("top_p");
                assertThat(r.getField("text")).isNull();
                assertThat(r.getField("attempts")).isEqualTo(0);
            });
            assertThat(byFailed.get(false)).allSatisfy(r -> {
                assertThat((String) r.getField("text")).isNotBlank();
                assertThat(r.getField("http_status")).isEqualTo(200);
                assertThat((Integer) r.getField("completion_tokens")).isBetween(1, 8);
            });
            EmulatorStats stats = emulator.stats();
            assertThat(stats.faults("fault-503") + stats.faults("fault-429") + stats.faults("fault-reset"))
                    .as("faults were injected and retried").isPositive();
            assertThat(byFailed.get(false)).as("some rows needed more than one attempt")
                    .anySatisfy(r -> assertThat((Integer) r.getField("attempts")).isGreaterThan(1));
        }
    }

    /**
     * The endpoint counts arrivals in a sliding minute, as the API does, and answers {@code 429} past its limit;
     * the model is told the same limit. More rows than one minute allows: none is refused, so no 60 s window saw
     * more than the limit, and the rows past the first minute's budget still come out.
     */
    @Test
    void aToldRequestBudgetIsNeverExceededInAnyMinute() throws Exception {
        int perMinute = 40;
        int n = perMinute + 10;
        try (Emulator emulator = Emulator.start(EmulatorConfig.builder().requestsPerMinute(perMinute).build())) {
            StreamTableEnvironment t = tables();
            questions(t, n, 0);
            t.executeSql("CREATE MODEL answerer INPUT (prompt STRING) OUTPUT (text STRING, error_type STRING) WITH ("
                    + serverlessOn(emulator) + ", 'body.max_tokens' = '4', "
                    + "'requests-per-minute' = '" + perMinute + "')");
            List<Row> rows = collect(t.executeSql("SELECT id, text, error_type FROM ML_PREDICT(TABLE questions,"
                    + " MODEL answerer, DESCRIPTOR(question))"));

            assertThat(rows).extracting(r -> (Integer) r.getField("id"))
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, n).boxed().toList());
            assertThat(rows).allSatisfy(r -> assertThat(r.getField("error_type")).isNull());
            assertThat(emulator.stats().responses(429)).as("refused for the rate").isZero();
            assertThat(emulator.stats().totalRequests()).isEqualTo(n);
        }
    }

    @Test
    void completionsThroughAnOpenAiCompatibleUrlReturnLogprobsAndTheRawResponse() throws Exception {
        int n = 40;
        try (Emulator emulator = Emulator.start(EmulatorConfig.builder()
                .fault(Fault.HTTP_500, 0.05).build())) {
            StreamTableEnvironment t = tables();
            questions(t, n, 0);
            // The URL of the operation itself, as the openai provider takes it, names the task.
            t.executeSql("CREATE MODEL completer INPUT (prompt STRING)"
                    + " OUTPUT (text STRING, prompt_tokens INT, total_tokens INT, response STRING, latency_ms BIGINT,"
                    + " logprobs ARRAY<ROW<token STRING, logprob DOUBLE, top_logprobs ARRAY<ROW<token STRING,"
                    + " logprob DOUBLE>>>>) WITH ("
                    + "'provider' = 'friendli', 'endpoint' = '" + emulator.baseUrl() + "/v1/completions', "
                    + "'token-file' = '" + tokenFile() + "', 'model' = 'emulated-model', "
                    + "'body.max_tokens' = '4', 'body.logprobs' = '2', 'retry.initial-backoff' = '20ms')");
            List<Row> rows = collect(t.executeSql("SELECT id, text, prompt_tokens, total_tokens, response,"
                    + " logprobs FROM ML_PREDICT(TABLE questions, MODEL completer, DESCRIPTOR(question))"));

            assertThat(rows).extracting(r -> (Integer) r.getField("id"))
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, n).boxed().toList());
            assertThat(rows).allSatisfy(r -> {
                assertThat((String) r.getField("response")).contains("\"text_completion\"");
                Row[] logprobs = (Row[]) r.getField("logprobs");
                assertThat(logprobs).as("one per generated token")
                        .hasSize((Integer) r.getField("total_tokens") - (Integer) r.getField("prompt_tokens"));
                for (Row token : logprobs) {
                    assertThat((Double) token.getField("logprob")).isLessThanOrEqualTo(0.0);
                    assertThat((Row[]) token.getField("top_logprobs")).hasSize(2);
                }
            });
            assertThat(rows).as("most generate something").filteredOn(r -> ((Row[]) r.getField("logprobs")).length > 0)
                    .hasSizeGreaterThan(n / 2);
            assertThat(emulator.stats().requests("/v1/completions")).isGreaterThanOrEqualTo(n);
        }
    }

    /** The columns of the job's results/ Parquet files, filled from SQL (README: the same layout from SQL). */
    @Test
    void theJobsResultColumnsComeFromSql() throws Exception {
        try (Emulator emulator = Emulator.start(EmulatorConfig.builder().build())) {
            StreamTableEnvironment t = tables();
            questions(t, 12, 0);
            t.executeSql("CREATE MODEL completer INPUT (prompt STRING) OUTPUT (model STRING, response_id STRING,"
                    + " http_status INT, attempts INT, latency_ms BIGINT, total_ms BIGINT, " + OutputColumn.CHOICES
                    .columnName() + " " + OutputColumn.CHOICES.sqlType() + ", usage " + OutputColumn.USAGE.sqlType()
                    + ", response_json STRING) WITH ("
                    + "'provider' = 'friendli', 'endpoint' = '" + emulator.baseUrl() + "/v1', 'task' = 'completions', "
                    + "'token-file' = '" + tokenFile() + "', 'model' = 'emulated-model', "
                    + "'body.max_tokens' = '4', 'body.logprobs' = '1', 'body.n' = '2')");
            List<Row> rows = collect(t.executeSql("SELECT CAST(id AS STRING) AS custom_id, '/v1/completions' AS url,"
                    + " model, response_id, http_status, attempts, latency_ms, total_ms, choices, usage, response_json"
                    + " FROM ML_PREDICT(TABLE questions, MODEL completer, DESCRIPTOR(question))"));

            assertThat(rows).hasSize(12).allSatisfy(r -> {
                assertThat(r.getField("model")).isEqualTo("emulated-model");
                assertThat((String) r.getField("response_id")).isNotBlank();
                assertThat((Long) r.getField("total_ms")).isGreaterThanOrEqualTo((Long) r.getField("latency_ms"));
                Row[] choices = (Row[]) r.getField("choices");
                assertThat(choices).hasSize(2);
                assertThat(choices[1].getField("index")).isEqualTo(1);
                Row usage = (Row) r.getField("usage");
                Row[] logprobs = (Row[]) choices[0].getField("logprobs");
                assertThat(logprobs).hasSize(((Integer[]) choices[0].getField("tokens")).length);
                assertThat((String) r.getField("response_json")).contains((String) r.getField("response_id"));
                assertThat((Integer) usage.getField("total_tokens")).isEqualTo(
                        (Integer) usage.getField("prompt_tokens") + (Integer) usage.getField("completion_tokens"));
            });
        }
    }

    /**
     * The README's MMLU-style scoring from SQL: one row per (question, choice), the choice letter's token forced
     * through {@code forced_output_tokens} in the row's body, its log-probability read from {@code logprobs}.
     */
    @Test
    void choicesAreScoredWithForcedOutputTokensAndLogprobs() throws Exception {
        try (Emulator emulator = Emulator.start(EmulatorConfig.builder().build());
                FriendliClient client = new FriendliClient(EndpointConfig.builder(emulator.baseUrl(),
                        Deployment.SERVERLESS).token(ApiToken.inFile(Path.of(tokenFile()))).build())) {
            List<String> letters = List.of(" A", " B", " C", " D");
            List<Integer> ids = new ArrayList<>();
            for (String letter : letters) {
                ids.add(client.tokenize("emulated-model", letter).get(10, TimeUnit.SECONDS).get(0));
            }
            StreamTableEnvironment t = tables();
            String values = IntStream.range(0, 5).boxed().flatMap(q -> IntStream.range(0, 4).mapToObj(c ->
                    "(" + q + ", " + c + ", 'Question " + q + "? A. one B. two C. three D. four Answer:', "
                            + "'{\"forced_output_tokens\": [" + ids.get(c) + "]}')"))
                    .collect(Collectors.joining(", "));
            t.executeSql("CREATE TEMPORARY VIEW raw_choices (id, choice, prompt, body) AS VALUES " + values);
            t.executeSql("CREATE TEMPORARY VIEW choices AS SELECT id, choice, CAST(prompt AS STRING) AS prompt,"
                    + " CAST(body AS STRING) AS body FROM raw_choices");
            t.executeSql("CREATE MODEL scorer INPUT (prompt STRING, body STRING) OUTPUT (logprobs ARRAY<ROW<token"
                    + " STRING, logprob DOUBLE, top_logprobs ARRAY<ROW<token STRING, logprob DOUBLE>>>>,"
                    + " response STRING, error_type STRING) WITH (" + serverlessOn(emulator) + ","
                    + " 'task' = 'completions', 'body.max_tokens' = '1', 'body.logprobs' = '1')");
            List<Row> rows = collect(t.executeSql("SELECT id, choice, logprobs[1].token AS token,"
                    + " logprobs[1].logprob AS score, response, error_type"
                    + " FROM ML_PREDICT(TABLE choices, MODEL scorer, DESCRIPTOR(prompt, body))"));

            assertThat(rows).hasSize(20).allSatisfy(r -> {
                assertThat(r.getField("error_type")).isNull();
                int choice = (Integer) r.getField("choice");
                assertThat(r.getField("token")).as("the forced letter").isEqualTo(letters.get(choice));
                assertThat((String) r.getField("response")).contains("\"tokens\":[" + ids.get(choice) + "]");
                assertThat((Double) r.getField("score")).isNegative();
            });
        }
    }

    @Test
    void aModelDeclaredForTheOpenAiProviderWorksByChangingTheProvider() throws Exception {
        try (Emulator emulator = Emulator.start(EmulatorConfig.builder().build())) {
            StreamTableEnvironment t = tables();
            questions(t, 10, 0);
            t.executeSql("CREATE MODEL answerer INPUT (prompt STRING) OUTPUT (answer STRING) WITH ("
                    + "'provider' = 'friendli', 'endpoint' = '" + emulator.baseUrl() + "/v1/chat/completions', "
                    + "'token-file' = '" + tokenFile() + "', 'model' = 'emulated-model', 'body.max_tokens' = '4')");
            List<Row> rows = collect(t.executeSql("SELECT id, answer FROM ML_PREDICT(TABLE questions,"
                    + " MODEL answerer, DESCRIPTOR(question))"));
            assertThat(rows).hasSize(10).allSatisfy(r -> assertThat((String) r.getField("answer")).isNotBlank());
        }
    }

    @Test
    void aWrongModelDeclarationIsRefusedWithWhatToFix() throws Exception {
        StreamTableEnvironment t = tables();
        questions(t, 1, 0);
        Map<String, String> declarations = new HashMap<>();
        declarations.put("OUTPUT (text STRING, tokens INT) WITH ('provider' = 'friendli', 'endpoint' = 'serverless',"
                + " 'model' = 'm')", "output column 'tokens' is not one the friendli provider fills");
        declarations.put("OUTPUT (completion_tokens STRING) WITH ('provider' = 'friendli', 'endpoint' = 'serverless',"
                + " 'model' = 'm')", "output column 'completion_tokens' must be INT");
        declarations.put("OUTPUT (text STRING) WITH ('provider' = 'friendli', 'endpoint' = 'serverless',"
                + " 'model' = 'm', 'api-key' = 'sk-secret')", "api-key");
        declarations.put("OUTPUT (text STRING) WITH ('provider' = 'friendli', 'endpoint' = 'serverless',"
                + " 'model' = 'm', 'body.top_p' = '1.5')", "top_p");
        declarations.put("OUTPUT (text STRING NOT NULL) WITH ('provider' = 'friendli', 'endpoint' = 'serverless',"
                + " 'model' = 'm')", "must be nullable");
        declarations.put("OUTPUT (text STRING) WITH ('provider' = 'friendli', 'endpoint' = 'serverless',"
                + " 'model' = 'm', 'retry.initial-backoff' = '2min', 'retry.max-backoff' = '1min')", "ackoff");
        declarations.put("OUTPUT (text STRING) WITH ('provider' = 'friendli', 'endpoint' = 'dedicated',"
                + " 'model' = 'm', 'task' = 'tool-assisted-chat')", "needs 'endpoint' = 'serverless'");
        int i = 0;
        for (Map.Entry<String, String> d : declarations.entrySet()) {
            String name = "m" + i++;
            t.executeSql("CREATE MODEL " + name + " INPUT (prompt STRING) " + d.getKey());
            assertThatThrownBy(() -> t.executeSql("SELECT * FROM ML_PREDICT(TABLE questions, MODEL " + name
                    + ", DESCRIPTOR(question))"))
                    .as(d.getKey())
                    .satisfies(e -> assertThat(causes(e)).contains(d.getValue()));
        }
    }

    /** A null text and a body column that is not a JSON object: each row comes out with its error, once. */
    @Test
    void rowsThatCannotBeSentComeOutWithTheirErrorOrFailTheQueryWhenAsked() throws Exception {
        try (Emulator emulator = Emulator.start(EmulatorConfig.builder().build())) {
            StreamTableEnvironment t = tables();
            t.executeSql("CREATE TEMPORARY VIEW raw_rows (id, question, fields) AS VALUES"
                    + " (1, 'A fine question?', CAST(NULL AS STRING)), (2, CAST(NULL AS STRING), CAST(NULL AS STRING)),"
                    + " (3, 'Another?', '[1, 2]')");
            t.executeSql("CREATE TEMPORARY VIEW rows_in AS SELECT id, CAST(question AS STRING) AS question,"
                    + " CAST(fields AS STRING) AS fields FROM raw_rows");
            String with = serverlessOn(emulator) + ", 'body.max_tokens' = '4'";
            t.executeSql("CREATE MODEL emitting INPUT (prompt STRING, body STRING) OUTPUT (text STRING,"
                    + " error_type STRING, error_message STRING) WITH (" + with + ")");
            List<Row> rows = collect(t.executeSql("SELECT id, text, error_type, error_message FROM"
                    + " ML_PREDICT(TABLE rows_in, MODEL emitting, DESCRIPTOR(question, fields))"));

            Map<Integer, Row> byId = rows.stream().collect(Collectors.toMap(r -> (Integer) r.getField("id"), r -> r));
            assertThat(byId).hasSize(3);
            assertThat((String) byId.get(1).getField("text")).isNotBlank();
            assertThat(byId.get(2).getField("error_type")).isEqualTo("invalid_request");
            assertThat((String) byId.get(2).getField("error_message")).contains("null");
            assertThat(byId.get(3).getField("error_type")).isEqualTo("invalid_request");
            assertThat((String) byId.get(3).getField("error_message")).contains("JSON object");

            t.executeSql("CREATE MODEL failing INPUT (prompt STRING, body STRING) OUTPUT (text STRING) WITH ("
                    + with + ", 'error-strategy' = 'fail')");
            assertThatThrownBy(() -> collect(t.executeSql("SELECT id, text FROM ML_PREDICT(TABLE rows_in,"
                    + " MODEL failing, DESCRIPTOR(question, fields))")))
                    .satisfies(e -> assertThat(causes(e)).contains("invalid_request").contains("'error-strategy'"));
        }
    }

    /**
     * Each row must end before Flink's own async timeout fails the job, so the deadline is fitted to the query's
     * timeout, whether the session sets it or the query's MAP does; one that cannot fit is refused at planning.
     */
    @Test
    void theRetryDeadlineFitsTheQueryTimeoutFromTheSessionOrTheQuery() throws Exception {
        try (Emulator emulator = Emulator.start(EmulatorConfig.builder().build())) {
            StreamTableEnvironment t = tables();
            questions(t, 3, 0);
            t.executeSql("CREATE MODEL answerer INPUT (prompt STRING) OUTPUT (text STRING) WITH ("
                    + serverlessOn(emulator) + ", 'body.max_tokens' = '4', "
                    + "'retry.deadline' = '10min')");
            String query = "SELECT id, text FROM ML_PREDICT(TABLE questions, MODEL answerer, DESCRIPTOR(question)";

            assertThatThrownBy(() -> t.executeSql(query + ")"))
                    .as("10 min does not fit the default 3 min").satisfies(e -> assertThat(causes(e))
                            .contains("'retry.deadline' (600 s) does not fit").contains("(180 s)"));
            t.getConfig().set("table.exec.async-ml-predict.timeout", "30min");
            assertThat(collect(t.executeSql(query + ")"))).as("the session's 30 min").hasSize(3);
            assertThatThrownBy(() -> t.executeSql(query + ", MAP['timeout', '5min'])"))
                    .as("the query's own 5 min").satisfies(e -> assertThat(causes(e)).contains("(300 s)"));
        }
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void aMissingTokenFailsTheQueryBeforeSendingAnything() throws Exception {
        try (Emulator emulator = Emulator.start(EmulatorConfig.builder().build())) {
            StreamTableEnvironment t = tables();
            questions(t, 200, 0);
            t.executeSql("CREATE MODEL answerer INPUT (prompt STRING) OUTPUT (text STRING) WITH ("
                    + "'provider' = 'friendli', 'endpoint' = 'serverless', 'base-url' = '" + emulator.baseUrl() + "', "
                    + "'token-env' = 'FRIENDLI_SQL_TEST_UNSET_VARIABLE', 'model' = 'emulated-model')");
            assertThatThrownBy(() -> collect(t.executeSql("SELECT id, text FROM ML_PREDICT(TABLE questions,"
                    + " MODEL answerer, DESCRIPTOR(question))")))
                    .satisfies(e -> assertThat(causes(e)).contains("FRIENDLI_SQL_TEST_UNSET_VARIABLE"));
            assertThat(emulator.stats().totalRequests()).as("nothing sent without a token").isZero();
        }
    }
}
