package io.friendliflink.job;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;

/**
 * The Flink mini cluster a local run ({@code bin/run}) starts in its own JVM, owned here rather than by Flink's
 * local environment so that every temporary file (the RPC system's jar, blobs, the web upload folder) goes into
 * one folder of the run, deleted when the cluster closes: a local run leaves nothing in the temp directory.
 */
final class LocalCluster implements AutoCloseable {
    private final Path tempDir;
    private final MiniCluster cluster;

    private LocalCluster(Path tempDir, MiniCluster cluster) {
        this.tempDir = tempDir;
        this.cluster = cluster;
    }

    /** Starts a cluster with {@code slots} task slots; its temporary files go under a new folder of {@code tempRoot}. */
    static LocalCluster start(Configuration jobConfiguration, int slots, Path tempRoot) throws Exception {
        Path tempDir = Files.createTempDirectory(tempRoot, "friendli-run-");
        Configuration conf = new Configuration(jobConfiguration);
        conf.set(CoreOptions.TMP_DIRS, tempDir.toString());
        conf.set(WebOptions.UPLOAD_DIR, tempDir.resolve("web-upload").toString());
        conf.set(RestOptions.BIND_PORT, "0"); // two local runs at once must not fight over 8081
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .setRpcServiceSharing(RpcServiceSharing.SHARED)
                .build());
        try {
            cluster.start();
        } catch (Exception e) {
            cluster.close();
            deleteTree(tempDir);
            throw e;
        }
        return new LocalCluster(tempDir, cluster);
    }

    /** Submits {@code job}; the client reads its status, accumulators and result. */
    JobClient submit(JobGraph job) throws Exception {
        cluster.submitJob(job).get();
        return new MiniClusterJobClient(job.getJobID(), cluster, getClass().getClassLoader(),
                MiniClusterJobClient.JobFinalizationBehavior.NOTHING);
    }

    /** Deletes the cluster's temporary files now, while it runs: for a process that is about to halt. */
    void deleteTemporaryFiles() {
        try {
            deleteTree(tempDir);
        } catch (IOException e) {
            // Halting anyway; the files of a cluster that no longer runs are all that is left.
        }
    }

    @Override
    public void close() throws Exception {
        try {
            cluster.close();
        } finally {
            deleteTree(tempDir);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
