package dev.offload.report;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.offload.support.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.Map;

/** The report calls the tests make, through HTTP as a client would. */
final class ReportApi {

    static final Duration SOON = Duration.ofSeconds(30);

    private ReportApi() {
    }

    static ValidatableResponse submit(String token, Object body) {
        return given().header("Authorization", Tokens.bearer(token)).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/reports").then();
    }

    /** Submits a report and returns its id, checking the 202 and its Location. */
    static String report(String token, String type, Map<String, Object> options) {
        var response = submit(token, Map.of("generator_type", type, "generator_options", options)).statusCode(202).extract();
        String id = response.path("id");
        org.junit.jupiter.api.Assertions.assertTrue(response.header("Location").endsWith("/api/v1/reports/" + id),
                "Location names the report: " + response.header("Location"));
        return id;
    }

    static ValidatableResponse get(String token, String id) {
        return given().header("Authorization", Tokens.bearer(token)).when().get("/api/v1/reports/" + id).then();
    }

    static String state(String token, String id) {
        return get(token, id).statusCode(200).extract().path("state");
    }

    static void awaitState(String token, String id, String state) {
        await().atMost(SOON).pollInterval(Duration.ofMillis(50)).until(() -> state.equals(state(token, id)));
    }

    static ExtractableResponse<Response> download(String token, String id) {
        return given().header("Authorization", Tokens.bearer(token)).when().get("/api/v1/reports/" + id + "/download")
                .then().extract();
    }

    static ValidatableResponse cancel(String token, String id) {
        return given().header("Authorization", Tokens.bearer(token)).when().post("/api/v1/reports/" + id + "/cancel").then();
    }
}
