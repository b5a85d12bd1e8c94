package io.friendliflink.job.files;

import org.apache.flink.configuration.ConfigConstants;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.PluginUtils;

/**
 * Flink's file systems for a run in this JVM ({@code bin/run}), set up as a cluster sets up its own: the
 * configuration in {@code $FLINK_CONF_DIR} (where {@code s3.access-key}, {@code s3.endpoint} and the like are)
 * and the plugins in {@code $FLINK_PLUGINS_DIR} ({@code plugins/} by default, e.g.
 * {@code plugins/s3-fs-hadoop/flink-s3-fs-hadoop-2.2.0.jar}). Under {@code flink run} the client and the cluster
 * do this themselves.
 */
public final class LocalFileSystems {
    private LocalFileSystems() {}

    public static void initialize() {
        String confDir = System.getenv(ConfigConstants.ENV_FLINK_CONF_DIR);
        Configuration conf = confDir == null || confDir.isBlank()
                ? new Configuration() : GlobalConfiguration.loadConfiguration(confDir);
        FileSystem.initialize(conf, PluginUtils.createPluginManagerFromRootFolder(conf));
    }
}
