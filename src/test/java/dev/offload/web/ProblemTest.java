package dev.offload.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.offload.support.Api;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Bad input gets problem+json naming the field at fault, and creates nothing. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class ProblemTest {

    private final String user = Tokens.newUser();
    private final String admin = Tokens.admin(user);

    private RequestSpecification asAdmin() {
        return given().header("Authorization", Tokens.bearer(admin));
    }

    /** The submitter's own jobs (an admin's listing would show everyone's). */
    private void assertNoJobCreated() {
        given().header("Authorization", Tokens.bearer(Tokens.user(user))).get("/api/v1/jobs").then().statusCode(200)
                .body("items.size()", equalTo(0));
    }

    @Test
    void shouldNameEveryInvalidFieldAndCreateNothing() {
        Api.submitCanary(admin, Map.of("sleep_ms", -1, "progress_steps", 20_000)).statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", org.hamcrest.Matchers.contains("progress_steps", "sleep_ms"))
                .body("detail", not(containsString("Exception")));
        assertNoJobCreated();
    }

    @Test
    void shouldNameAFieldOfTheWrongType() {
        Api.submitCanary(admin, Map.of("sleep_ms", "soon")).statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("sleep_ms"))
                .body("errors[0].message", equalTo("has the wrong type"));
    }

    @Test
    void shouldRejectAnUnknownField() {
        Api.submitCanary(admin, Map.of("sleep_msec", 5)).statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("sleep_msec"))
                .body("errors[0].message", equalTo("is not a known field"));
    }

    @Test
    void shouldRejectABodyThatIsNotJson() {
        asAdmin().contentType(ContentType.JSON).body("{sleep").post("/api/v1/canaries").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("the request body is not valid JSON for this call"));
    }

    @Test
    void shouldRejectAnotherMediaTypeWith415() {
        asAdmin().contentType(ContentType.TEXT).body("{}").post("/api/v1/canaries").then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void shouldRejectAnOversizedBodyWith413() {
        String huge = "{\"sleep_ms\": 1, \"pad\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        asAdmin().contentType(ContentType.JSON).body(huge).post("/api/v1/canaries").then().statusCode(413)
                .contentType("application/problem+json");
        assertNoJobCreated();
    }

    @Test
    void shouldAnswer404ProblemForAnUnknownJob() {
        asAdmin().get("/api/v1/jobs/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void shouldAnswer404ProblemForAJobIdThatIsNotAUuid() {
        asAdmin().get("/api/v1/jobs/not-a-uuid").then().statusCode(404)
                .contentType("application/problem+json");
    }
}
