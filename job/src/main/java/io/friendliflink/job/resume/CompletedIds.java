package io.friendliflink.job.resume;

import io.friendliflink.job.rows.ParquetRows;
import io.friendliflink.sink.ParquetSinks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Predicate;
import org.apache.avro.Schema;

/**
 * The {@code custom_id}s an output directory already holds: those in committed part files of
 * {@code results/} (and of {@code errors/} unless they are to be retried).
 *
 * <p>Only the {@code custom_id} column is read, and only from visible files: in-progress and pending files
 * of a run that was killed are hidden ({@code .part-...}) and their rows were never committed, so those
 * requests are sent again. Ids are kept as 128-bit hashes (SHA-256, cut) in an open-addressing table, about
 * 32 bytes an id instead of a few hundred for strings; the chance that two of a billion ids share a hash is
 * below 10^-20, so a request is never skipped for another's result in practice.
 */
public final class CompletedIds {
    private static final Schema RESULT_IDS = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"ResultRow\",\"namespace\":\"io.friendliflink.results\","
                    + "\"fields\":[{\"name\":\"custom_id\",\"type\":\"string\"}]}");
    private static final Schema ERROR_IDS = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"ErrorRow\",\"namespace\":\"io.friendliflink.errors\","
                    + "\"fields\":[{\"name\":\"custom_id\",\"type\":[\"null\",\"string\"],\"default\":null}]}");

    private long[] high = new long[16];
    private long[] low = new long[16];
    private boolean[] used = new boolean[16];
    private int size;
    private final MessageDigest sha256;

    private CompletedIds() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** An empty set. */
    public static CompletedIds none() {
        return new CompletedIds();
    }

    /**
     * Reads the ids of {@code output}'s committed files that {@code keep} accepts (a subtask keeps its own).
     *
     * @param includeErrors whether ids in {@code errors/} count as done
     */
    public static CompletedIds load(Path output, boolean includeErrors, Predicate<String> keep) throws IOException {
        CompletedIds ids = new CompletedIds();
        for (Path file : ParquetRows.visibleFiles(output.resolve(ParquetSinks.RESULTS_DIR))) {
            ParquetRows.forEach(file, RESULT_IDS, r -> ids.addIf(r.get("custom_id"), keep));
        }
        if (includeErrors) {
            for (Path file : ParquetRows.visibleFiles(output.resolve(ParquetSinks.ERRORS_DIR))) {
                ParquetRows.forEach(file, ERROR_IDS, r -> ids.addIf(r.get("custom_id"), keep));
            }
        }
        return ids;
    }

    private void addIf(Object id, Predicate<String> keep) {
        if (id != null) {
            String s = id.toString();
            if (keep.test(s)) {
                add(s);
            }
        }
    }

    public int size() {
        return size;
    }

    public boolean contains(String id) {
        if (size == 0) {
            return false;
        }
        byte[] h = hash(id);
        long hi = toLong(h, 0);
        long lo = toLong(h, 8);
        int mask = used.length - 1;
        for (int i = (int) lo & mask; used[i]; i = (i + 1) & mask) {
            if (high[i] == hi && low[i] == lo) {
                return true;
            }
        }
        return false;
    }

    void add(String id) {
        byte[] h = hash(id);
        insert(toLong(h, 0), toLong(h, 8));
    }

    private void insert(long hi, long lo) {
        if ((size + 1) * 2 > used.length) {
            grow();
        }
        int mask = used.length - 1;
        int i = (int) lo & mask;
        for (; used[i]; i = (i + 1) & mask) {
            if (high[i] == hi && low[i] == lo) {
                return;
            }
        }
        used[i] = true;
        high[i] = hi;
        low[i] = lo;
        size++;
    }

    private void grow() {
        long[] oldHigh = high;
        long[] oldLow = low;
        boolean[] oldUsed = used;
        high = new long[oldUsed.length * 2];
        low = new long[oldUsed.length * 2];
        used = new boolean[oldUsed.length * 2];
        size = 0;
        for (int i = 0; i < oldUsed.length; i++) {
            if (oldUsed[i]) {
                insert(oldHigh[i], oldLow[i]);
            }
        }
    }

    private byte[] hash(String id) {
        return sha256.digest(id.getBytes(StandardCharsets.UTF_8));
    }

    private static long toLong(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[offset + i] & 0xFF);
        }
        return v;
    }
}
