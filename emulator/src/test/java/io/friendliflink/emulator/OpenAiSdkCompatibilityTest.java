package io.friendliflink.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI SDK for Node.js (pinned in {@code src/test/node/package-lock.json}) completes a chat
 * and a completion, streamed and not, against the emulator at {@code baseURL = http://127.0.0.1:PORT/v1}.
 *
 * <p>Needs {@code node} and {@code npm} on the PATH, as CI has; without them the test fails, saying so.
 * {@code npm ci} installs into {@code target/node-sdk-check}, never into the source tree.
 */
class OpenAiSdkCompatibilityTest {
    private static final Path SOURCE = Path.of("src/test/node");
    private static final Path WORK = Path.of("target/node-sdk-check");

    @Test
    void openAiNodeSdkCompletesChatAndCompletionStreamedAndNot() throws Exception {
        requireTool("node");
        requireTool("npm");
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "openai-sdk-check.mjs")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/openai"))) {
            Run install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), null, 300);
            assertThat(install.exitCode).as("npm ci failed:\n" + install.output).isZero();
        }

        try (Emulator emulator = Emulator.start(EmulatorConfig.builder().ioThreads(2).build())) {
            Run check = run(List.of("node", "openai-sdk-check.mjs"), emulator.baseUrl() + "/v1", 120);

            assertThat(check.exitCode).as("the OpenAI SDK script failed:\n" + check.output).isZero();
            String last = check.output.strip().lines().reduce((a, b) -> b).orElse("");
            JsonNode result = TestHttp.json(last);
            assertThat(result.get("ok").asBoolean()).isTrue();
            assertThat(result.get("chatChunks").asInt()).isGreaterThan(2);
            assertThat(result.get("completionChunks").asInt()).isGreaterThan(1);
            assertThat(emulator.stats().requests("/v1/chat/completions")).isEqualTo(2);
            assertThat(emulator.stats().requests("/v1/completions")).isEqualTo(2);
            assertThat(emulator.stats().responses(200)).isEqualTo(4);
        }
    }

    private static void requireTool(String tool) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(tool + " --version failed: install Node.js 20+ with npm to run this test (CI has them)");
            }
        } catch (IOException e) {
            fail("'" + tool + "' is not on the PATH: install Node.js 20+ with npm to run the OpenAI SDK"
                    + " compatibility test (CI has them). " + e.getMessage());
        }
    }

    private record Run(int exitCode, String output) {}

    private static Run run(List<String> command, String baseUrl, int timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true);
        if (baseUrl != null) {
            pb.environment().put("EMULATOR_BASE_URL", baseUrl);
        }
        Path log = Files.createTempFile(WORK, "run", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
