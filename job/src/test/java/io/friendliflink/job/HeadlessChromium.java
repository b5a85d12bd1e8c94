package io.friendliflink.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} driven from its command line: the DOM it renders from a file, and a screenshot. It is
 * installed by {@code scripts/ensure-chromium.sh} when missing.
 */
final class HeadlessChromium {
    private static final Path ENSURE = Path.of("..", "scripts", "ensure-chromium.sh");

    private final Path binary;
    private final Path work;

    private HeadlessChromium(Path binary, Path work) {
        this.binary = binary;
        this.work = work;
    }

    /** Installs chromium if needed; {@code work} holds its profiles and logs. */
    static HeadlessChromium ensure(Path work) throws Exception {
        Path log = work.resolve("ensure-chromium.log");
        Process p = new ProcessBuilder("bash", ENSURE.toString()).redirectError(log.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("ensure-chromium.sh ended").isTrue();
        assertThat(p.exitValue()).as("ensure-chromium.sh: %s", Files.readString(log)).isZero();
        String[] lines = out.split("\n");
        return new HeadlessChromium(Path.of(lines[lines.length - 1].trim()), work);
    }

    /** The document as Chromium parsed and laid it out. */
    String dumpDom(Path html) throws Exception {
        return new String(run(List.of("--dump-dom", html.toUri().toString())), StandardCharsets.UTF_8);
    }

    /** A PNG of the page's first {@code width} x {@code height} pixels. */
    void screenshot(Path html, Path png, int width, int height) throws Exception {
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        run(List.of("--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath(),
                html.toUri().toString()));
        assertThat(png).as("screenshot written").isNotEmptyFile();
    }

    private byte[] run(List<String> args) throws Exception {
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--user-data-dir=" + profile));
        command.addAll(args);
        Path log = Files.createTempFile(work, "chromium", ".log");
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("chromium did not end within 60 s: " + command);
        }
        assertThat(p.exitValue()).as("chromium exit; its log: %s", Files.readString(log)).isZero();
        return out;
    }
}
