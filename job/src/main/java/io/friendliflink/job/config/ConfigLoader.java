package io.friendliflink.job.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a YAML configuration file and applies command-line overrides to it.
 *
 * <p>An override is {@code key.path=value}, the value read as a YAML scalar (so {@code 8} is a number
 * and {@code true} a boolean). Secrets are refused on the command line, where shell history and process
 * listings would keep them: a key that names a token, password or secret fails with a message saying to
 * use the environment or a file.
 */
public final class ConfigLoader {
    // A key written twice would otherwise take its last value without a word.
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** A key's last part that holds a secret itself (not where one is: {@code token-env}, {@code token-file}). */
    private static final Pattern SECRET_LEAF = Pattern.compile("token|api-?key|api-?token|password|secret");
    /** Anywhere in a key: Kafka's {@code sasl.jaas.config} and {@code *.password} properties, for instance. */
    private static final Pattern SECRET_ANYWHERE = Pattern.compile(".*(password|secret|jaas).*");

    private ConfigLoader() {}

    /** The configuration tree of {@code file} (or an empty one when {@code null}) with {@code overrides} applied. */
    public static ObjectNode load(Path file, List<String> overrides) {
        ObjectNode root = file == null ? JsonNodeFactory.instance.objectNode() : readFile(file);
        for (String override : overrides) {
            apply(root, override);
        }
        return root;
    }

    private static ObjectNode readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(List.of("configuration file " + file.toAbsolutePath() + " does not exist"));
        }
        JsonNode tree;
        try {
            tree = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(List.of("configuration file " + file + " is not valid YAML: " + e.getMessage()));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!tree.isObject()) {
            throw new ConfigException(List.of("configuration file " + file + " must hold a mapping of keys to values"));
        }
        return (ObjectNode) tree;
    }

    static void apply(ObjectNode root, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException(List.of("override \"" + override + "\" must look like key.path=value"));
        }
        String key = override.substring(0, eq).trim();
        String text = override.substring(eq + 1);
        String leaf = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        if (SECRET_LEAF.matcher(leaf).matches() || SECRET_ANYWHERE.matcher(key.toLowerCase(Locale.ROOT)).matches()) {
            throw new ConfigException(List.of(key + ": secrets are not accepted on the command line; "
                    + "put the token in the environment (endpoint.token-env) or a file (endpoint.token-file)"));
        }
        String[] parts = key.split("\\.");
        ObjectNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = parent.get(parts[i]);
            if (child == null || !child.isObject()) {
                child = parent.putObject(parts[i]);
            }
            parent = (ObjectNode) child;
        }
        parent.set(parts[parts.length - 1], scalar(text));
    }

    private static JsonNode scalar(String text) {
        if (text.isEmpty()) {
            return JsonNodeFactory.instance.textNode("");
        }
        try {
            JsonNode parsed = YAML.readTree(text);
            if (parsed != null && (parsed.isValueNode() || parsed.isArray())) {
                return parsed;
            }
        } catch (IOException e) {
            // Not YAML: the text itself is the value.
        }
        return JsonNodeFactory.instance.textNode(text);
    }
}
