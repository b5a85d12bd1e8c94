package io.friendliflink.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The bearer token an endpoint is called with, read once from the environment or a file, or none.
 *
 * <p>The value is a secret: {@link #toString()} shows only where it came from ({@code ApiToken[env
 * FRIENDLI_TOKEN, ****]}), and no error message ever contains it. Only this package reads the value, to
 * build the {@code Authorization} header once per client.
 *
 * <pre>{@code
 * ApiToken token = ApiToken.fromEnv();                       // FRIENDLI_TOKEN
 * ApiToken token = ApiToken.fromFile(Path.of("/run/secrets/friendli"));
 * ApiToken token = ApiToken.none();                          // a local server without auth
 * }</pre>
 */
public final class ApiToken {

    /** The variable Friendli's own SDKs read. */
    public static final String DEFAULT_ENV_VAR = "FRIENDLI_TOKEN";

    private static final ApiToken NONE = new ApiToken("none", null);

    private final String source;
    private final String value;

    private ApiToken(String source, String value) {
        this.source = source;
        this.value = value;
    }

    /** Reads {@value #DEFAULT_ENV_VAR}. */
    public static ApiToken fromEnv() {
        return fromEnv(DEFAULT_ENV_VAR);
    }

    /** @throws IllegalArgumentException naming the variable when it is unset, empty or not a valid token */
    public static ApiToken fromEnv(String variable) {
        return fromEnv(variable, System::getenv);
    }

    /** As {@link #fromEnv(String)}, reading variables through {@code environment} (tests pass a map). */
    public static ApiToken fromEnv(String variable, UnaryOperator<String> environment) {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(environment, "environment");
        String source = "env " + variable;
        String raw = environment.apply(variable);
        if (raw == null) {
            throw new IllegalArgumentException("token: environment variable " + variable + " is not set");
        }
        return new ApiToken(source, checked(raw.trim(), source));
    }

    /** Reads the whole file, trimmed (a trailing newline is common in secret mounts). */
    public static ApiToken fromFile(Path file) {
        Objects.requireNonNull(file, "file");
        String source = "file " + file;
        String raw;
        try {
            raw = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // The exception's message names the file only; its cause cannot hold the content.
            throw new IllegalArgumentException(
                    "token: cannot read token file " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
        return new ApiToken(source, checked(raw.trim(), source));
    }

    /** No token: requests carry no {@code Authorization} header. */
    public static ApiToken none() {
        return NONE;
    }

    public boolean isPresent() {
        return value != null;
    }

    /** Where the token came from, e.g. {@code env FRIENDLI_TOKEN}; never the value. */
    public String source() {
        return source;
    }

    /** The secret itself; package-private so that only the client that sends it can read it. */
    String value() {
        return value;
    }

    private static String checked(String token, String source) {
        if (token.isEmpty()) {
            throw new IllegalArgumentException("token: " + source + " is empty");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            // Visible ASCII only: anything else would corrupt (or inject into) the Authorization header.
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("token: " + source
                        + " contains a character that is not allowed in a bearer token (whitespace,"
                        + " control or non-ASCII) at index " + i);
            }
        }
        return token;
    }

    @Override
    public String toString() {
        return value == null ? "ApiToken[none]" : "ApiToken[" + source + ", ****]";
    }
}
