package dev.offload.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.support.Api;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A kind declared in the tests alone ({@link TwoPhaseKind}: its workflow, phases, row type, checks, hooks
 * and work, nothing else) runs end to end on the platform: consumed from its own queue, both phases, a
 * client transition that queues a phase, checks, hooks in the transition's transaction, log attributes,
 * its result file, and the engine's lookup rules.
 */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class KindPlatformTest {

    private static final Duration SOON = Duration.ofSeconds(20);

    @Inject
    JobService jobs;

    @Inject
    TwoPhaseKind kind;

    @ConfigProperty(name = "offload.relay.after")
    Duration relayAfter;

    private final String owner = Tokens.newUser();
    private final String token = Tokens.user(owner);

    private String submit(String note) {
        return jobs.submit(kind, new Caller(owner, false), new TwoPhaseKind.Row(note, null),
                        Map.of(RequestAttributes.CLIENT_ADDRESS, "198.51.100.4"))
                .await().atMost(SOON).job().id.toString();
    }

    private static OffsetDateTime at(List<Map<String, Object>> log, String transition) {
        return log.stream().filter(row -> transition.equals(row.get("transition")))
                .map(row -> OffsetDateTime.parse((String) row.get("at"))).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void shouldRunBothPhasesOfAKindDeclaredInTheTestsTheSecondWokenAtOnce() {
        String id = submit("note");
        Api.awaitState(token, id, "done", SOON);

        List<Map<String, Object>> log = Api.transitions(token, id);
        assertEquals(List.of("create", "start", "succeed", "start2", "succeed2"),
                log.stream().map(row -> row.get("transition")).toList());
        // Woken when the first phase ended, not when the relay found the job (offload.relay.after later).
        Duration gap = Duration.between(at(log, "succeed"), at(log, "start2"));
        assertTrue(gap.compareTo(relayAfter) < 0, "second phase started " + gap + " after the first ended");
        assertEquals(Map.of("client_address", "198.51.100.4"), log.get(0).get("attributes"),
                "the submission's log row keeps the workflow's request attributes");

        // Its typed row, written by both phases, and stamped by the hook on entering done in that transaction.
        TwoPhaseKind.Row row = jobs.find(kind, UUID.fromString(id), new Caller(owner, false)).await().atMost(SOON).row();
        assertEquals("note +first +second", row.note());
        assertEquals(at(log, "succeed2").toInstant(), row.doneAt().toInstant());

        Api.job(token, id).statusCode(200)
                .body("last_transition.transition", equalTo("succeed2"))
                .body("last_transition.to_state", equalTo("done"))
                .body("has_result", equalTo(true))
                .body("available_transitions", equalTo(List.of("again")));
        String body = given().header("Authorization", Tokens.bearer(token)).get("/api/v1/jobs/" + id + "/result")
                .then().statusCode(200).header("ETag", containsString("sha256-"))
                .header("Content-Type", containsString("text/plain")).extract().asString();
        assertEquals("note +first", body);
    }

    @Test
    void shouldQueueAPhaseAtOnceWhenAClientTransitionLeadsIntoIt() {
        String id = submit("again");
        Api.awaitState(token, id, "done", SOON);

        given().header("Authorization", Tokens.bearer(token)).header("X-Forwarded-For", "203.0.113.9, 10.0.0.1")
                .post("/api/v1/jobs/" + id + "/again").then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(SOON)
                .until(() -> Api.transitionNames(token, id).stream().filter("succeed2"::equals).count() == 2);

        List<Map<String, Object>> log = Api.transitions(token, id);
        Duration gap = Duration.between(at(log, "again"), at(log, "start2"));
        assertTrue(gap.compareTo(relayAfter) < 0, "phase queued by the client started " + gap + " later");
        Map<String, Object> again = log.stream().filter(r -> "again".equals(r.get("transition"))).findFirst().orElseThrow();
        assertEquals(owner, again.get("actor"));
        assertEquals(Map.of("client_address", "203.0.113.9"), again.get("attributes"));
        assertEquals(null, log.get(2).get("attributes"), "the engine's own transitions carry none");
    }

    @Test
    void shouldRefuseATransitionItsCheckForbidsWithTheReason() {
        String id = submit("final answer");
        Api.awaitState(token, id, "done", SOON);

        Api.job(token, id).statusCode(200).body("available_transitions", not(hasItem("again")));
        given().header("Authorization", Tokens.bearer(token)).post("/api/v1/jobs/" + id + "/again").then()
                .statusCode(409).contentType("application/problem+json")
                .body("reason", equalTo("the note is final"))
                .body("available_transitions", equalTo(List.of()));
    }

    @Test
    void shouldRollATransitionBackWhenItsHookFails() {
        String id = submit(TwoPhaseKind.FAIL_AGAIN);
        Api.awaitState(token, id, "done", SOON);

        given().header("Authorization", Tokens.bearer(token)).post("/api/v1/jobs/" + id + "/again").then()
                .statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("/problems/transition-rolled-back"))
                .body("detail", containsString("the note says no"));
        assertEquals("done", Api.state(token, id));
        assertTrue(!Api.transitionNames(token, id).contains("again"), "no log row for a rolled-back transition");
    }

    @Test
    void shouldAnswerTransitionsFromTheWorkflowAndHideOthersJobs() {
        String id = submit(TwoPhaseKind.FAIL_FIRST);
        Api.awaitState(token, id, "error", SOON);

        given().header("Authorization", Tokens.bearer(token)).post("/api/v1/jobs/" + id + "/again").then()
                .statusCode(409).body("state", equalTo("error")).body("available_transitions", equalTo(List.of()));
        given().header("Authorization", Tokens.bearer(token)).post("/api/v1/jobs/" + id + "/start").then()
                .statusCode(409).body("transition", equalTo("start"));
        given().header("Authorization", Tokens.bearer(token)).get("/api/v1/jobs/" + id + "/result").then()
                .statusCode(409).contentType("application/problem+json");

        String stranger = Tokens.bearer(Tokens.user(Tokens.newUser()));
        given().header("Authorization", stranger).post("/api/v1/jobs/" + id + "/cancel").then().statusCode(404);
        given().header("Authorization", stranger).get("/api/v1/jobs/" + id + "/result").then().statusCode(404);
        given().header("Authorization", stranger).get("/api/v1/jobs/" + id).then().statusCode(404);
    }

    @Test
    void shouldListAKindsJobsWithTheirRowsOwnOnlyPagedByTheEngine() {
        String first = submit("a");
        String second = submit("b");
        var page = jobs.list(kind, new Caller(owner, false), null, new PageRequest(0, 1)).await().atMost(SOON);
        assertEquals(1, page.items().size());
        assertTrue(page.hasMore());
        assertEquals(second, page.items().get(0).job().id.toString(), "newest first");
        var rest = jobs.list(kind, new Caller(owner, false), null, new PageRequest(1, 1)).await().atMost(SOON);
        assertEquals(first, rest.items().get(0).job().id.toString());
        assertTrue(rest.items().get(0).row().note().startsWith("a"));
        assertEquals(0, jobs.list(kind, new Caller("someone-else", false), null, new PageRequest(0, 10))
                .await().atMost(SOON).items().size());
    }
}
