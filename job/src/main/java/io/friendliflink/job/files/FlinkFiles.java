package io.friendliflink.job.files;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Every file the job reads or writes, through Flink's {@link FileSystem}: a location with a scheme
 * ({@code s3://bucket/out}, {@code hdfs://…}, {@code gs://…}) goes to the file system Flink has for it (a plugin
 * on a cluster), a location without one is a local path, made absolute against the working directory as
 * before.
 *
 * <p>The one place that knows about {@code java.nio}: a local file is still replaced by an atomic rename, as a
 * scheduler polling for {@code _SUMMARY.json} expects; on other file systems a file is written in place, where
 * an object store shows an object only once it is whole.
 */
public final class FlinkFiles {
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private FlinkFiles() {}

    /** The location of a configuration value: a URI with a scheme as is, anything else a local path. */
    public static Path of(String location) {
        if (SCHEME.matcher(location).matches() && !looksLikeWindowsDrive(location)) {
            return new Path(location);
        }
        return local(java.nio.file.Path.of(location));
    }

    /** Why {@code location} cannot be read, or {@code null} when it exists. */
    public static String whyMissing(String location) {
        try {
            Path path = of(location);
            return exists(path) ? null : "does not exist: " + show(path);
        } catch (IOException | IllegalArgumentException e) {
            return "cannot be read: " + e.getMessage();
        }
    }

    /** A local path, absolute and normalized, as a {@code file:} location. */
    public static Path local(java.nio.file.Path path) {
        return new Path(path.toAbsolutePath().normalize().toUri());
    }

    /** Whether the location is on the local file system of the process that reads it. */
    public static boolean isLocal(Path path) {
        String scheme = path.toUri().getScheme();
        return scheme == null || "file".equals(scheme);
    }

    /** How a user wrote it: a local path without {@code file:}, anything else as its URI. */
    public static String show(Path path) {
        return isLocal(path) ? path.toUri().getPath() : path.toString();
    }

    /** {@code parent/name}. */
    public static Path child(Path parent, String name) {
        return new Path(parent, name);
    }

    /** A sibling of {@code path} named {@code name}. */
    public static Path sibling(Path path, String name) {
        return new Path(path.getParent(), name);
    }

    public static boolean exists(Path path) throws IOException {
        return status(path) != null;
    }

    public static boolean isDirectory(Path path) throws IOException {
        FileStatus s = status(path);
        return s != null && s.isDir();
    }

    public static boolean isFile(Path path) throws IOException {
        FileStatus s = status(path);
        return s != null && !s.isDir();
    }

    /** The entries directly in {@code dir}, sorted by name; empty when it does not exist. */
    public static List<FileStatus> list(Path dir) throws IOException {
        FileStatus[] entries;
        try {
            entries = fs(dir).listStatus(dir);
        } catch (FileNotFoundException e) {
            return List.of();
        }
        if (entries == null) {
            return List.of();
        }
        List<FileStatus> sorted = new ArrayList<>(Arrays.asList(entries));
        sorted.sort(Comparator.comparing(s -> s.getPath().getName()));
        return sorted;
    }

    /** The files (not directories) in {@code dir}, sorted by name; empty when it does not exist. */
    public static List<Path> files(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (FileStatus s : list(dir)) {
            if (!s.isDir()) {
                files.add(s.getPath());
            }
        }
        return files;
    }

    /**
     * Every file below {@code root} (or {@code root} itself when it is a file), each with its path relative to
     * {@code root} ({@code a/b.jsonl}), in name order.
     */
    public static List<Relative> walk(Path root) throws IOException {
        List<Relative> out = new ArrayList<>();
        FileStatus s = status(root);
        if (s == null) {
            throw new FileNotFoundException(show(root) + " does not exist");
        }
        if (!s.isDir()) {
            out.add(new Relative(root, root.getName()));
            return out;
        }
        walk(root, "", out);
        return out;
    }

    private static void walk(Path dir, String prefix, List<Relative> out) throws IOException {
        for (FileStatus s : list(dir)) {
            String relative = prefix + s.getPath().getName();
            if (s.isDir()) {
                walk(s.getPath(), relative + "/", out);
            } else {
                out.add(new Relative(s.getPath(), relative));
            }
        }
    }

    /** A file found by {@link #walk} and its path below the root, {@code /}-separated. */
    public record Relative(Path path, String relative) {}

    public static InputStream open(Path file) throws IOException {
        return fs(file).open(file);
    }

    public static long length(Path file) throws IOException {
        return fs(file).getFileStatus(file).getLen();
    }

    public static byte[] readAllBytes(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return in.readAllBytes();
        }
    }

    public static String readString(Path file) throws IOException {
        return new String(readAllBytes(file), StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code file} whole, replacing it: a reader sees the old content or the new, never half. Locally
     * through a hidden file beside it and an atomic rename; elsewhere in place (an object store makes an
     * object visible when its upload completes).
     */
    public static void write(Path file, Content content) throws IOException {
        FileSystem fs = fs(file);
        if (!isLocal(file)) {
            try (OutputStream out = fs.create(file, FileSystem.WriteMode.OVERWRITE)) {
                content.writeTo(out);
            }
            return;
        }
        fs.mkdirs(file.getParent());
        Path tmp = sibling(file, "." + file.getName() + ".tmp");
        try (OutputStream out = fs.create(tmp, FileSystem.WriteMode.OVERWRITE)) {
            content.writeTo(out);
        }
        replace(tmp, file);
    }

    /**
     * Puts {@code from} in the place of {@code to}: one atomic rename locally; elsewhere {@code to} is deleted
     * first (a file system without atomic renames cannot do better).
     */
    public static void replace(Path from, Path to) throws IOException {
        if (isLocal(from) && isLocal(to)) {
            Files.move(nio(from), nio(to), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        FileSystem fs = fs(to);
        fs.delete(to, false);
        if (!fs.rename(from, to)) {
            throw new IOException("could not move " + show(from) + " to " + show(to));
        }
    }

    public static void writeString(Path file, String text) throws IOException {
        write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Creates {@code file} (and its parents where a file system has folders), replacing what is there. */
    public static FSDataOutputStream create(Path file) throws IOException {
        FileSystem fs = fs(file);
        if (isLocal(file)) {
            fs.mkdirs(file.getParent());
        }
        return fs.create(file, FileSystem.WriteMode.OVERWRITE);
    }

    /** Moves {@code from} to {@code to}, which must not exist (atomic locally; a copy and a delete on S3). */
    public static void move(Path from, Path to) throws IOException {
        if (isLocal(from) && isLocal(to)) {
            Files.createDirectories(nio(to).getParent());
            Files.move(nio(from), nio(to), StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        FileSystem fs = fs(from);
        fs.mkdirs(to.getParent());
        if (!fs.rename(from, to)) {
            throw new IOException("could not move " + show(from) + " to " + show(to));
        }
    }

    public static void delete(Path path) throws IOException {
        fs(path).delete(path, false);
    }

    /** Deletes {@code path} and everything below it, if it exists. */
    public static void deleteTree(Path path) throws IOException {
        fs(path).delete(path, true);
    }

    /** Whether two files hold the same bytes. */
    public static boolean sameContent(Path a, Path b) throws IOException {
        return Arrays.equals(readAllBytes(a), readAllBytes(b));
    }

    /** Whether {@code path} is {@code ancestor} or below it. */
    public static boolean isWithin(Path path, Path ancestor) {
        URI p = path.toUri().normalize();
        URI a = ancestor.toUri().normalize();
        if (!java.util.Objects.equals(p.getScheme(), a.getScheme())
                || !java.util.Objects.equals(p.getAuthority(), a.getAuthority())) {
            return false;
        }
        String pp = stripSlash(p.getPath());
        String ap = stripSlash(a.getPath());
        return pp.equals(ap) || pp.startsWith(ap + "/");
    }

    private static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static FileStatus status(Path path) throws IOException {
        try {
            return fs(path).getFileStatus(path);
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    private static FileSystem fs(Path path) throws IOException {
        return path.getFileSystem();
    }

    private static java.nio.file.Path nio(Path local) {
        return java.nio.file.Path.of(local.toUri());
    }

    private static boolean looksLikeWindowsDrive(String location) {
        return location.length() >= 2 && location.charAt(1) == ':' && Character.isLetter(location.charAt(0))
                && (location.length() == 2 || location.charAt(2) == '\\' || location.charAt(2) == '/');
    }
}
