package io.friendliflink.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.rows.ParquetRows;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.PluginUtils;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job with its input and output in object storage: an S3 API server (S3Proxy over a local folder) started
 * here, reached through Flink's S3 file system (the {@code flink-s3-fs-hadoop} plugin) with the credentials,
 * endpoint and path-style access in Flink's configuration, as a cluster's {@code config.yaml} holds them. The rows are read
 * back from {@code s3://} the same way.
 */
class S3EndToEndTest {
    private static final String ACCESS_KEY = "friendli-test-access";
    private static final String SECRET_KEY = "friendli-test-secret";
    private static final String BUCKET = "runs";
    private static final String MODEL = "meta-llama-3.1-8b-instruct";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static S3Proxy server;
    private static BlobStoreContext blobs;

    @BeforeAll
    static void startServerAndConfigureFlinksS3FileSystem() throws Exception {
        Properties props = new Properties();
        Path store = Files.createDirectories(dir.resolve("s3-store"));
        props.setProperty("jclouds.filesystem.basedir", store.toString());
        blobs = ContextBuilder.newBuilder("filesystem").credentials("unused", "unused").overrides(props)
                .buildView(BlobStoreContext.class);
        blobs.getBlobStore().createContainerInLocation(null, BUCKET);
        server = S3Proxy.builder().blobStore(blobs.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        server.start();
        while (!"STARTED".equals(server.getState())) {
            Thread.sleep(10);
        }
        Configuration flink = new Configuration();
        flink.setString("s3.endpoint", "http://127.0.0.1:" + server.getPort());
        flink.setString("s3.path.style.access", "true");
        flink.setString("s3.access-key", ACCESS_KEY);
        flink.setString("s3.secret-key", SECRET_KEY);
        flink.setString("s3.endpoint.region", "us-east-1");
        // S3A deletes the parent "directory" markers after every write by default; S3Proxy's file store answers
        // each such delete of a key that is not there after retrying for seconds. Keeping markers (Hadoop's
        // advice for buckets only newer clients write) saves those requests on real S3 too.
        flink.setString("s3.directory.marker.retention", "keep");
        // The plugin in $FLINK_PLUGINS_DIR/s3-fs-hadoop/ (the build puts it there), as bin/run and a cluster find it.
        FileSystem.initialize(flink, PluginUtils.createPluginManagerFromRootFolder(flink));
    }

    @AfterAll
    static void stopServer() throws Exception {
        FileSystem.initialize(new Configuration(), null);
        if (server != null) {
            server.stop();
        }
        if (blobs != null) {
            blobs.close();
        }
    }

    @Test
    void requestLinesFromS3EndExactlyOnceInS3AndARerunSendsOnlyWhatFailed() throws Exception {
        List<String> ids = new ArrayList<>();
        StringBuilder first = new StringBuilder();
        StringBuilder second = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            String id = "q-" + i;
            ids.add(id);
            (i % 2 == 0 ? first : second).append(chatLine(id)).append('\n');
        }
        second.append("{not json\n");
        FlinkFiles.writeString(FlinkFiles.of("s3://runs/requests/part-1.jsonl"), first.toString());
        FlinkFiles.writeString(FlinkFiles.of("s3://runs/requests/part-2.jsonl"), second.toString());
        String output = "s3://runs/out";

        Run failing = run(config("s3://runs/requests/", output, "faults: {\"500\": 0.3}"));
        assertThat(failing.exit).as(failing.err).isEqualTo(3);
        assertThat(failing.out).contains("summary: " + output + "/_SUMMARY.json");
        Map<String, Long> firstResults = count(ids(output + "/results"));
        assertThat(firstResults.size()).as("some lines got a 500 and failed with one attempt: %s", failing.out).isBetween(10, 59);

        Run rerun = run(config("s3://runs/requests/", output, "faults: {}"));
        assertThat(rerun.exit).as(rerun.err).isEqualTo(3); // the line that is not JSON stays refused

        Map<String, Long> results = count(ids(output + "/results"));
        assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(results.values()).allMatch(n -> n == 1);
        List<Map<String, Object>> errors = rows(output + "/errors");
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.get("error_type")).isEqualTo("invalid_json");
            assertThat((String) e.get("source")).startsWith("s3://runs/requests/part-2.jsonl:");
        });
        assertThat(FlinkFiles.files(FlinkFiles.of(output + "/_superseded/errors"))).isNotEmpty();
        JsonNode summary = JSON.readTree(FlinkFiles.readString(FlinkFiles.of(output + "/_SUMMARY.json")));
        assertThat(summary.at("/lines/skipped_done").asLong()).isEqualTo(firstResults.size());
        assertThat(summary.at("/lines/succeeded").asLong()).isEqualTo(60 - firstResults.size());
        assertThat(summary.path("output").asText()).isEqualTo(output);
    }

    @Test
    void anEvaluationReadsItsParquetQuestionsFromS3AndWritesItsReportAndQuestionsThere() throws Exception {
        Path sample = Path.of("..", "sample-data", "mmlu");
        for (String name : List.of("test.parquet", "dev.parquet")) {
            byte[] bytes = Files.readAllBytes(sample.resolve(name));
            FlinkFiles.write(FlinkFiles.of("s3://runs/mmlu/" + name), out -> out.write(bytes));
        }
        String output = "s3://runs/evaluation-out";
        String yaml = """
                mode: evaluate
                evaluate:
                  input: s3://runs/mmlu/test.parquet
                  few-shot: {path: s3://runs/mmlu/dev.parquet, k: 1}
                endpoint: {type: emulator}
                defaults: {model: %s}
                output: {path: %s}
                run: {parallelism: 2, checkpoint-interval: 300ms}
                """.formatted(MODEL, output);

        Run first = run(yaml);
        assertThat(first.exit).as(first.err).isZero();
        JsonNode report = JSON.readTree(FlinkFiles.readString(FlinkFiles.of(output + "/evaluation/report.json")));
        assertThat(report.at("/overall/questions").asInt()).isEqualTo(12);
        assertThat(report.at("/overall/failed").asInt()).isZero();
        assertThat(rows(output + "/evaluation")).hasSize(12);
        assertThat(FlinkFiles.readString(FlinkFiles.of(output + "/_requests/requests.jsonl")).lines()).hasSize(48);
        assertThat(count(ids(output + "/results")).values()).hasSize(48).allMatch(n -> n == 1);
    }

    private static String chatLine(String id) {
        return "{\"custom_id\": \"" + id + "\", \"url\": \"/v1/chat/completions\", \"body\": {\"model\": \"" + MODEL + "\", \"messages\": "
                + "[{\"role\": \"user\", \"content\": \"Say " + id + "\"}], \"max_tokens\": 8}}";
    }

    private static String config(String input, String output, String faults) {
        return """
                input: {path: %s}
                endpoint: {type: emulator}
                emulator: {time-to-first-token: 1ms, %s}
                calls: {max-attempts: 1, adaptive: false}
                output: {path: %s}
                run: {parallelism: 2, checkpoint-interval: 300ms, max-failed-share: 1.0}
                """.formatted(input, faults, output);
    }

    private static List<Map<String, Object>> rows(String folder) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (org.apache.flink.core.fs.Path file : ParquetRows.visibleFiles(FlinkFiles.of(folder))) {
            rows.addAll(ParquetRows.read(file));
        }
        return rows;
    }

    private static List<String> ids(String folder) throws Exception {
        return rows(folder).stream().map(r -> (String) r.get("custom_id")).toList();
    }

    private static Map<String, Long> count(List<String> ids) {
        return ids.stream().collect(Collectors.groupingBy(id -> id, HashMap::new, Collectors.counting()));
    }

    private record Run(int exit, String out, String err) {}

    /** {@code BulkInferenceJob} as the command line runs it (this class shares its package for that). */
    private static Run run(String yaml) throws Exception {
        Path config = Files.createTempFile(dir, "job", ".yaml");
        Files.writeString(config, yaml);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExitStatus status = BulkInferenceJob.run(new String[] {"--config", config.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        System.out.print(out.toString(StandardCharsets.UTF_8));
        return new Run(status.code(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
