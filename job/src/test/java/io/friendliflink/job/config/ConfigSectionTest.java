package io.friendliflink.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSectionTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    enum Color { DARK_RED, BLUE }

    private static ConfigSection root(String yaml) throws Exception {
        return ConfigSection.root(YAML.readTree(yaml));
    }

    @Test
    void readsTypedValuesAndDefaults() throws Exception {
        ConfigSection root = root("calls:\n  max-attempts: 5\n  deadline: 10m\n  backoff: 250ms\n  ratio: 0.5\n"
                + "  adaptive: false\n  color: dark-red\n  topics: [a, b]\n");
        ConfigSection calls = root.section("calls");

        assertThat(calls.intValue("max-attempts", 8, 1, 100)).isEqualTo(5);
        assertThat(calls.duration("deadline", Duration.ZERO, Duration.ZERO)).isEqualTo(Duration.ofMinutes(10));
        assertThat(calls.duration("backoff", Duration.ZERO, Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(calls.doubleValue("ratio", 1, 0, 1)).isEqualTo(0.5);
        assertThat(calls.bool("adaptive", true)).isFalse();
        assertThat(calls.enumValue("color", Color.class, Color.BLUE)).isEqualTo(Color.DARK_RED);
        assertThat(calls.stringList("topics", List.of())).containsExactly("a", "b");
        assertThat(calls.intValue("capacity", 256, 1, 10_000)).isEqualTo(256);
        root.finish();
    }

    @Test
    void reportsEveryProblemWithItsKeyPathAndWhatToFix() throws Exception {
        ConfigSection root = root("calls:\n  max-attempts: 0\n  deadline: soon\n  adaptive: maybe\n  color: green\n"
                + "  reqests-per-minute: 100\n");
        ConfigSection calls = root.section("calls");
        calls.intValue("max-attempts", 8, 1, 100);
        calls.duration("deadline", Duration.ZERO, Duration.ZERO);
        calls.bool("adaptive", true);
        calls.enumValue("color", Color.class, Color.BLUE);
        calls.longValue("requests-per-minute", 0, 0, Long.MAX_VALUE);

        assertThatThrownBy(root::finish)
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "calls.max-attempts: must be between 1 and 100, was 0",
                        "calls.deadline: must be a duration such as 500ms, 30s, 10m or 2h, was soon",
                        "calls.adaptive: must be true or false, was maybe",
                        "calls.color: must be one of [dark-red, blue], was green",
                        "calls.reqests-per-minute: unknown key; known keys here are "
                                + "[max-attempts, deadline, adaptive, color, requests-per-minute]"));
    }

    @Test
    void aSectionThatIsNotAMappingIsAProblem() throws Exception {
        ConfigSection root = root("calls: 5\n");
        root.section("calls").intValue("max-attempts", 8, 1, 100);

        assertThatThrownBy(root::finish).hasMessageContaining("calls: must be a mapping of keys to values, was 5");
    }

    @Test
    void aMissingRequiredValueNamesItsKey() throws Exception {
        ConfigSection root = root("output: {}\n");
        root.section("output").requiredString("path", "the folder the results are written to");

        assertThatThrownBy(root::finish)
                .hasMessage("Invalid configuration: output.path: is required: the folder the results are written to");
    }

    @Test
    void overridesReplaceFileValuesWithTypedScalars(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, "calls:\n  max-attempts: 5\noutput:\n  path: out\n");

        ConfigSection root = ConfigSection.root(
                ConfigLoader.load(file, List.of("calls.max-attempts=9", "output.path=elsewhere", "input.watch=true")));

        assertThat(root.section("calls").intValue("max-attempts", 8, 1, 100)).isEqualTo(9);
        assertThat(root.section("output").string("path", null)).isEqualTo("elsewhere");
        assertThat(root.section("input").bool("watch", false)).isTrue();
    }

    @Test
    void refusesSecretsOnTheCommandLineWithoutEchoingThem() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("endpoint.token=flp_secret123")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("endpoint.token: secrets are not accepted on the command line")
                .hasMessageNotContaining("flp_secret123");
    }

    @Test
    void refusesKafkaPasswordsOnTheCommandLine() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("input.kafka.properties.ssl.keystore.password=hunter2")))
                .hasMessageContaining("secrets are not accepted on the command line")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void keysThatOnlyEndInTokenAreNotSecrets() {
        ConfigSection root = ConfigSection.root(ConfigLoader.load(null, List.of(
                "emulator.time-to-first-token=5ms", "calls.default-max-tokens=64")));

        assertThat(root.section("emulator").duration("time-to-first-token", Duration.ZERO, Duration.ZERO))
                .isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void acceptsWhereASecretLivesOnTheCommandLine() {
        ConfigSection root = ConfigSection.root(ConfigLoader.load(null, List.of("endpoint.token-env=MY_TOKEN")));

        assertThat(root.section("endpoint").string("token-env", null)).isEqualTo("MY_TOKEN");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(missing, List.of()))
                .hasMessageContaining(missing.toAbsolutePath().toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void anOverrideWithoutEqualsSignIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("calls.max-attempts")))
                .hasMessageContaining("must look like key.path=value");
    }
}
