package io.friendliflink.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.api.ApiKind;
import io.friendliflink.api.request.CheckedRequest;
import io.friendliflink.api.request.InvalidRequestException;
import io.friendliflink.api.request.RequestCheck;
import io.friendliflink.client.PreparedRequest;
import io.friendliflink.datastream.RequestMapper;
import io.friendliflink.sql.FriendliModelOptions.Task;
import java.util.Map;
import org.apache.flink.table.data.RowData;

/**
 * Makes a row's request: the model's default body fields ({@code body.*} options), the row's own body fields
 * (its {@code body} column) over them, then the row's text as the prompt or the user message. The body goes
 * through the same checks as a request line of the job ({@link RequestCheck}), so a row the API would refuse
 * ends as {@code invalid_request} without being sent.
 */
final class RowRequests implements RequestMapper<RowData> {
    private static final long serialVersionUID = 1L;
    /** Refuses trailing text, so that {@code 'true story'} is a string, not {@code true}. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Task task;
    private final String model;
    private final String systemPrompt;
    /** The {@code body.*} options as one JSON object: a string travels in the job graph, a tree does not. */
    private final String defaultBody;
    private final InputColumns input;
    private transient ObjectNode defaults;

    RowRequests(Task task, String model, String systemPrompt, Map<String, String> bodyOptions, InputColumns input) {
        this.task = task;
        this.model = model;
        this.systemPrompt = systemPrompt;
        this.defaultBody = defaultBody(bodyOptions).toString();
        this.input = input;
    }

    /**
     * The options' body fields as JSON: a value that reads as JSON is taken as such ({@code 0.2}, {@code true},
     * {@code {"type": "json_object"}}), any other as a string ({@code body.stop = END}).
     */
    static ObjectNode defaultBody(Map<String, String> bodyOptions) {
        ObjectNode body = JSON.createObjectNode();
        bodyOptions.forEach((field, value) -> {
            JsonNode node;
            try {
                node = JSON.readTree(value);
            } catch (JsonProcessingException notJson) {
                node = null;
            }
            body.set(field, node == null || node.isMissingNode() ? JSON.getNodeFactory().textNode(value) : node);
        });
        return body;
    }

    ApiKind kind() {
        return switch (task) {
            case CHAT -> ApiKind.CHAT_COMPLETIONS;
            case COMPLETIONS -> ApiKind.COMPLETIONS;
            case TOOL_ASSISTED_CHAT -> ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS;
        };
    }

    @Override
    public PreparedRequest toRequest(RowData row) throws Exception {
        if (row.isNullAt(InputColumns.TEXT)) {
            throw new IllegalArgumentException("the input text is null");
        }
        ObjectNode body = body(row.getString(InputColumns.TEXT).toString(),
                input.system() < 0 || row.isNullAt(input.system()) ? null : row.getString(input.system()).toString(),
                input.body() < 0 || row.isNullAt(input.body()) ? null : row.getString(input.body()).toString());
        CheckedRequest checked = RequestCheck.check(kind(), body);
        if (!checked.isValid()) {
            throw new InvalidRequestException(checked.violations());
        }
        return PreparedRequest.ofChecked(checked, null);
    }

    /** The request body for one row's values; {@code rowBody} is its JSON object of body fields, or null. */
    ObjectNode body(String text, String rowSystemPrompt, String rowBody) throws JsonProcessingException {
        if (defaults == null) {
            defaults = (ObjectNode) JSON.readTree(defaultBody);
        }
        ObjectNode body = defaults.deepCopy();
        body.put("model", model);
        if (rowBody != null && !rowBody.isBlank()) {
            JsonNode fields = JSON.readTree(rowBody);
            if (!(fields instanceof ObjectNode object)) {
                throw new IllegalArgumentException("the body column must be a JSON object, was: "
                        + abbreviate(rowBody));
            }
            body.setAll(object);
        }
        if (task == Task.COMPLETIONS) {
            body.put("prompt", text);
        } else {
            ArrayNode messages = body.putArray("messages");
            String system = rowSystemPrompt != null ? rowSystemPrompt : systemPrompt;
            if (system != null) {
                messages.addObject().put("role", "system").put("content", system);
            }
            messages.addObject().put("role", "user").put("content", text);
        }
        return body;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
