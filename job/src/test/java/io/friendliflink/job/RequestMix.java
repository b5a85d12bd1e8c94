package io.friendliflink.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An input of the OpenAI Batch format that mixes every kind of request the job must carry, plus lines it
 * must refuse, and remembers what each line should become.
 *
 * <p>Valid requests: chat, chat with log-probabilities (the boolean shape), completions with
 * log-probabilities (the integer shape), streamed chat and completions (with and without usage), chat with
 * a function tool, and tool-assisted chat with a built-in tool. Every body has a seed, so the emulator's
 * answer to it is the same on every send. Bad lines: invalid JSON, no {@code custom_id}, an invalid
 * parameter, and later lines reusing an earlier line's id.
 *
 * @param lines the input, in order
 * @param requests the body of each request that must be sent, by {@code custom_id}, in input order
 * @param paths the endpoint path each request goes to, by {@code custom_id}
 * @param rejectedWithId the error type each refused line with an id must end as, by {@code custom_id}
 * @param linesWithoutId how many lines have no usable id (invalid JSON, missing id)
 * @param duplicates the ids used again by a later line, each once per later line
 * @param duplicateBodies the body of the later line of each id in {@code duplicates} (a chat request)
 */
record RequestMix(
        List<String> lines,
        Map<String, ObjectNode> requests,
        Map<String, String> paths,
        Map<String, String> rejectedWithId,
        int linesWithoutId,
        List<String> duplicates,
        Map<String, ObjectNode> duplicateBodies) {

    static final String MODEL = "meta-llama-3.1-8b-instruct";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TOPICS = {"photosynthesis", "black holes", "TCP congestion control",
        "sourdough bread", "plate tectonics", "jazz harmony", "compound interest", "the water cycle"};

    /** Only valid requests, {@code count} of them, of every kind. */
    static RequestMix valid(int count) {
        return build(count, false);
    }

    /** {@code count} valid requests of every kind, with bad lines and duplicates among them. */
    static RequestMix withBadLines(int count) {
        return build(count, true);
    }

    private static RequestMix build(int count, boolean bad) {
        List<String> lines = new ArrayList<>();
        Map<String, ObjectNode> requests = new LinkedHashMap<>();
        Map<String, String> paths = new LinkedHashMap<>();
        Map<String, String> rejected = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        Map<String, ObjectNode> duplicateBodies = new LinkedHashMap<>();
        int withoutId = 0;
        for (int i = 0; i < count; i++) {
            String id = "req-" + i;
            Request r = request(i);
            requests.put(id, r.body);
            paths.put(id, r.servedPath);
            lines.add(line(id, r.url, r.body));
            if (bad && i % 40 == 7) {
                lines.add("{\"custom_id\": \"broken-" + i + "\", \"url\": \"/v1/chat/completions\", \"body\": {");
                withoutId++;
                lines.add("{\"url\": \"/v1/completions\", \"body\": {\"model\": \"" + MODEL + "\", \"prompt\": \"x\"}}");
                withoutId++;
            }
            if (bad && i % 40 == 19) {
                String invalid = "invalid-" + i;
                ObjectNode body = chat("Say hi.", i);
                body.put("top_p", 1.5);
                lines.add(line(invalid, "/v1/chat/completions", body));
                rejected.put(invalid, "invalid_request");
            }
            if (bad && i % 40 == 33) {
                String earlier = "req-" + (i - 30);
                ObjectNode body = chat("A different question, same id.", i);
                lines.add(line(earlier, "/v1/chat/completions", body));
                duplicates.add(earlier);
                duplicateBodies.put(earlier, body);
            }
        }
        return new RequestMix(List.copyOf(lines), Collections.unmodifiableMap(requests),
                Collections.unmodifiableMap(paths), Collections.unmodifiableMap(rejected), withoutId,
                List.copyOf(duplicates), Collections.unmodifiableMap(duplicateBodies));
    }

    void writeTo(Path file) throws IOException {
        Files.write(file, lines);
    }

    /**
     * The request that was sent for each id, given which line of each repeated id the run refused: the
     * first line's, unless the duplicate error row holds the first line.
     */
    Map<String, Sent> sent(List<org.apache.avro.generic.GenericRecord> duplicateRows) {
        Map<String, Sent> sent = new LinkedHashMap<>();
        requests.forEach((id, body) -> sent.put(id, new Sent(paths.get(id), body)));
        for (org.apache.avro.generic.GenericRecord row : duplicateRows) {
            String id = RunOutput.str(row, "custom_id");
            if (!RunOutput.str(row, "input_line").contains("A different question, same id.")) {
                sent.put(id, new Sent("/serverless/v1/chat/completions", duplicateBodies.get(id)));
            }
        }
        return sent;
    }

    /** A request as sent: the endpoint path and the body. */
    record Sent(String path, ObjectNode body) {}

    /** Ids that must end in exactly one result or error row of a sent request. */
    List<String> requestIds() {
        return List.copyOf(requests.keySet());
    }

    private record Request(String url, String servedPath, ObjectNode body) {}

    private static Request request(int i) {
        String topic = TOPICS[i % TOPICS.length];
        switch (i % 9) {
            case 0: {
                return chatRequest(chat("Explain " + topic + " in two sentences.", i));
            }
            case 1: {
                ObjectNode body = chat("List three keywords about " + topic + ".", i);
                body.put("logprobs", true);
                body.put("top_logprobs", 2);
                return chatRequest(body);
            }
            case 2: {
                ObjectNode body = completion("A short fact about " + topic + ":", i);
                body.put("logprobs", 2);
                return completionRequest(body);
            }
            case 3: {
                ObjectNode body = chat("Describe " + topic + " briefly.", i);
                body.put("logprobs", true);
                body.put("top_logprobs", 1);
                body.put("stream", true);
                body.putObject("stream_options").put("include_usage", true);
                return chatRequest(body);
            }
            case 4: {
                ObjectNode body = completion("One word for " + topic + ":", i);
                body.put("stream", true);
                body.put("logprobs", 1);
                body.putObject("stream_options").put("include_usage", true);
                return completionRequest(body);
            }
            case 5: {
                ObjectNode body = chat("What's the weather in Paris? Use get_weather.", i);
                ObjectNode function = body.putArray("tools").addObject().put("type", "function")
                        .putObject("function");
                function.put("name", "get_weather").put("description", "Current weather for a city");
                ObjectNode params = function.putObject("parameters").put("type", "object");
                params.putObject("properties").putObject("city").put("type", "string");
                params.putArray("required").add("city");
                body.put("tool_choice", "required");
                return chatRequest(body);
            }
            case 6: {
                ObjectNode body = chat("What is " + (i % 13) + " * (3 + " + (i % 7) + ")?", i);
                body.putArray("tools").addObject().put("type", "math:calculator");
                String path = "/serverless/tools/v1/chat/completions";
                return new Request(path, path, body);
            }
            case 7: {
                ObjectNode body = chat("Tell me about " + topic + ".", i);
                body.put("stream", true); // no stream_options: the job asks for usage
                return chatRequest(body);
            }
            default: {
                ObjectNode body = completion("Once upon a time, " + topic, i);
                body.put("n", 2);
                ArrayNode seeds = body.putArray("seed");
                seeds.add(7000 + i).add(8000 + i);
                return completionRequest(body);
            }
        }
    }

    private static Request chatRequest(ObjectNode body) {
        return new Request("/v1/chat/completions", "/serverless/v1/chat/completions", body);
    }

    private static Request completionRequest(ObjectNode body) {
        return new Request("/v1/completions", "/serverless/v1/completions", body);
    }

    private static ObjectNode chat(String question, int i) {
        ObjectNode body = JSON.createObjectNode().put("model", MODEL);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", "You are a concise teacher.");
        messages.addObject().put("role", "user").put("content", question);
        body.put("max_tokens", 8 + i % 17);
        body.put("temperature", 0.7);
        body.put("seed", 1000 + i);
        return body;
    }

    private static ObjectNode completion(String prompt, int i) {
        ObjectNode body = JSON.createObjectNode().put("model", MODEL).put("prompt", prompt);
        body.put("max_tokens", 6 + i % 13);
        body.put("seed", 2000 + i);
        return body;
    }

    private static String line(String id, String url, ObjectNode body) {
        ObjectNode line = JSON.createObjectNode().put("custom_id", id).put("method", "POST").put("url", url);
        line.set("body", body);
        return line.toString();
    }
}
