package io.friendliflink.job.mode;

import io.friendliflink.job.config.JobConfig;
import java.io.PrintStream;
import java.util.OptionalLong;

/**
 * What the job does around the run, by {@code mode:}: its steps before (check and prepare the input) and after
 * (write the mode's own output). The run between them is the same pipeline for every mode.
 *
 * <p>{@code
 * RunMode mode = RunMode.of(config, endpointBaseUrl);
 * OptionalLong lines = mode.prepare(out);   // InvalidInputException: the user must fix the input
 * ... run ...
 * mode.finish(out);                          // only after a run that finished
 * }
 */
public interface RunMode {

    /**
     * Checks the input and writes whatever the run reads.
     *
     * @return the number of lines the run will read, when known in advance
     * @throws InvalidInputException when the input cannot give a useful run (the message says what to fix)
     */
    OptionalLong prepare(PrintStream out) throws Exception;

    /** Writes the mode's own output from the run's rows; called only after a run that finished. */
    void finish(PrintStream out) throws Exception;

    /** The mode {@code config} names. */
    static RunMode of(JobConfig config, String endpointBaseUrl) {
        return switch (config.mode()) {
            case REQUESTS -> new RequestsMode(config);
            case EVALUATE -> new EvaluateMode(config, endpointBaseUrl);
            case GENERATE -> new GenerateMode(config);
        };
    }
}
