package dev.offload.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.security.TokenCommand;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What a JSON client found at the edges of the protocol (issue #22): each case failed before its fix. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class ClientProtocolTest {

    private final String user = Tokens.newUser();

    private RequestSpecification asAdmin() {
        return given().header("Authorization", Tokens.bearer(Tokens.admin(user)));
    }

    private void assertNoJobCreated() {
        given().header("Authorization", Tokens.bearer(Tokens.user(user))).get("/api/v1/jobs").then().statusCode(200)
                .body("items.size()", equalTo(0));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"sleep_ms\": 1.5}", "{\"sleep_ms\": \"100\"}", "{\"sleep_ms\": true}",
            "{\"fail\": 10}", "{\"fail\": \"true\"}", "{\"progress_steps\": 2.0}" })
    void shouldRefuseAValueOfAnotherJsonTypeNamingTheField(String body) {
        String field = body.substring(2, body.indexOf('"', 2));
        asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/canaries").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo(field))
                .body("errors[0].message", equalTo("has the wrong type"));
        assertNoJobCreated();
    }

    @Test
    void shouldRefuseAStringFieldGivenANumber() {
        asAdmin().contentType(ContentType.JSON).body("{\"generator_type\": 5}").post("/api/v1/reports").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("generator_type"));
        assertNoJobCreated();
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"sleep_ms\": null}", "{\"fail\": null}" })
    void shouldRefuseNullForAField(String body) {
        String field = body.substring(2, body.indexOf('"', 2));
        asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/canaries").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo(field))
                .body("errors[0].message", containsString("must not be null"));
        assertNoJobCreated();
    }

    @Test
    void shouldNameANestedNull() {
        asAdmin().contentType(ContentType.JSON)
                .body("{\"generator_type\": \"jobs-detail\", \"generator_options\": {\"from\": null}}")
                .post("/api/v1/reports").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("generator_options.from"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "null", "  null\n" })
    void shouldRefuseANullBody(String body) {
        asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/canaries").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("the request body is null"));
        assertNoJobCreated();
    }

    @Test
    void shouldTakeAnEmptyBodyForAllDefaults() {
        asAdmin().contentType(ContentType.JSON).post("/api/v1/canaries").then().statusCode(202)
                .body("state", equalTo("created"));
    }

    @Test
    void shouldAnswerAChunkedBodyOverTheLimitWithProblemJson() throws Exception {
        byte[] body = ("{\"sleep_ms\": 1, \"pad\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                        + "/api/v1/canaries"))
                .header("Authorization", Tokens.bearer(Tokens.admin(user)))
                .header("Content-Type", "application/json")
                // an unknown length: the body goes chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode(), response.body());
        assertEquals(Problem.MEDIA_TYPE, response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.body().contains("\"status\":413"), response.body());
        assertNoJobCreated();
    }

    @Test
    void shouldAnswer404BeforeTheEventStreamOfAnUnknownJob() {
        given().header("Authorization", Tokens.bearer(Tokens.user(user)))
                .get("/api/v1/jobs/" + UUID.randomUUID() + "/events").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void shouldAnswer404BeforeTheEventStreamOfAnotherUsersJob() {
        String id = asAdmin().contentType(ContentType.JSON).body("{\"sleep_ms\": 60000}").post("/api/v1/canaries")
                .then().statusCode(202).extract().path("id");
        given().header("Authorization", Tokens.bearer(Tokens.user(Tokens.newUser())))
                .get("/api/v1/jobs/" + id + "/events").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
        asAdmin().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void shouldRefuseATokenExpiredLongerThanTheClockSkew() {
        // The default skew is 5 s (OFFLOAD_JWT_CLOCK_SKEW); the verifier's own default would accept 60 s.
        String expired = TokenCommand.sign(user, Set.of(), Duration.ofSeconds(-20));
        given().header("Authorization", Tokens.bearer(expired)).get("/api/v1/jobs").then().statusCode(401)
                .contentType(Problem.MEDIA_TYPE);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/api/v1/jobs", "/api/v1/reports", "/api/v1/files", "/api/v1/archives",
            "/api/v1/statistics" })
    void shouldRefusePagingThatIsNotAWholeNumberInRangeNamingIt(String list) {
        var admin = asAdmin();
        admin.get(list + "?page=abc").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("page"));
        asAdmin().get(list + "?size=true").then().statusCode(400).body("errors[0].field", equalTo("size"));
        asAdmin().get(list + "?size=1000").then().statusCode(400).body("errors[0].field", equalTo("size"))
                .body("errors[0].message", containsString("200"));
        asAdmin().get(list + "?page=2147483647&size=200").then().statusCode(200)
                .body("items.size()", equalTo(0)).body("has_more", equalTo(false));
    }

    @Test
    void shouldRefuseAFlagThatIsNotABoolean() {
        asAdmin().get("/api/v1/statistics/latest?nested=yes").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("errors[0].field", equalTo("nested"));
    }

    @Test
    void shouldShowTheBrokerConnectionAsAGauge() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("offload_broker_connected 1.0"));
    }
}
