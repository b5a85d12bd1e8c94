package io.friendliflink.emulator;

import java.util.Map;

/**
 * What an emulator has served so far: a consistent-enough snapshot for tests and benchmarks.
 *
 * @param responsesByStatus responses started, by HTTP status (a reset or truncated answer counts as the
 *     status it began with)
 * @param requestsByPath requests received, by path; unknown paths count under {@code "other"}
 * @param promptTokens prompt tokens of all generated answers
 * @param completionTokens tokens generated for all answers
 * @param faultsInjected faults injected, by their option name ({@code fault-500}, {@code fault-reset}, ...)
 * @param clientDisconnects requests whose client went away before the answer was complete
 */
public record EmulatorStats(
        Map<Integer, Long> responsesByStatus,
        Map<String, Long> requestsByPath,
        long promptTokens,
        long completionTokens,
        Map<String, Long> faultsInjected,
        long clientDisconnects) {
    public EmulatorStats {
        responsesByStatus = Map.copyOf(responsesByStatus);
        requestsByPath = Map.copyOf(requestsByPath);
        faultsInjected = Map.copyOf(faultsInjected);
    }

    public long responses(int status) {
        return responsesByStatus.getOrDefault(status, 0L);
    }

    public long requests(String path) {
        return requestsByPath.getOrDefault(path, 0L);
    }

    public long faults(String option) {
        return faultsInjected.getOrDefault(option, 0L);
    }

    /** Requests received on every path. */
    public long totalRequests() {
        long total = 0;
        for (long n : requestsByPath.values()) {
            total += n;
        }
        return total;
    }

    public long totalResponses() {
        long total = 0;
        for (long n : responsesByStatus.values()) {
            total += n;
        }
        return total;
    }
}
