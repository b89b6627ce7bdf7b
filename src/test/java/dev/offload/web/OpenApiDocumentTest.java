package dev.offload.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.support.OpenApiResponses;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document describes the API as it is: each rule walks every operation under {@code /api/}
 * (whatever resource declares it, so new ones are held to the same rules), and lists every breach at once.
 */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class OpenApiDocumentTest {

    private static final Pattern SNAKE_CASE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    /** Java types that say how the server is built, not what a client sends or gets. */
    private static final Set<String> INTERNAL_SCHEMAS = Set.of("JsonNode", "ObjectNode", "ArrayNode", "JsonNodeType",
            "Buffer", "InputStream", "Response", "Multi", "Uni", "StreamingOutput", "File", "Object");
    private static final Set<String> JSON_TYPES = Set.of("application/json", Problem.MEDIA_TYPE);

    private JsonNode document;
    private final List<String> breaches = new ArrayList<>();

    @BeforeEach
    void readDocument() throws Exception {
        document = new ObjectMapper().readTree(given().get("/q/openapi?format=json").then().statusCode(200)
                .extract().asByteArray());
    }

    private void eachOperation(BiConsumer<String, JsonNode> rule) {
        names(document.path("paths")).forEach(path -> {
            if (path.startsWith("/api/")) {
                names(document.path("paths").path(path)).stream()
                        .filter(m -> Set.of("get", "head", "post", "put", "patch", "delete").contains(m))
                        .forEach(method -> rule.accept(method.toUpperCase() + " " + path,
                                document.path("paths").path(path).path(method)));
            }
        });
    }

    private void breach(String where, String what) {
        breaches.add(where + ": " + what);
    }

    private void assertNoBreach() {
        assertTrue(breaches.isEmpty(), breaches.size() + " breaches:\n" + String.join("\n", breaches));
    }

    @Test
    void shouldDocumentASuccessWithItsContentForEveryOperation() {
        eachOperation((op, operation) -> {
            List<String> successes = names(operation.path("responses")).stream().filter(c -> c.startsWith("2")).toList();
            if (successes.isEmpty()) {
                breach(op, "no 2xx response");
            }
            for (String code : successes) {
                JsonNode content = operation.path("responses").path(code).path("content");
                boolean bodiless = op.startsWith("HEAD ") || code.equals("204");
                if (bodiless && !content.isMissingNode()) {
                    breach(op, code + " documents a body it never has");
                }
                if (!bodiless) {
                    if (content.isMissingNode() || content.isEmpty()) {
                        breach(op, code + " has no content");
                    }
                    names(content).forEach(type -> {
                        if (content.path(type).path("schema").isMissingNode()) {
                            breach(op, code + " " + type + " has no schema");
                        }
                    });
                }
            }
        });
        assertNoBreach();
    }

    @Test
    void shouldAnswerSubmitsWith202AndALocation() {
        eachOperation((op, operation) -> {
            JsonNode accepted = operation.path("responses").path("202");
            if (!accepted.isMissingNode() && accepted.path("headers").path("Location").isMissingNode()) {
                breach(op, "202 without its Location header");
            }
            if (op.startsWith("POST ") && operation.path("responses").has("200")
                    && operation.path("requestBody").path("content").has("application/json")) {
                breach(op, "a JSON submit documented as 200 (submits answer 202)");
            }
        });
        assertNoBreach();
    }

    @Test
    void shouldDocumentEveryErrorAsProblemJson() {
        eachOperation((op, operation) -> names(operation.path("responses")).stream()
                .filter(code -> code.startsWith("4") || code.startsWith("5")).forEach(code -> {
                    JsonNode content = operation.path("responses").path(code).path("content");
                    if (!names(content).equals(List.of(Problem.MEDIA_TYPE))) {
                        breach(op, code + " is " + names(content) + ", not only " + Problem.MEDIA_TYPE);
                    } else if (!content.path(Problem.MEDIA_TYPE).path("schema").path("$ref").asText()
                            .equals("#/components/schemas/Problem")) {
                        breach(op, code + " does not refer to the Problem schema");
                    }
                }));
        assertNoBreach();
    }

    @Test
    void shouldDocumentTheErrorsEveryOperationCanAnswer() {
        eachOperation((op, operation) -> {
            Set<String> codes = Set.copyOf(names(operation.path("responses")));
            List<String> expected = new ArrayList<>(List.of("401"));
            if (op.contains("{")) {
                expected.add("404");
            }
            boolean queried = false;
            for (JsonNode parameter : operation.path("parameters")) {
                queried |= parameter.path("in").asText().equals("query");
            }
            if (queried || operation.has("requestBody")) {
                expected.add("400");
            }
            if (operation.path("requestBody").path("content").has("application/json")) {
                expected.addAll(List.of("413", "415"));
            }
            expected.stream().filter(c -> !codes.contains(c)).forEach(c -> breach(op, c + " is not documented"));
        });
        assertNoBreach();
    }

    @Test
    void shouldNamePropertiesAsTheJsonDoes() {
        JsonNode schemas = document.path("components").path("schemas");
        names(schemas).forEach(name -> {
            if (INTERNAL_SCHEMAS.contains(name)) {
                breach("schema " + name, "a server type, not a JSON shape");
            }
            names(schemas.path(name).path("properties")).stream().filter(p -> !SNAKE_CASE.matcher(p).matches())
                    .forEach(p -> breach("schema " + name, "property " + p + " is not snake_case"));
        });
        assertNoBreach();
    }

    @Test
    void shouldDescribeDownloadsAsBinary() {
        eachOperation((op, operation) -> names(operation.path("responses")).forEach(code -> {
            JsonNode content = operation.path("responses").path(code).path("content");
            names(content).stream().filter(type -> !JSON_TYPES.contains(type) && !type.startsWith("text/"))
                    .forEach(type -> {
                        JsonNode schema = content.path(type).path("schema");
                        if (!schema.path("format").asText().equals("binary")) {
                            breach(op, code + " " + type + " is not described as binary: " + schema);
                        }
                    });
        }));
        assertNoBreach();
    }

    @Test
    void shouldMarkWhatMayBeNullAsNullable() {
        // The fields the fuzzers found null: every one is marked (as OpenAPI 3.1 does, with the "null" type).
        Map<String, List<String>> nullable = Map.of(
                "JobResponse", List.of("error", "started_at", "finished_at", "last_transition"),
                "Progress", List.of("total", "percent"),
                "TransitionResponse", List.of("from_state", "extra"),
                "ReportResponse", List.of("status_data", "size", "expires_at"));
        JsonNode schemas = document.path("components").path("schemas");
        nullable.forEach((schema, fields) -> fields.forEach(field -> {
            JsonNode property = schemas.path(schema).path("properties").path(field);
            if (!property.toString().contains("\"null\"")) {
                breach("schema " + schema, field + " is not nullable: " + property);
            }
        }));
        assertNoBreach();
    }

    @Test
    void shouldValidateTheResponsesTheTestsReceive() {
        long before = OpenApiResponses.VALIDATED.get();
        given().header("Authorization", Tokens.bearer(Tokens.user(Tokens.newUser()))).get("/api/v1/jobs").then()
                .statusCode(200);
        assertEquals(before + 1, OpenApiResponses.VALIDATED.get(), "the response went through the validator");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
