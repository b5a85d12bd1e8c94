package io.friendliflink.job.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.rows.Table;
import io.friendliflink.job.rows.TableReader;
import io.friendliflink.job.rows.Template;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.fs.Path;

/**
 * The generate mode before the run: rows read, the template checked against their columns, and one
 * request line per row and sample written for the ordinary pipeline.
 *
 * <p>A sample's custom id is {@code <row id>#<sample>} and its seed {@code generate.seed + sample}: the same
 * on every run over the same rows, so a rerun resumes and reproduces. A template placeholder that names no
 * column fails here, before any request, with the column's name.
 */
public final class GenerationPlan {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final char SAMPLE_SEPARATOR = '#';

    private final GenerateSettings settings;
    private final Table table;
    private final List<String> rowIds;

    private GenerationPlan(GenerateSettings settings, Table table, List<String> rowIds) {
        this.settings = settings;
        this.table = table;
        this.rowIds = rowIds;
    }

    /** Reads the rows, checks the template and writes the request lines to {@code requestFile}. */
    public static GenerationPlan prepare(GenerateSettings settings, Path requestFile) throws IOException {
        Table table = TableReader.read(settings.input());
        Template prompt = settings.prompt() == null ? null : Template.parse(settings.prompt());
        List<Template> contents = new ArrayList<>();
        for (GenerateSettings.Message m : settings.messages()) {
            contents.add(Template.parse(m.content()));
        }
        check(settings, table, prompt, contents);
        List<String> ids = rowIds(settings, table);
        FlinkFiles.write(requestFile, stream -> {
            BufferedWriter out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            for (int r = 0; r < table.size(); r++) {
                Map<String, Object> row = table.rows().get(r);
                ObjectNode base = settings.body() == null ? JSON.createObjectNode() : settings.body().deepCopy();
                if (prompt != null) {
                    base.put("prompt", prompt.render(row));
                } else {
                    ArrayNode messages = base.putArray("messages");
                    for (int m = 0; m < contents.size(); m++) {
                        ObjectNode message = messages.addObject();
                        message.put("role", settings.messages().get(m).role());
                        message.put("content", contents.get(m).render(row));
                    }
                }
                if (settings.responseFormat() != null) {
                    base.set("response_format", settings.responseFormat());
                }
                for (int sample = 0; sample < settings.n(); sample++) {
                    ObjectNode body = base.deepCopy();
                    body.put("seed", settings.seed() + sample);
                    ObjectNode line = JSON.createObjectNode();
                    line.put("custom_id", ids.get(r) + SAMPLE_SEPARATOR + sample);
                    line.put("method", "POST");
                    line.put("url", prompt != null ? "/v1/completions" : "/v1/chat/completions");
                    line.set("body", body);
                    out.write(JSON.writeValueAsString(line));
                    out.write('\n');
                }
            }
            out.flush();
        });
        return new GenerationPlan(settings, table, ids);
    }

    private static void check(GenerateSettings settings, Table table, Template prompt, List<Template> contents) {
        Set<String> named = new LinkedHashSet<>();
        if (prompt != null) {
            named.addAll(prompt.placeholders());
        }
        for (Template t : contents) {
            named.addAll(t.placeholders());
        }
        for (String name : named) {
            if (!table.columns().contains(name)) {
                throw new IllegalArgumentException("the generate template names column \"" + name + "\", which "
                        + table.source() + " does not have; its columns are " + table.columns());
            }
        }
        for (String column : table.columns()) {
            if (GenerateSettings.SAMPLE_COLUMNS.contains(column)) {
                throw new IllegalArgumentException(table.source() + " has a column \"" + column + "\", which the "
                        + "dataset uses for the samples (" + GenerateSettings.SAMPLE_COLUMNS + "); rename it");
            }
        }
        if (settings.idColumn() != null && !table.columns().contains(settings.idColumn())) {
            throw new IllegalArgumentException(table.source() + " has no column \"" + settings.idColumn()
                    + "\" (generate.id-column); its columns are " + table.columns());
        }
        if (table.size() == 0) {
            throw new IllegalArgumentException(table.source() + " holds no rows");
        }
    }

    private static List<String> rowIds(GenerateSettings settings, Table table) {
        List<String> ids = new ArrayList<>(table.size());
        Set<String> seen = new HashSet<>();
        for (int r = 0; r < table.size(); r++) {
            String id = settings.idColumn() == null ? String.format(Locale.ROOT, "r%06d", r + 1)
                    : Template.asText(table.rows().get(r).get(settings.idColumn()));
            if (id.isBlank()) {
                throw new IllegalArgumentException(table.source() + " row " + (r + 1) + ": "
                        + settings.idColumn() + " is empty");
            }
            if (!seen.add(id)) {
                throw new IllegalArgumentException(table.source() + " row " + (r + 1) + ": id \"" + id
                        + "\" is used by an earlier row");
            }
            ids.add(id);
        }
        return ids;
    }

    public GenerateSettings settings() {
        return settings;
    }

    public Table table() {
        return table;
    }

    public List<String> rowIds() {
        return rowIds;
    }

    public int requests() {
        return table.size() * settings.n();
    }
}
