package io.friendliflink.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a cluster the job's jar has no emulator ({@code provided} scope): reading a configuration for a real endpoint,
 * and loading the job's entry point, must not touch an emulator class.
 */
class ClusterClassPathTest {

    @Test
    void aRealEndpointsConfigurationIsReadWithoutTheEmulatorsClasses(@TempDir Path dir) throws Exception {
        Path input = Files.writeString(dir.resolve("in.jsonl"), "");
        ClassLoader cluster = new WithoutEmulator(getClass().getClassLoader());

        Object config = read(cluster, "endpoint.type=openai-compatible", "endpoint.base-url=http://localhost:1/v1",
                "input.path=" + input, "output.path=" + dir.resolve("out"));

        assertThat(config.toString()).contains("OPENAI_COMPATIBLE").contains("emulator=null");
        assertThat(config.hashCode()).isEqualTo(config.hashCode());
        assertThat(Class.forName("io.friendliflink.job.BulkInferenceJob", true, cluster)).isNotNull();
    }

    @Test
    void theEmulatorsConfigurationNeedsItsClasses(@TempDir Path dir) throws Exception {
        // The loader above hides what it should: an emulator run does need the emulator.
        Path input = Files.writeString(dir.resolve("in.jsonl"), "");
        ClassLoader cluster = new WithoutEmulator(getClass().getClassLoader());

        assertThatThrownBy(() -> read(cluster, "input.path=" + input, "output.path=" + dir.resolve("out")))
                .isInstanceOf(NoClassDefFoundError.class).hasMessageContaining("io/friendliflink/emulator/");
    }

    private static Object read(ClassLoader loader, String... overrides) throws Exception {
        Class<?> configLoader = Class.forName(ConfigLoader.class.getName(), true, loader);
        Class<?> jobConfig = Class.forName(JobConfig.class.getName(), true, loader);
        Method load = configLoader.getMethod("load", Path.class, List.class);
        try {
            Object tree = load.invoke(null, null, List.of(overrides));
            Method from = jobConfig.getMethod("from", Class.forName("com.fasterxml.jackson.databind.JsonNode"));
            return from.invoke(null, tree);
        } catch (InvocationTargetException e) {
            throw (Exception) (e.getCause() instanceof Error error ? rethrow(error) : e.getCause());
        }
    }

    private static Exception rethrow(Error error) {
        throw error;
    }

    /** The project's own classes loaded afresh, the emulator's refused; everything else from the parent. */
    private static final class WithoutEmulator extends ClassLoader {
        private final ClassLoader classes;

        WithoutEmulator(ClassLoader classes) {
            super(classes);
            this.classes = classes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.friendliflink.emulator.")) {
                throw new ClassNotFoundException(name + " (not on a cluster's class path)");
            }
            if (!name.startsWith("io.friendliflink.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) {
                    return loaded;
                }
                try (InputStream in = classes.getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) {
                        throw new ClassNotFoundException(name);
                    }
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }
}
