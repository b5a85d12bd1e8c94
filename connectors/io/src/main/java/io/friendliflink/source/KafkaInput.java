package io.friendliflink.source;

import io.friendliflink.lines.InputLine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Where request lines come from when they sit in Kafka: one request line per record value.
 *
 * <p>The value is decoded as UTF-8 and the key is ignored; records without a value (tombstones) are
 * skipped with a warning. Bounded by default: the source reads up to the latest offsets of each
 * partition as they were when the job started, then ends. {@link Builder#unbounded()} keeps reading.
 *
 * <p>Extra Kafka consumer properties (security settings, timeouts, {@code client.id.prefix},
 * {@code partition.discovery.interval.ms}, ...) pass through unchanged; the settings this class owns
 * cannot be overridden that way. {@link #toString()} masks the values of properties that hold secrets.
 * Committed offsets, used by {@link StartingOffsets#COMMITTED_OR_EARLIEST}, advance only when a
 * checkpoint completes.
 *
 * <pre>{@code
 * KafkaSource<InputLine> lines = KafkaInput.builder()
 *         .bootstrapServers("broker-1:9092,broker-2:9092")
 *         .topics("batch-requests")
 *         .groupId("friendli-batch")
 *         .startingOffsets(KafkaInput.StartingOffsets.COMMITTED_OR_EARLIEST)
 *         .property("security.protocol", "SASL_SSL")
 *         .build()
 *         .createSource();
 * env.fromSource(lines, WatermarkStrategy.noWatermarks(), "request lines");
 * }</pre>
 */
public final class KafkaInput {

    /** Where each partition starts when the job starts. */
    public enum StartingOffsets {
        /** The oldest record still kept. */
        EARLIEST("earliest"),
        /** Only records written after the job started; meaningless for a bounded source. */
        LATEST("latest"),
        /** The group's committed offset, or the oldest record where the group has none. */
        COMMITTED_OR_EARLIEST("committed-or-earliest");

        private final String text;

        StartingOffsets(String text) {
            this.text = text;
        }

        /**
         * The value for a name as written on a command line: {@code earliest}, {@code latest} or
         * {@code committed-or-earliest} (case-insensitive).
         *
         * @throws IllegalArgumentException naming the accepted values if {@code name} is none of them
         */
        public static StartingOffsets parse(String name) {
            for (StartingOffsets value : values()) {
                if (value.text.equalsIgnoreCase(name == null ? "" : name.strip())) {
                    return value;
                }
            }
            throw new IllegalArgumentException("startingOffsets '" + name
                    + "' is not one of earliest, latest, committed-or-earliest");
        }

        // Kafka 4 deprecates OffsetResetStrategy, but flink-connector-kafka 5.0 takes no other type here.
        @SuppressWarnings("deprecation")
        OffsetsInitializer initializer() {
            switch (this) {
                case EARLIEST:
                    return OffsetsInitializer.earliest();
                case LATEST:
                    return OffsetsInitializer.latest();
                default:
                    return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            }
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Properties set through this class's own methods; passing them as extra properties is refused. */
    private static final Set<String> OWNED_PROPERTIES = Set.of(
            "bootstrap.servers", "group.id", "key.deserializer", "value.deserializer", "auto.offset.reset");

    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern HOST_PORT = Pattern.compile("\\S+:(\\d{1,5})");

    private final String bootstrapServers;
    private final List<String> topics;
    private final Pattern topicPattern;
    private final String groupId;
    private final StartingOffsets startingOffsets;
    private final boolean bounded;
    private final Map<String, String> properties;

    private KafkaInput(Builder b) {
        this.bootstrapServers = b.bootstrapServers;
        this.topics = b.topics == null ? null : List.copyOf(b.topics);
        this.topicPattern = b.topicPattern;
        this.groupId = b.groupId;
        this.startingOffsets = b.startingOffsets;
        this.bounded = b.bounded;
        this.properties = Collections.unmodifiableMap(new TreeMap<>(b.properties));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A new source with this configuration; each call builds an independent source. */
    public KafkaSource<InputLine> createSource() {
        KafkaSourceBuilder<InputLine> source = KafkaSource.<InputLine>builder();
        properties.forEach(source::setProperty);
        source.setBootstrapServers(bootstrapServers)
                .setGroupId(groupId)
                .setStartingOffsets(startingOffsets.initializer())
                .setDeserializer(new Utf8ValueDeserializer());
        if (topics != null) {
            source.setTopics(topics);
        } else {
            source.setTopicPattern(topicPattern);
        }
        if (bounded) {
            source.setBounded(OffsetsInitializer.latest());
        }
        return source.build();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The topics read, or {@code null} when a {@link #topicPattern()} selects them. */
    public List<String> topics() {
        return topics;
    }

    /** The pattern selecting the topics read, or {@code null} when {@link #topics()} names them. */
    public Pattern topicPattern() {
        return topicPattern;
    }

    public String groupId() {
        return groupId;
    }

    public StartingOffsets startingOffsets() {
        return startingOffsets;
    }

    /** True when the source stops at the latest offsets of the job's start. */
    public boolean isBounded() {
        return bounded;
    }

    /** The extra consumer properties, sorted by key; values may be secrets, so do not log them. */
    public Map<String, String> properties() {
        return properties;
    }

    /** The configuration with the values of secret-bearing properties replaced by {@code ****}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("KafkaInput{bootstrapServers=").append(bootstrapServers);
        if (topics != null) {
            text.append(", topics=").append(topics);
        } else {
            text.append(", topicPattern=").append(topicPattern.pattern());
        }
        text.append(", groupId=").append(groupId)
                .append(", startingOffsets=").append(startingOffsets)
                .append(bounded ? ", bounded" : ", unbounded")
                .append(", properties={");
        String separator = "";
        for (Map.Entry<String, String> property : properties.entrySet()) {
            text.append(separator).append(property.getKey()).append('=')
                    .append(isSecret(property.getKey()) ? "****" : property.getValue());
            separator = ", ";
        }
        return text.append("}}").toString();
    }

    /**
     * Whether a property's value may be a secret: passwords, JAAS configurations (which embed
     * credentials), client secrets, tokens, and PEM private keys ({@code ssl.keystore.key}).
     */
    static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.contains("token")
                || k.endsWith(".key");
    }

    /** Collects a Kafka input's settings; each setter checks its value, {@link #build()} the whole. */
    public static final class Builder {

        private String bootstrapServers;
        private List<String> topics;
        private Pattern topicPattern;
        private String groupId;
        private StartingOffsets startingOffsets = StartingOffsets.EARLIEST;
        private boolean bounded = true;
        private final Map<String, String> properties = new TreeMap<>();

        private Builder() {}

        /**
         * The brokers to bootstrap from, {@code host:port} entries separated by commas.
         *
         * @throws IllegalArgumentException if blank or an entry is not {@code host:port}
         */
        public Builder bootstrapServers(String servers) {
            if (servers == null || servers.isBlank()) {
                throw new IllegalArgumentException("bootstrapServers must not be blank");
            }
            List<String> entries = new ArrayList<>();
            for (String entry : servers.split(",", -1)) {
                String server = entry.strip();
                var hostPort = HOST_PORT.matcher(server);
                if (!hostPort.matches() || Integer.parseInt(hostPort.group(1)) < 1
                        || Integer.parseInt(hostPort.group(1)) > 65535) {
                    throw new IllegalArgumentException("bootstrapServers entry '" + server
                            + "' must be host:port with a port in 1..65535");
                }
                entries.add(server);
            }
            this.bootstrapServers = String.join(",", entries);
            return this;
        }

        /**
         * The topics to read, by name.
         *
         * @throws IllegalArgumentException if none is given or a name is not a legal Kafka topic name
         */
        public Builder topics(String... names) {
            return topics(names == null ? List.of() : List.of(names));
        }

        /** @see #topics(String...) */
        public Builder topics(List<String> names) {
            if (names == null || names.isEmpty()) {
                throw new IllegalArgumentException("topics must name at least one topic");
            }
            Set<String> distinct = new LinkedHashSet<>();
            for (String name : names) {
                if (name == null || !TOPIC_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("topics entry '" + name
                            + "' is not a legal topic name (1 to 249 of a-z A-Z 0-9 . _ -)");
                }
                distinct.add(name);
            }
            this.topics = List.copyOf(distinct);
            return this;
        }

        /**
         * Reads every topic whose whole name matches {@code regex}, including topics created later
         * (found at {@code partition.discovery.interval.ms} when unbounded).
         *
         * @throws IllegalArgumentException if blank or not a valid regular expression
         */
        public Builder topicPattern(String regex) {
            if (regex == null || regex.isBlank()) {
                throw new IllegalArgumentException("topicPattern must not be blank");
            }
            try {
                this.topicPattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("topicPattern '" + regex
                        + "' is not a valid regular expression: " + e.getDescription(), e);
            }
            return this;
        }

        /**
         * The consumer group; it names the committed offsets read by
         * {@link StartingOffsets#COMMITTED_OR_EARLIEST} and written on checkpoints.
         *
         * @throws IllegalArgumentException if blank
         */
        public Builder groupId(String id) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("groupId must not be blank");
            }
            this.groupId = id.strip();
            return this;
        }

        /** Where each partition starts; {@link StartingOffsets#EARLIEST} unless set. */
        public Builder startingOffsets(StartingOffsets offsets) {
            if (offsets == null) {
                throw new IllegalArgumentException("startingOffsets must not be null");
            }
            this.startingOffsets = offsets;
            return this;
        }

        /** Stops at the latest offsets of the job's start (the default). */
        public Builder bounded() {
            this.bounded = true;
            return this;
        }

        /** Keeps reading new records until the job is stopped. */
        public Builder unbounded() {
            this.bounded = false;
            return this;
        }

        /**
         * An extra Kafka consumer or source property, passed through as it is.
         *
         * @throws IllegalArgumentException if the key is blank or owned by another setter, or the value
         *     is null
         */
        public Builder property(String key, String value) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("property key must not be blank");
            }
            String k = key.strip();
            if (OWNED_PROPERTIES.contains(k)) {
                throw new IllegalArgumentException("property '" + k + "' is set through "
                        + ownerOf(k) + ", not as an extra property");
            }
            if (value == null) {
                throw new IllegalArgumentException("property '" + k + "' must have a value");
            }
            properties.put(k, value);
            return this;
        }

        /** @see #property(String, String) */
        public Builder properties(Map<String, String> extra) {
            if (extra == null) {
                throw new IllegalArgumentException("properties must not be null");
            }
            extra.forEach(this::property);
            return this;
        }

        /**
         * Checks the settings as a whole.
         *
         * @throws IllegalArgumentException if bootstrapServers or groupId is missing, if neither or
         *     both of topics and topicPattern are set, or if a bounded source would start at the latest
         *     offsets and so read nothing
         */
        public KafkaInput build() {
            if (bootstrapServers == null) {
                throw new IllegalArgumentException("bootstrapServers must be set");
            }
            if (topics == null && topicPattern == null) {
                throw new IllegalArgumentException("one of topics or topicPattern must be set");
            }
            if (topics != null && topicPattern != null) {
                throw new IllegalArgumentException("topics and topicPattern are exclusive; set only one");
            }
            if (groupId == null) {
                throw new IllegalArgumentException("groupId must be set");
            }
            if (bounded && startingOffsets == StartingOffsets.LATEST) {
                throw new IllegalArgumentException("startingOffsets=latest with a bounded source reads"
                        + " nothing: start from earliest or committed-or-earliest, or make it unbounded");
            }
            return new KafkaInput(this);
        }

        private static String ownerOf(String key) {
            switch (key) {
                case "bootstrap.servers":
                    return "bootstrapServers";
                case "group.id":
                    return "groupId";
                case "auto.offset.reset":
                    return "startingOffsets";
                default:
                    return "this class (values are decoded as UTF-8 strings)";
            }
        }
    }
}
