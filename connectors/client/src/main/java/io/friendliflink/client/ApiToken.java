package io.friendliflink.client;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The bearer token an endpoint is called with: where it is (an environment variable, a file, or none) and, once
 * read, its value.
 *
 * <p>The value is a secret: {@link #toString()} shows only where it comes from ({@code ApiToken[env
 * FRIENDLI_TOKEN, ****]}), and no error message ever contains it. Only this package reads the value, to
 * build the {@code Authorization} header once per client.
 *
 * <p>It is serializable, so that an {@link EndpointConfig} can travel inside a Flink job graph, but only where the
 * token is travels: the graph is written to disk and sent over the network, so the value is read again, on first
 * use, where it arrives (each task manager). {@link #inEnv} and {@link #inFile} do not read it here at all: the
 * machine that submits a job need not have the token its task managers have.
 *
 * <pre>{@code
 * ApiToken token = ApiToken.fromEnv();                       // FRIENDLI_TOKEN, read now
 * ApiToken token = ApiToken.fromFile(Path.of("/run/secrets/friendli"));
 * ApiToken token = ApiToken.inEnv("FRIENDLI_TOKEN");         // read where it is used
 * ApiToken token = ApiToken.none();                          // a local server without auth
 * }</pre>
 */
public final class ApiToken implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The variable Friendli's own SDKs read. */
    public static final String DEFAULT_ENV_VAR = "FRIENDLI_TOKEN";

    private enum Place { NONE, ENV, FILE, GIVEN }

    private static final ApiToken NONE = new ApiToken(Place.NONE, null, null);

    private final Place place;
    /** The variable's name or the file's path. */
    private final String name;
    private transient volatile String value;

    private ApiToken(Place place, String name, String value) {
        this.place = place;
        this.name = name;
        this.value = value;
    }

    /** Reads {@value #DEFAULT_ENV_VAR}. */
    public static ApiToken fromEnv() {
        return fromEnv(DEFAULT_ENV_VAR);
    }

    /** @throws IllegalArgumentException naming the variable when it is unset, empty or not a valid token */
    public static ApiToken fromEnv(String variable) {
        ApiToken token = inEnv(variable);
        token.value();
        return token;
    }

    /**
     * As {@link #fromEnv(String)}, reading variables through {@code environment} (tests pass a map). Such a token
     * cannot be serialized: where it arrived, the variable would be read from the real environment.
     */
    public static ApiToken fromEnv(String variable, UnaryOperator<String> environment) {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(environment, "environment");
        return new ApiToken(Place.GIVEN, "env " + variable, readEnv(variable, environment));
    }

    /** Reads the whole file, trimmed (a trailing newline is common in secret mounts). */
    public static ApiToken fromFile(Path file) {
        ApiToken token = inFile(file);
        token.value();
        return token;
    }

    /** The token in {@code variable}, read on first use (on a task manager, when the job runs there). */
    public static ApiToken inEnv(String variable) {
        return new ApiToken(Place.ENV, Objects.requireNonNull(variable, "variable"), null);
    }

    /** The token in {@code file}, read on first use. */
    public static ApiToken inFile(Path file) {
        return new ApiToken(Place.FILE, Objects.requireNonNull(file, "file").toString(), null);
    }

    /** No token: requests carry no {@code Authorization} header. */
    public static ApiToken none() {
        return NONE;
    }

    public boolean isPresent() {
        return place != Place.NONE;
    }

    /** The environment variable the token is read from, or {@code null} when it is not read from one. */
    public String environmentVariable() {
        return place == Place.ENV ? name : null;
    }

    /** Where the token comes from, e.g. {@code env FRIENDLI_TOKEN}; never the value. */
    public String source() {
        return switch (place) {
            case NONE -> "none";
            case ENV -> "env " + name;
            case FILE -> "file " + name;
            case GIVEN -> name;
        };
    }

    /**
     * Reads the token now, where it was not read yet, so that a run that cannot send it stops before it starts.
     *
     * @throws IllegalArgumentException naming the variable or file when the token cannot be read or is not valid
     */
    public void requireReadable() {
        value();
    }

    /**
     * The secret itself, read on first use; package-private so that only the client that sends it can read it.
     *
     * @return {@code null} for {@link #none()}
     * @throws IllegalArgumentException naming the variable or file when the token cannot be read or is not valid
     */
    String value() {
        String v = value;
        if (v == null && place != Place.NONE) {
            v = place == Place.ENV ? readEnv(name, System::getenv) : readFile(Path.of(name));
            value = v;
        }
        return v;
    }

    private static String readEnv(String variable, UnaryOperator<String> environment) {
        String raw = environment.apply(variable);
        if (raw == null) {
            throw new IllegalArgumentException("token: environment variable " + variable + " is not set");
        }
        return checked(raw.trim(), "env " + variable);
    }

    private static String readFile(Path file) {
        String raw;
        try {
            raw = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // The exception's message names the file only; its cause cannot hold the content.
            throw new IllegalArgumentException(
                    "token: cannot read token file " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
        return checked(raw.trim(), "file " + file);
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

    private void writeObject(ObjectOutputStream out) throws IOException {
        if (place == Place.GIVEN) {
            throw new NotSerializableException("a token read through a given environment cannot travel: use "
                    + "ApiToken.inEnv(variable) or ApiToken.inFile(path)");
        }
        out.defaultWriteObject(); // the place and the name: the value is transient
    }

    private Object readResolve() {
        return place == Place.NONE ? NONE : this;
    }

    /**
     * Equal when read from the same place: on one machine the same value. A token read through a given
     * environment holds its value, and two given environments may hold different tokens under one name, so
     * those compare by value too.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ApiToken t && place == t.place && Objects.equals(name, t.name)
                && (place != Place.GIVEN || Objects.equals(value, t.value));
    }

    @Override
    public int hashCode() {
        return Objects.hash(place, name);
    }

    @Override
    public String toString() {
        return place == Place.NONE ? "ApiToken[none]" : "ApiToken[" + source() + ", ****]";
    }
}
