package dev.offload.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The calls the tests make again and again, through HTTP as a client would. */
public final class Api {

    private Api() {
    }

    public static ValidatableResponse submitCanary(String token, Map<String, Object> body) {
        return given().header("Authorization", Tokens.bearer(token)).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/canaries").then();
    }

    /** Submits a canary and returns its id, checking the 202 and its Location. */
    public static String canary(String token, Map<String, Object> body) {
        var response = submitCanary(token, body).statusCode(202).extract();
        String id = response.path("id");
        org.junit.jupiter.api.Assertions.assertTrue(response.header("Location").endsWith("/api/v1/jobs/" + id),
                "Location names the job: " + response.header("Location"));
        return id;
    }

    public static ValidatableResponse job(String token, String id) {
        return given().header("Authorization", Tokens.bearer(token)).when().get("/api/v1/jobs/" + id).then();
    }

    public static String state(String token, String id) {
        return job(token, id).statusCode(200).extract().path("state");
    }

    public static void awaitState(String token, String id, String state, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> state.equals(state(token, id)));
    }

    public static ValidatableResponse cancel(String token, String id) {
        return given().header("Authorization", Tokens.bearer(token)).when().post("/api/v1/jobs/" + id + "/cancel").then();
    }

    public static List<Map<String, Object>> transitions(String token, String id) {
        return given().header("Authorization", Tokens.bearer(token)).when().get("/api/v1/jobs/" + id + "/transitions")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    public static List<String> transitionNames(String token, String id) {
        return transitions(token, id).stream().map(t -> (String) t.get("transition")).toList();
    }
}
