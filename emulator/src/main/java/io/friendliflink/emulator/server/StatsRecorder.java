package io.friendliflink.emulator.server;

import io.friendliflink.emulator.EmulatorStats;
import io.friendliflink.emulator.fault.Fault;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts what the server does, from any event-loop thread, without locks on the hot path. */
public final class StatsRecorder {
    private final ConcurrentHashMap<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> byPath = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> faults = new ConcurrentHashMap<>();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder completionTokens = new LongAdder();
    private final LongAdder disconnects = new LongAdder();

    void request(String pathKey) {
        byPath.computeIfAbsent(pathKey, k -> new LongAdder()).increment();
    }

    void response(int status) {
        byStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
    }

    void fault(Fault fault) {
        faults.computeIfAbsent(fault.option(), k -> new LongAdder()).increment();
    }

    void tokens(long prompt, long completion) {
        promptTokens.add(prompt);
        completionTokens.add(completion);
    }

    void disconnect() {
        disconnects.increment();
    }

    public EmulatorStats snapshot() {
        return new EmulatorStats(
                sum(byStatus), sum(byPath), promptTokens.sum(), completionTokens.sum(), sum(faults),
                disconnects.sum());
    }

    private static <K> Map<K, Long> sum(ConcurrentHashMap<K, LongAdder> counters) {
        Map<K, Long> out = new HashMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
