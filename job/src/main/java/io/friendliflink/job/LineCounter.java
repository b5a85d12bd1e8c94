package io.friendliflink.job;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Counts the request lines of a file input before the run, so progress can show done/total and a time left.
 * Reads what the file source reads: non-blank lines, {@code .gz} decompressed, names starting with
 * {@code .} or {@code _} skipped.
 */
final class LineCounter {
    private LineCounter() {}

    static long count(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return countFile(path);
        }
        long total = 0;
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (!isHidden(path.relativize(file))) {
                    total += countFile(file);
                }
            }
        }
        return total;
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.startsWith(".") || name.startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    private static long countFile(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        long lines = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    lines++;
                }
            }
        }
        return lines;
    }
}
