package io.friendliflink.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {
    private static final String SECRET = "flp_S3cr3tValue";

    @Test
    void readsTheNamedEnvironmentVariableAndMasksIt() {
        ApiToken token = ApiToken.fromEnv("MY_TOKEN", Map.of("MY_TOKEN", SECRET + "\n")::get);

        assertThat(token.isPresent()).isTrue();
        assertThat(token.value()).isEqualTo(SECRET);
        assertThat(token).hasToString("ApiToken[env MY_TOKEN, ****]");
        assertThat(token.source()).isEqualTo("env MY_TOKEN");
    }

    @Test
    void missingOrEmptyVariableIsNamedInTheError() {
        assertThatThrownBy(() -> ApiToken.fromEnv("FRIENDLI_FLINK_TEST_SURELY_UNSET_VAR"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token: environment variable FRIENDLI_FLINK_TEST_SURELY_UNSET_VAR is not set");
        assertThatThrownBy(() -> ApiToken.fromEnv("EMPTY", Map.of("EMPTY", "  ")::get))
                .hasMessage("token: env EMPTY is empty");
    }

    @Test
    void tokenWithWhitespaceInsideIsRejectedWithoutShowingIt() {
        assertThatThrownBy(() -> ApiToken.fromEnv("T", Map.of("T", "flp_ab\r\nX-Evil: " + SECRET)::get))
                .hasMessage("token: env T contains a character that is not allowed in a bearer token"
                        + " (whitespace, control or non-ASCII) at index 6")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void readsAFileTrimmedAndMasksIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "  " + SECRET + "\n");

        ApiToken token = ApiToken.fromFile(file);

        assertThat(token.value()).isEqualTo(SECRET);
        assertThat(token).hasToString("ApiToken[file " + file + ", ****]");
    }

    @Test
    void missingOrEmptyFileIsNamedInTheError(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("absent");
        assertThatThrownBy(() -> ApiToken.fromFile(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token: cannot read token file " + missing + " (NoSuchFileException)");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> ApiToken.fromFile(empty)).hasMessage("token: file " + empty + " is empty");
    }

    @Test
    void noneHasNoValue() {
        assertThat(ApiToken.none().isPresent()).isFalse();
        assertThat(ApiToken.none().value()).isNull();
        assertThat(ApiToken.none()).hasToString("ApiToken[none]");
    }

    /** Equal tokens may share a client: read from one place, or given with one value. */
    @Test
    void tokensAreEqualWhenReadFromTheSamePlaceAndGivenOnesOnlyWithTheSameValue() {
        assertThat(ApiToken.inEnv("A")).isEqualTo(ApiToken.inEnv("A")).isNotEqualTo(ApiToken.inEnv("B"));
        assertThat(ApiToken.fromEnv("A", Map.of("A", "one")::get))
                .isEqualTo(ApiToken.fromEnv("A", Map.of("A", "one")::get))
                .isNotEqualTo(ApiToken.fromEnv("A", Map.of("A", "two")::get));
    }
}
