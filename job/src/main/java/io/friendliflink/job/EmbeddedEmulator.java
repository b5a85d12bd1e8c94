package io.friendliflink.job;

import io.friendliflink.emulator.Emulator;
import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.job.config.JobConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The emulator a local run starts in its own JVM when {@code endpoint.type} is {@code emulator}.
 *
 * <p>It gets a random token for the run, like a real endpoint demands one; the job reads it from an
 * owner-only file, the same way it reads a real token, so the token path is exercised and nothing secret
 * is ever passed on a command line or kept in the job graph.
 */
final class EmbeddedEmulator implements AutoCloseable {
    private final Emulator emulator;
    private final Path tokenFile;

    private EmbeddedEmulator(Emulator emulator, Path tokenFile) {
        this.emulator = emulator;
        this.tokenFile = tokenFile;
    }

    /** @param behaviour the {@code emulator:} section: latency, limits and faults */
    static EmbeddedEmulator start(EmulatorConfig behaviour) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String token = "flp_emulator_" + HexFormat.of().formatHex(random);
        Path tokenFile;
        try {
            tokenFile = Files.createTempFile("friendli-emulator-token", ".txt",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tokenFile, token);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the embedded emulator's token file", e);
        }
        // Loopback, a free port, and this run's token: where and whom to serve is the job's choice.
        EmulatorConfig config = behaviour.toBuilder().host("127.0.0.1").port(0).token(token).build();
        try {
            return new EmbeddedEmulator(Emulator.start(config), tokenFile);
        } catch (RuntimeException e) {
            deleteQuietly(tokenFile); // never leave a token behind
            throw e;
        }
    }

    String baseUrl() {
        return emulator.baseUrl();
    }

    Emulator emulator() {
        return emulator;
    }

    /** {@code config} with the endpoint pointed at this emulator's token. */
    JobConfig configure(JobConfig config) {
        return config.withEndpoint(config.endpoint().withTokenFile(tokenFile));
    }

    @Override
    public void close() {
        emulator.close();
        deleteQuietly(tokenFile);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A temp file left behind holds a token of an emulator that no longer runs.
        }
    }
}
