package dev.offload.workflow;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class WorkflowResourceTest {

    private final String token = Tokens.user(Tokens.newUser());

    @Test
    void shouldDescribeEveryWorkflow() {
        given().header("Authorization", Tokens.bearer(token)).get("/api/v1/workflows").then().statusCode(200)
                .body("kind", hasItem("canary"))
                .body("find { it.kind == 'canary' }.initial", equalTo("created"))
                .body("find { it.kind == 'canary' }.final_states", equalTo(java.util.List.of("success", "error", "cancelled")))
                .body("find { it.kind == 'canary' }.transitions.find { it.name == 'cancel' }.from",
                        equalTo(java.util.List.of("created", "running")));
    }

    @Test
    void shouldDrawAWorkflowAsAMermaidStateDiagramWhenAskedFor() {
        given().header("Authorization", Tokens.bearer(token)).accept("text/vnd.mermaid")
                .get("/api/v1/workflows/canary").then().statusCode(200)
                .contentType(containsString("text/vnd.mermaid"))
                .body(containsString("stateDiagram-v2"))
                .body(containsString("running --> cancelled : cancel"));
    }

    @Test
    void shouldAnswer404ForAnUnknownWorkflow() {
        given().header("Authorization", Tokens.bearer(token)).get("/api/v1/workflows/nope").then().statusCode(404)
                .contentType("application/problem+json");
    }
}
