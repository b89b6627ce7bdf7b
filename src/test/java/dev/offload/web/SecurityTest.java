package dev.offload.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.offload.support.Api;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import dev.offload.security.TokenCommand;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bearer JWT on every /api/v1 call; another user's job does not exist for you. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class SecurityTest {

    @Test
    void shouldAnswer401ProblemWithoutAToken() {
        given().when().get("/api/v1/jobs").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"));
    }

    @Test
    void shouldAnswer401ForATokenSignedWithAnotherKey() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = Jwt.issuer(TokenCommand.DEV_ISSUER).subject("mallory").upn("mallory")
                .groups(Set.of("admin")).expiresIn(Duration.ofMinutes(5))
                .sign(generator.generateKeyPair().getPrivate());
        given().header("Authorization", Tokens.bearer(forged)).when().get("/api/v1/jobs").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void shouldAnswer401ForAnExpiredToken() {
        String expired = TokenCommand.sign("late", Set.of(), Duration.ofMinutes(-10));
        given().header("Authorization", Tokens.bearer(expired)).when().get("/api/v1/jobs").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void shouldAnswer401ForGarbage() {
        given().header("Authorization", "Bearer not.a.token").when().get("/api/v1/jobs").then().statusCode(401);
    }

    @Test
    void shouldHideAnotherUsersJobAs404AndShowItToAdmins() {
        String owner = Tokens.newUser();
        String id = Api.canary(Tokens.admin(owner), Map.of());
        String stranger = Tokens.user(Tokens.newUser());

        Api.job(stranger, id).statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
        given().header("Authorization", Tokens.bearer(stranger)).post("/api/v1/jobs/" + id + "/cancel").then()
                .statusCode(404);
        given().header("Authorization", Tokens.bearer(stranger)).get("/api/v1/jobs/" + id + "/transitions").then()
                .statusCode(404);
        Api.job(Tokens.admin(Tokens.newUser()), id).statusCode(200).body("owner", equalTo(owner));
    }

    @Test
    void shouldForbidCanariesToNonAdmins() {
        Api.submitCanary(Tokens.user(Tokens.newUser()), Map.of()).statusCode(403)
                .contentType("application/problem+json").body("status", equalTo(403));
    }

    @Test
    void shouldLeaveHealthAndMetricsOpen() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
    }
}
