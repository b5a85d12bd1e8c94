package io.friendliflink.lines;

/**
 * One line of input and where it was read: what an error row names so that a bad line in a directory of
 * files, or in a topic, can be found.
 *
 * @param text the line as read (a request line in the OpenAI Batch format, or anything else)
 * @param source where it was read: {@code <file>:<line>} (1-based, blank lines counted, as an editor shows
 *     them) for files, {@code <topic>-<partition>@<offset>} for Kafka records; {@code null} when unknown
 */
public record InputLine(String text, String source) {

    /** A line whose origin is not known (built in a test or by a caller that has none). */
    public static InputLine of(String text) {
        return new InputLine(text, null);
    }

    /** The source of line {@code lineNumber} (1-based) of {@code file}. */
    public static String fileSource(String file, long lineNumber) {
        return file + ":" + lineNumber;
    }

    /** The source of the Kafka record at {@code offset} of {@code topic}'s {@code partition}. */
    public static String kafkaSource(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }
}
