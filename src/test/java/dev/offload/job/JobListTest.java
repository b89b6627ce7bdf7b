package dev.offload.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;

import dev.offload.support.Api;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class JobListTest {

    @Test
    void shouldListTheCallersOwnJobsNewestFirstAndFilterByState() {
        String alice = Tokens.newUser();
        String token = Tokens.admin(alice);
        String ok = Api.canary(token, Map.of());
        String failing = Api.canary(token, Map.of("fail", true));
        Api.awaitState(token, ok, "success", Duration.ofSeconds(20));
        Api.awaitState(token, failing, "error", Duration.ofSeconds(20));
        String userToken = Tokens.user(alice);

        given().header("Authorization", Tokens.bearer(userToken)).get("/api/v1/jobs").then().statusCode(200)
                .body("items.id", equalTo(List.of(failing, ok)))
                .body("items.owner", everyItem(equalTo(alice)))
                .body("has_more", equalTo(false));
        given().header("Authorization", Tokens.bearer(userToken)).queryParam("state", "error").get("/api/v1/jobs")
                .then().statusCode(200).body("items.id", equalTo(List.of(failing)));
        given().header("Authorization", Tokens.bearer(userToken)).queryParam("size", 1).get("/api/v1/jobs")
                .then().statusCode(200).body("items.id", equalTo(List.of(failing))).body("has_more", equalTo(true));
        given().header("Authorization", Tokens.bearer(userToken)).queryParam("size", 1).queryParam("page", 1)
                .get("/api/v1/jobs").then().statusCode(200).body("items.id", equalTo(List.of(ok)));
        given().header("Authorization", Tokens.bearer(Tokens.user(Tokens.newUser()))).get("/api/v1/jobs").then()
                .statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void shouldListEveryonesJobsToAdmins() {
        String a = Tokens.newUser();
        String b = Tokens.newUser();
        String jobA = Api.canary(Tokens.admin(a), Map.of());
        String jobB = Api.canary(Tokens.admin(b), Map.of());
        given().header("Authorization", Tokens.bearer(Tokens.admin(Tokens.newUser()))).queryParam("kind", "canary")
                .queryParam("size", 200).get("/api/v1/jobs").then().statusCode(200)
                .body("items.id", hasItems(jobA, jobB));
    }

    @Test
    void shouldRefuseAPageLargerThanTheLargestNamingIt() {
        given().header("Authorization", Tokens.bearer(Tokens.admin(Tokens.newUser()))).queryParam("size", 1000)
                .get("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("size"))
                .body("detail", org.hamcrest.Matchers.containsString("from 1 to 200"));
    }

    @Test
    void shouldAnswerAPageFarBeyondTheLastWithAnEmptyPageNotAnError() {
        given().header("Authorization", Tokens.bearer(Tokens.user(Tokens.newUser())))
                .queryParam("page", Integer.MAX_VALUE).queryParam("size", 200)
                .get("/api/v1/jobs").then().statusCode(200).body("items.size()", equalTo(0))
                .body("has_more", equalTo(false));
        given().header("Authorization", Tokens.bearer(Tokens.user(Tokens.newUser()))).queryParam("page", "abc")
                .get("/api/v1/jobs").then().statusCode(400).body("errors[0].field", equalTo("page"));
    }

    @Test
    void shouldRejectAPageSizeOutOfRange() {
        given().header("Authorization", Tokens.bearer(Tokens.user(Tokens.newUser()))).queryParam("size", 0)
                .get("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("size"));
    }
}
