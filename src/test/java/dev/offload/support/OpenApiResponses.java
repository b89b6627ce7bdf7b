package dev.offload.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Holds every response a test receives through REST-assured to the OpenAPI document the same service serves
 * ({@code /q/openapi}): its status must be documented for the operation, its content type among the
 * operation's media types (or no body where none is documented), and a JSON body must validate against the
 * operation's schema (JSON Schema 2020-12, the dialect of OpenAPI 3.1). Installed for every {@code @QuarkusTest}
 * by {@link OpenApiResponsesInstaller}; a response that breaks the document fails the test that received it.
 * Only {@code /api/} is checked (health, metrics and the document itself are Quarkus's).
 */
public final class OpenApiResponses implements Filter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<String, Optional<JsonNode>> DOCUMENTS = new ConcurrentHashMap<>();
    private static final Map<String, JsonSchema> COMPILED = new ConcurrentHashMap<>();
    /** How many responses were checked against a schema, for the tests that prove the filter runs. */
    public static final AtomicLong VALIDATED = new AtomicLong();

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
            FilterContext context) {
        Response response = context.next(request, responseSpec);
        URI uri = URI.create(request.getURI());
        if (!uri.getPath().startsWith("/api/")) {
            return response;
        }
        String base = uri.getScheme() + "://" + uri.getAuthority();
        DOCUMENTS.computeIfAbsent(base, OpenApiResponses::fetch).ifPresent(document -> {
            String problem = check(document, base, request.getMethod(), uri.getPath(), response);
            if (problem != null) {
                throw new AssertionError("the response breaks the OpenAPI document: " + request.getMethod() + " "
                        + uri.getPath() + " answered " + response.statusCode() + " " + response.contentType()
                        + ": " + problem + "\nbody: " + abbreviate(response));
            }
        });
        return response;
    }

    /** Why the response does not match the document, or null. */
    public static String check(JsonNode document, String base, String method, String path, Response response) {
        Optional<String> template = template(document, path);
        if (template.isEmpty()) {
            return null; // no such path: a 404 from the router, nothing documented to hold it to
        }
        String pointer = "/paths/" + escape(template.get()) + "/" + method.toLowerCase();
        JsonNode operation = document.at(pointer);
        if (operation.isMissingNode()) {
            return response.statusCode() == 405 ? null : "the operation is not in the document";
        }
        String code = String.valueOf(response.statusCode());
        JsonNode documented = operation.path("responses").path(code);
        if (documented.isMissingNode()) {
            documented = operation.path("responses").path("default");
            code = "default";
        }
        if (documented.isMissingNode()) {
            return "status " + response.statusCode() + " is not documented (documented: "
                    + fieldNames(operation.path("responses")) + ")";
        }
        JsonNode content = documented.path("content");
        String contentType = baseType(response.contentType());
        if (content.isMissingNode() || content.isEmpty()) {
            boolean empty = method.equalsIgnoreCase("HEAD") || response.asByteArray().length == 0;
            return empty ? null : "a body where the document has none";
        }
        if (method.equalsIgnoreCase("HEAD")) {
            return null;
        }
        String mediaType = null;
        for (String candidate : fieldNames(content)) {
            if (matches(candidate, contentType)) {
                mediaType = candidate;
                break;
            }
        }
        if (mediaType == null) {
            return "content type " + contentType + " is not documented (documented: " + fieldNames(content) + ")";
        }
        JsonNode schema = content.path(mediaType).path("schema");
        if (schema.isMissingNode() || schema.isEmpty()) {
            return "the documented media type " + mediaType + " has no schema";
        }
        if (!(contentType.equals("application/json") || contentType.endsWith("+json"))
                || "binary".equals(schema.path("format").asText())) {
            return null; // binary or text (a downloaded file may well be JSON): nothing to parse
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.asByteArray());
        } catch (Exception e) {
            return "the body is not JSON: " + e.getMessage();
        }
        String schemaPointer = pointer + "/responses/" + code + "/content/" + escape(mediaType) + "/schema";
        JsonSchema compiled = COMPILED.computeIfAbsent(base + schemaPointer, k -> compile(document, schema));
        Set<ValidationMessage> errors = compiled.validate(body);
        VALIDATED.incrementAndGet();
        return errors.isEmpty() ? null
                : errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "));
    }

    /** The schema with the document's components beside it, so its {@code #/components/...} references resolve. */
    private static JsonSchema compile(JsonNode document, JsonNode schema) {
        ObjectNode root = schema.deepCopy();
        root.set("components", document.path("components"));
        return SCHEMAS.getSchema(root);
    }

    /** The path template that matches: literal segments before parameters ({@code /jobs/{id}/events}). */
    static Optional<String> template(JsonNode document, String path) {
        return fieldNames(document.path("paths")).stream()
                .filter(t -> Pattern.compile(t.replaceAll("\\{[^/]+}", "[^/]+")).matcher(path).matches())
                .min(Comparator.comparingLong(t -> t.chars().filter(c -> c == '{').count()));
    }

    private static boolean matches(String documented, String actual) {
        if (documented.equals("*/*") || documented.equals(actual)) {
            return true;
        }
        return documented.endsWith("/*") && actual.startsWith(documented.substring(0, documented.length() - 1));
    }

    private static String baseType(String contentType) {
        return contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase();
    }

    private static java.util.List<String> fieldNames(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    private static String escape(String pointerSegment) {
        return pointerSegment.replace("~", "~0").replace("/", "~1");
    }

    private static String abbreviate(Response response) {
        String body = response.asString();
        return body.length() > 2000 ? body.substring(0, 2000) + "…" : body;
    }

    /** The document the service at {@code base} serves; empty where it serves none. */
    private static Optional<JsonNode> fetch(String base) {
        try {
            HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(base + "/q/openapi?format=json")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return answer.statusCode() == 200 ? Optional.of(JSON.readTree(answer.body())) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
