package io.friendliflink.operator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets a program that runs its job in its own JVM (a local mini cluster) stop the sending of requests without
 * losing what was answered: on Ctrl-C it closes the gate, waits for the requests on the wire, and stops the job
 * with a savepoint, which commits the answers. Once the gate is closed, a call not yet sent ends at once without
 * a row (so the operator's queue empties and the savepoint's barrier passes); a rerun sends those lines.
 *
 * <p>Gates are found by name in this JVM: the job names one in its {@link InferenceFunction}s, and the program
 * that runs it closes the gate of the same name. On a cluster's task managers no program closes it, so it
 * stays open.
 */
public final class SendGate {
    private static final Map<String, SendGate> GATES = new ConcurrentHashMap<>();

    private volatile boolean open = true;
    private final AtomicInteger onTheWire = new AtomicInteger();

    private SendGate() {}

    /** The gate named {@code name} in this JVM, made open the first time it is asked for. */
    public static SendGate named(String name) {
        return GATES.computeIfAbsent(name, n -> new SendGate());
    }

    /** Forgets the gate named {@code name}, once its run has ended. */
    public static void forget(String name) {
        GATES.remove(name);
    }

    public boolean isOpen() {
        return open;
    }

    /** Stops every send not yet made; sends already made still get their answers. */
    public void close() {
        open = false;
    }

    /** Attempts sent and not answered yet. */
    public int onTheWire() {
        return onTheWire.get();
    }

    void sent() {
        onTheWire.incrementAndGet();
    }

    void answered() {
        onTheWire.decrementAndGet();
    }
}
