package io.reefline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The project's own hostile client: walks every operation of a service's OpenAPI document and sends it bad input
 * (malformed JSON, trailing tokens, empty bodies, for each body property a value of another JSON type, NUL
 * characters, infinite numbers, oversized fields and bodies, bad path and query values), with a token that holds
 * every role. It collects every answer that is a 5xx, a 4xx without {@code application/problem+json}, a problem
 * that echoes a large part of the request, or a refused write after which the service's lists read differently.
 *
 * <p>OFREP operations ({@code /ofrep/}) answer their protocol's own JSON errors ({@code errorCode}) and are
 * checked for that shape instead.
 */
public final class BadInputWalk {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int OVERSIZED = 2 * 1024 * 1024;
    /** A 4xx answer longer than this quotes the request back. */
    private static final int MAX_ANSWER = 8 * 1024;

    private final int port;
    private final String token;
    private final List<String> findings = new ArrayList<>();
    private final Map<String, Integer> statuses = new TreeMap<>();
    private int operations;
    private int requests;
    private int accepted;

    private BadInputWalk(int port, String token) {
        this.port = port;
        this.token = token;
    }

    /** The outcome of a walk: what was sent and what was wrong. */
    public record Report(
            String service,
            int operations,
            int requests,
            int accepted,
            Map<String, Integer> statuses,
            List<String> findings) {

        /** One line to quote, e.g. {@code flag-service: 31 operations, 1,204 requests, answers {4xx=...}}. */
        public String summary() {
            return String.format(
                    "%s: %d operations walked, %d requests sent, %d accepted (2xx/3xx), answers by status %s, %d findings",
                    service, operations, requests, accepted, statuses, findings.size());
        }
    }

    /** Walks the service listening on {@code port}. */
    public static Report walk(String service, int port) {
        BadInputWalk walk =
                new BadInputWalk(port, TestTokens.token("bad-input-walker", "viewer", "operator", "admin", "service"));
        walk.run();
        Report report = new Report(
                service, walk.operations, walk.requests, walk.accepted, walk.statuses, List.copyOf(walk.findings));
        System.out.println("[bad-input walk] " + report.summary());
        report.findings().forEach(f -> System.out.println("[bad-input walk]   " + f));
        return report;
    }

    private void run() {
        RawHttp.Answer document = RawHttp.send(port, "GET", "/q/openapi?format=json", Map.of(), null);
        JsonNode openapi;
        try {
            openapi = JSON.readTree(document.body());
        } catch (Exception e) {
            throw new IllegalStateException("No OpenAPI document: " + document.status(), e);
        }
        List<String> lists = stableLists(openapi);
        for (Iterator<Map.Entry<String, JsonNode>> paths = openapi.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase();
                if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                operations++;
                walkOperation(openapi, method, path.getKey(), op.getValue(), lists);
            }
        }
    }

    private void walkOperation(JsonNode openapi, String method, String template, JsonNode op, List<String> lists) {
        boolean write = !method.equals("GET");
        Map<String, String> before = write ? read(lists) : Map.of();
        int acceptedBefore = accepted;
        List<JsonNode> parameters = new ArrayList<>();
        op.path("parameters").forEach(parameters::add);
        Map<String, String> pathValues = new LinkedHashMap<>();
        Map<String, String> queryValues = new LinkedHashMap<>();
        for (JsonNode parameter : parameters) {
            JsonNode schema = resolve(openapi, parameter.path("schema"));
            String sample = isInteger(schema) ? "1" : "walker-probe";
            if ("path".equals(parameter.path("in").asText())) {
                pathValues.put(parameter.path("name").asText(), sample);
            }
        }
        String label = method + " " + template;
        JsonNode body =
                op.path("requestBody").path("content").path("application/json").path("schema");
        boolean jsonBody = !body.isMissingNode();
        byte[] validBody =
                jsonBody ? bytes(sample(openapi, resolve(openapi, body), 0).toString()) : null;

        // Bad path values
        for (String name : pathValues.keySet()) {
            JsonNode schema = schemaOf(openapi, parameters, name);
            List<String> bad = new ArrayList<>(List.of("%00", "x%00y", "%zz", "a%2", "a".repeat(5000)));
            if (isInteger(schema)) {
                bad.addAll(List.of("abc", "1.5", "99999999999999999999", "-1"));
            }
            for (String value : bad) {
                Map<String, String> values = new LinkedHashMap<>(pathValues);
                values.put(name, value);
                send(label + " path " + name + "=" + shorten(value), method, target(template, values, null), validBody);
            }
        }
        // Bad query values
        for (JsonNode parameter : parameters) {
            if (!"query".equals(parameter.path("in").asText())) {
                continue;
            }
            String name = parameter.path("name").asText();
            JsonNode schema = resolve(openapi, parameter.path("schema"));
            List<String> bad = new ArrayList<>(List.of("%00", "a%00b", "%zz", "x".repeat(5000)));
            if (isInteger(schema)) {
                bad.addAll(List.of("abc", "1.5", "-1", "4294968", "99999999999999999999", "1e3"));
            } else if ("boolean".equals(schema.path("type").asText())) {
                bad.addAll(List.of("maybe", "2"));
            }
            for (String value : bad) {
                send(
                        label + " query " + name + "=" + shorten(value),
                        method,
                        target(template, pathValues, name + "=" + value),
                        validBody);
            }
        }
        if (parameters.stream().anyMatch(p -> p.path("name").asText().equals("page"))) {
            send(label + " page overflow", method, target(template, pathValues, "page=4294968&size=500"), validBody);
            send(
                    label + " page overflow",
                    method,
                    target(template, pathValues, "page=2147483647&size=2147483647"),
                    validBody);
        }
        // Bad bodies
        if (jsonBody) {
            String target = target(template, pathValues, null);
            for (String raw : List.of("", "{\"a\":", "{} }}x", "null", "[]", "\"text\"", "{\"a\":1} {}")) {
                send(label + " body " + shorten(raw), method, target, bytes(raw));
            }
            JsonNode schema = resolve(openapi, body);
            if (schema.path("properties").isObject()) {
                ObjectNode base = (ObjectNode) sample(openapi, schema, 0);
                for (Iterator<Map.Entry<String, JsonNode>> props =
                                schema.path("properties").fields();
                        props.hasNext(); ) {
                    Map.Entry<String, JsonNode> prop = props.next();
                    JsonNode propSchema = resolve(openapi, prop.getValue());
                    for (JsonNode wrong : wrongValues(propSchema)) {
                        ObjectNode variant = base.deepCopy();
                        variant.set(prop.getKey(), wrong);
                        send(
                                label + " body " + prop.getKey() + "=" + shorten(wrong.toString()),
                                method,
                                target,
                                bytes(variant.toString()));
                    }
                }
                String oversizedField = schema.path("properties").fieldNames().hasNext()
                        ? schema.path("properties").fieldNames().next()
                        : "x";
                ObjectNode big = base.deepCopy();
                big.put(oversizedField, "n".repeat(OVERSIZED));
                send(label + " body " + oversizedField + "=<2 MB>", method, target, bytes(big.toString()));
            }
            byte[] huge = new byte[OVERSIZED + 10];
            java.util.Arrays.fill(huge, (byte) ' ');
            huge[0] = '[';
            huge[huge.length - 1] = ']';
            send(label + " body <2 MB>", method, target, huge);
        }
        if (write && accepted == acceptedBefore) {
            Map<String, String> after = read(lists);
            if (!after.equals(before)) {
                findings.add(label + ": refused writes changed what " + changed(before, after) + " answers");
            }
        }
    }

    private static List<JsonNode> wrongValues(JsonNode schema) {
        String type = schema.path("type").asText();
        List<JsonNode> wrong = new ArrayList<>();
        switch (type) {
            case "string" -> {
                wrong.add(NODES.numberNode(42));
                wrong.add(NODES.booleanNode(true));
                wrong.add(NODES.objectNode());
                wrong.add(NODES.textNode("a\u0000b"));
                if (schema.has("format") || schema.has("enum")) {
                    wrong.add(NODES.numberNode(1767225600L));
                }
            }
            case "integer" -> {
                wrong.add(NODES.textNode("1"));
                wrong.add(NODES.numberNode(1.5));
                wrong.add(NODES.booleanNode(true));
                wrong.add(NODES.numberNode(new java.math.BigInteger("99999999999999999999999")));
            }
            case "number" -> {
                wrong.add(NODES.textNode("1"));
                wrong.add(NODES.booleanNode(false));
                wrong.add(NODES.rawValueNode(new com.fasterxml.jackson.databind.util.RawValue("1e309")));
            }
            case "boolean" -> {
                wrong.add(NODES.numberNode(1));
                wrong.add(NODES.textNode("true"));
            }
            case "array" -> {
                wrong.add(NODES.objectNode());
                wrong.add(NODES.textNode("x"));
            }
            case "object" -> {
                wrong.add(NODES.textNode("x"));
                wrong.add(NODES.numberNode(7));
            }
            default -> wrong.add(NODES.textNode("a\u0000b"));
        }
        return wrong;
    }

    private static JsonNode sample(JsonNode openapi, JsonNode schema, int depth) {
        if (schema.has("enum") && schema.path("enum").size() > 0) {
            return schema.path("enum").get(0);
        }
        String type = schema.path("type").asText();
        if (depth > 4) {
            return NODES.nullNode();
        }
        switch (type) {
            case "string":
                return switch (schema.path("format").asText()) {
                    case "date-time" -> NODES.textNode("2026-01-05T10:00:00Z");
                    case "duration" -> NODES.textNode("PT1H");
                    case "date" -> NODES.textNode("2026-01-05");
                    default -> NODES.textNode("probe");
                };
            case "integer":
                return NODES.numberNode(1);
            case "number":
                return NODES.numberNode(1);
            case "boolean":
                return NODES.booleanNode(true);
            case "array":
                return NODES.arrayNode();
            default:
                ObjectNode object = NODES.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> props =
                                schema.path("properties").fields();
                        props.hasNext(); ) {
                    Map.Entry<String, JsonNode> prop = props.next();
                    object.set(prop.getKey(), sample(openapi, resolve(openapi, prop.getValue()), depth + 1));
                }
                return object;
        }
    }

    private static JsonNode resolve(JsonNode openapi, JsonNode schema) {
        for (int i = 0; i < 10 && schema.has("$ref"); i++) {
            String ref = schema.path("$ref").asText();
            schema = openapi.at(ref.substring(1));
        }
        if (schema.has("allOf") && schema.path("allOf").size() == 1) {
            return resolve(openapi, schema.path("allOf").get(0));
        }
        return schema;
    }

    private static JsonNode schemaOf(JsonNode openapi, List<JsonNode> parameters, String name) {
        return parameters.stream()
                .filter(p -> p.path("name").asText().equals(name))
                .findFirst()
                .map(p -> resolve(openapi, p.path("schema")))
                .orElse(NODES.objectNode());
    }

    private static boolean isInteger(JsonNode schema) {
        return "integer".equals(schema.path("type").asText());
    }

    private static String target(String template, Map<String, String> pathValues, String query) {
        String path = template;
        for (Map.Entry<String, String> value : pathValues.entrySet()) {
            path = path.replace("{" + value.getKey() + "}", value.getValue());
        }
        return query == null ? path : path + "?" + query;
    }

    private void send(String label, String method, String target, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", TestTokens.bearer(token));
        headers.put("Accept", "application/json");
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        boolean sendsBody = body != null && !method.equals("GET") && !method.equals("DELETE");
        RawHttp.Answer answer = RawHttp.send(port, method, target, headers, sendsBody ? body : null);
        requests++;
        int status = answer.status();
        statuses.merge(status / 100 + "xx", 1, Integer::sum);
        if (status < 400) {
            accepted++;
            return;
        }
        String where = label + " -> " + status;
        if (status >= 500) {
            findings.add(where + " " + shorten(answer.body()));
        } else if (target.startsWith("/ofrep/")) {
            if (!answer.contentType().startsWith("application/json") && !answer.isProblem()) {
                findings.add(where + " without a JSON body (" + answer.contentType() + ")");
            }
        } else if (!answer.isProblem()) {
            findings.add(where + " is not application/problem+json (" + answer.contentType() + ")");
        }
        if (answer.body().length() > MAX_ANSWER) {
            findings.add(where + " echoes the request: a " + answer.body().length() + "-character answer");
        }
    }

    /**
     * The parameterless GET operations under /api whose answers do not change by themselves. The outbox is left out:
     * it is a delivery queue that the relay drains in the background at any moment.
     */
    private List<String> stableLists(JsonNode openapi) {
        List<String> lists = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openapi.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (path.getKey().startsWith("/api/")
                    && !path.getKey().contains("{")
                    && !path.getKey().equals("/api/outbox")
                    && path.getValue().has("get")) {
                lists.add(path.getKey());
            }
        }
        Map<String, String> first = read(lists);
        Map<String, String> second = read(lists);
        lists.removeIf(list -> !first.get(list).equals(second.get(list)));
        return lists;
    }

    private Map<String, String> read(List<String> lists) {
        Map<String, String> answers = new TreeMap<>();
        for (String list : lists) {
            RawHttp.Answer answer = RawHttp.send(
                    port,
                    "GET",
                    list,
                    Map.of("Authorization", TestTokens.bearer(token), "Accept", "application/json"),
                    null);
            answers.put(list, answer.status() + " " + answer.body());
        }
        return answers;
    }

    private static String changed(Map<String, String> before, Map<String, String> after) {
        return before.keySet().stream()
                .filter(k -> !before.get(k).equals(after.get(k)))
                .toList()
                .toString();
    }

    private static String shorten(String text) {
        String oneLine = text.replace("\0", "\\0").replace("\n", " ");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 60) + "…(" + oneLine.length() + ")";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
