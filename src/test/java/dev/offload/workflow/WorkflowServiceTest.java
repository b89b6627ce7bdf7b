package dev.offload.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.offload.canary.CanaryKind;
import dev.offload.support.Api;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Both ways of applying a transition are compare-and-set: of two racing writers exactly one wins. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class WorkflowServiceTest {

    @Inject
    WorkflowService workflows;

    @Test
    void shouldLetExactlyOneOfTwoConcurrentStatementTransitionsWinAndLogOnlyIt() {
        String admin = Tokens.admin(Tokens.newUser());
        String id = Api.canary(admin, Map.of("sleep_ms", 60_000));
        Api.awaitState(admin, id, "running", Duration.ofSeconds(20));
        UUID subject = UUID.fromString(id);

        List<Uni<String>> racers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            racers.add(workflows.apply(CanaryKind.WORKFLOW, new WorkflowService.Change(subject, "running", "cancel",
                    "racer-" + i, Map.of(), StateUpdate.set("leaseOwner", null)))
                    .onFailure().recoverWithItem(e -> e.getClass().getSimpleName()));
        }
        List<String> outcomes = Uni.join().all(racers).andCollectFailures().await().atMost(Duration.ofSeconds(10));

        assertEquals(List.of("IllegalTransitionException", "cancelled"), outcomes.stream().sorted().toList());
        assertEquals(1, Api.transitionNames(admin, id).stream().filter("cancel"::equals).count());
        assertEquals("cancelled", Api.state(admin, id));
    }

    @Test
    void shouldRefuseAStatementTransitionFromAStateTheSubjectIsNoLongerIn() {
        String admin = Tokens.admin(Tokens.newUser());
        String id = Api.canary(admin, Map.of());
        Api.awaitState(admin, id, "success", Duration.ofSeconds(20));

        Throwable refused = workflows.apply(CanaryKind.WORKFLOW, new WorkflowService.Change(UUID.fromString(id),
                        "running", "fail", "late", Map.of(), StateUpdate.none()))
                .onItem().<Throwable>transform(state -> null).onFailure().recoverWithItem(e -> e)
                .await().atMost(Duration.ofSeconds(10));

        IllegalTransitionException e = assertInstanceOf(IllegalTransitionException.class, refused);
        assertEquals("success", e.state());
        assertEquals(List.of("create", "start", "succeed"), Api.transitionNames(admin, id));
    }

    @Test
    void shouldRefuseATransitionThatLostTheRaceToACancel() {
        String admin = Tokens.admin(Tokens.newUser());
        String id = Api.canary(admin, Map.of("sleep_ms", 60_000));
        Api.awaitState(admin, id, "running", Duration.ofSeconds(20));
        Api.cancel(admin, id).statusCode(200);

        Throwable refused = workflows.apply(CanaryKind.WORKFLOW, new WorkflowService.Change(UUID.fromString(id),
                        "running", "succeed", "late-worker", Map.of(), StateUpdate.none()))
                .onItem().<Throwable>transform(state -> null).onFailure().recoverWithItem(e -> e)
                .await().atMost(Duration.ofSeconds(10));

        IllegalTransitionException e = assertInstanceOf(IllegalTransitionException.class, refused);
        assertEquals("cancelled", e.state());
    }
}
