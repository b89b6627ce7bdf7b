package dev.offload.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.offload.support.ServicesResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/openapi.json} is the document the service serves, byte for byte once parsed: the client that the
 * build generates from it (ApiClientTourTest) is therefore a client of the served API, and the linter in
 * {@code bin/test} lints what clients get. After a change to the API, {@code mvn test -Dtest=OpenApiSnapshotTest
 * -Dopenapi.snapshot.write=true} writes the new document; review it as part of the change.
 */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class OpenApiSnapshotTest {

    static final Path SNAPSHOT = Path.of("docs/openapi.json");
    /** Served by the tests' own kinds (src/test), not by the jar. */
    static final java.util.Set<String> TEST_ONLY_PATHS = java.util.Set.of("/api/v1/line-counts");

    @Test
    void shouldKeepTheCommittedDocumentEqualToTheServedOne() throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        JsonNode served = withoutTestKinds((com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                given().get("/q/openapi?format=json").then().statusCode(200).extract().asByteArray()));
        if (Boolean.getBoolean("openapi.snapshot.write")) {
            Files.writeString(SNAPSHOT, json.writeValueAsString(served) + "\n");
        }
        JsonNode committed = Files.exists(SNAPSHOT) ? json.readTree(SNAPSHOT.toFile()) : null;
        assertEquals(served, committed, SNAPSHOT + " is not the served document: run mvn test "
                + "-Dtest=OpenApiSnapshotTest -Dopenapi.snapshot.write=true, and review the difference");
    }

    /** The document less the test kinds' paths and the schemas only they used: what the jar serves. */
    private static JsonNode withoutTestKinds(com.fasterxml.jackson.databind.node.ObjectNode document) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) document.path("paths")).remove(TEST_ONLY_PATHS);
        com.fasterxml.jackson.databind.node.ObjectNode schemas =
                (com.fasterxml.jackson.databind.node.ObjectNode) document.path("components").path("schemas");
        boolean removed = true;
        while (removed) {
            removed = false;
            String text = document.toString();
            for (java.util.Iterator<String> it = schemas.fieldNames(); it.hasNext();) {
                String name = it.next();
                if (!text.contains("\"#/components/schemas/" + name + "\"")) {
                    it.remove();
                    removed = true;
                }
            }
        }
        return document;
    }
}
