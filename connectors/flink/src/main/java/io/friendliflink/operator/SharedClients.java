package io.friendliflink.operator;

import io.friendliflink.client.EndpointConfig;
import io.friendliflink.client.FriendliClient;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.annotation.VisibleForTesting;

/**
 * One {@link FriendliClient} per endpoint config in this JVM, shared by the subtasks that call it: made by the
 * first {@link #acquire}, closed when the last {@link Lease} is closed.
 *
 * <p>Why shared: a client owns event-loop threads and a pool of keep-alive connections. The subtasks of one
 * task manager that call one endpoint then use one set of threads, and connections one of them opened serve
 * the others. {@link EndpointConfig#maxConnections()} stays each subtask's: the shared pool grows by it with each
 * lease and shrinks with each release, so sharing changes how many threads there are, not how much may be in
 * flight.
 *
 * <p>Contract: configs that are {@link EndpointConfig#equals equal} get the same client; a lease releases its
 * share once, however often it is closed; the client is closed outside the lock, so a slow shutdown holds up
 * no other subtask's open (one opening meanwhile gets a new client). The map is static, so it is shared as
 * far as this class is: a task manager's whole JVM when the connector is in Flink's {@code lib/}, one job's
 * user-code class loader when it is in the job's jar.
 *
 * <p>The reference-counted cache of {@code flink-model-openai} is the model (apache/flink,
 * {@code flink-models/flink-model-openai/src/main/java/org/apache/flink/model/openai/OpenAIUtils.java}:
 * {@code createAsyncClient} / {@code releaseAsyncClient}); a lease instead of a release by key keeps one
 * subtask from releasing another's share.
 */
final class SharedClients {
    /** Guarded by itself. */
    private static final Map<EndpointConfig, Shared> CLIENTS = new HashMap<>();

    private SharedClients() {}

    /**
     * A share of the client for {@code config}, made now if no subtask holds one.
     *
     * @throws IllegalArgumentException when the client cannot be made (its token cannot be read)
     */
    static Lease acquire(EndpointConfig config) {
        synchronized (CLIENTS) {
            Shared shared = CLIENTS.get(config);
            if (shared == null) {
                shared = new Shared(new FriendliClient(config));
                CLIENTS.put(config, shared);
            } else {
                shared.client.addConnections(config.maxConnections());
            }
            shared.leases++;
            return new Lease(config, shared);
        }
    }

    /** How many leases hold the client for {@code config}; 0 when there is none. */
    @VisibleForTesting
    static int leases(EndpointConfig config) {
        synchronized (CLIENTS) {
            Shared shared = CLIENTS.get(config);
            return shared == null ? 0 : shared.leases;
        }
    }

    private static void release(EndpointConfig config, Shared shared) {
        synchronized (CLIENTS) {
            if (--shared.leases > 0) {
                shared.client.addConnections(-config.maxConnections());
                return;
            }
            CLIENTS.remove(config, shared);
        }
        shared.client.close();
    }

    /** One subtask's share of a client. */
    static final class Lease implements AutoCloseable {
        private final EndpointConfig config;
        private final Shared shared;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(EndpointConfig config, Shared shared) {
            this.config = config;
            this.shared = shared;
        }

        FriendliClient client() {
            return shared.client;
        }

        /** Gives the share back; the last one closes the client. */
        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                release(config, shared);
            }
        }
    }

    private static final class Shared {
        final FriendliClient client;
        /** Guarded by {@link #CLIENTS}. */
        int leases;

        Shared(FriendliClient client) {
            this.client = client;
        }
    }
}
