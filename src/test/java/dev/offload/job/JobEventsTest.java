package dev.offload.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.support.Api;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The status stream: current state first, then every change, ending after a final state. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class JobEventsTest {

    @TestHTTPResource("/api/v1/jobs/")
    URI jobs;

    @Test
    void shouldStreamStateAndProgressUntilTheJobEnds() throws Exception {
        String token = Tokens.admin(Tokens.newUser());
        String id = Api.canary(token, Map.of("sleep_ms", 1500, "progress_steps", 3));

        List<JsonObject> events = stream(token, id);
        List<String> states = states(events);
        List<String> all = List.of("created", "running", "success");
        // From whichever state the job was in when the stream began, never back.
        assertEquals(all.subList(all.size() - states.size(), all.size()), states, events.toString());
        assertTrue(states.contains("running"), "shows the job before it ended: " + events);
        assertTrue(events.stream().anyMatch(e -> e.getString("state").equals("running") && e.getLong("done") >= 1),
                "progress arrives while running: " + events);
        assertEquals(3L, events.get(events.size() - 1).getLong("done"));
    }

    @Test
    void shouldShowEveryStateOfAJobThatWaitedInTheQueue() throws Exception {
        String token = Tokens.admin(Tokens.newUser());
        for (int i = 0; i < 4; i++) { // the canary's four slots busy, so the next job waits in the queue
            Api.canary(token, Map.of("sleep_ms", 3000));
        }
        String id = Api.canary(token, Map.of());

        List<JsonObject> events = stream(token, id);
        // Its start is not announced (it ends within a moment), but the stream shows it before the end.
        assertEquals(List.of("created", "running", "success"), states(events), events.toString());
        assertTrue(events.stream().noneMatch(e -> e.containsKey("from")), "the state left stays inside: " + events);
    }

    @Test
    void shouldAnnounceTheStartOfALongJobWhileItRuns() throws Exception {
        String token = Tokens.admin(Tokens.newUser());
        try (Connection db = ServicesResource.connection()) {
            db.createStatement().execute("LISTEN " + JobEvents.PG_CHANNEL);
            String id = Api.canary(token, Map.of("sleep_ms", 1500)); // no progress writes

            List<String> lines = linesUntilFinal(db, id);
            assertEquals(2, lines.size(), lines.toString());
            assertEquals(id + " canary running 1 0 - created", lines.get(0), "announced by its worker while it runs");
            assertEquals(id + " canary success 1 0 - running", lines.get(1));
        }
    }

    @Test
    void shouldNotNotifyAClaimButNameTheStateLeftInTheNextChange() throws Exception {
        String token = Tokens.admin(Tokens.newUser());
        String id = Api.canary(token, Map.of());
        Api.awaitState(token, id, "success", Duration.ofSeconds(20));
        try (Connection db = ServicesResource.connection()) {
            db.createStatement().execute("LISTEN " + JobEvents.PG_CHANNEL);
            // What the engine's claim and finish change, written by hand: the lease taken, then given up.
            try (PreparedStatement claim = db.prepareStatement("UPDATE job SET state = 'running',"
                    + " attempt = attempt + 1,"
                    + " lease_owner = 'test-worker', lease_expires_at = now() + interval '1 minute' WHERE id = ?")) {
                claim.setObject(1, UUID.fromString(id));
                assertEquals(1, claim.executeUpdate());
            }
            try (PreparedStatement end = db.prepareStatement("UPDATE job SET state = 'success', lease_owner = NULL,"
                    + " lease_expires_at = NULL, progress_done = 7 WHERE id = ?")) {
                end.setObject(1, UUID.fromString(id));
                assertEquals(1, end.executeUpdate());
            }
            // Notifications arrive in commit order: a claim's would come first.
            assertEquals(List.of(id + " canary success 2 7 - running"), linesUntilFinal(db, id));
        }
    }

    /** The states a stream showed, each run of the same state (progress) as one. */
    private static List<String> states(List<JsonObject> events) {
        List<String> states = new ArrayList<>();
        for (JsonObject e : events) {
            if (states.isEmpty() || !states.get(states.size() - 1).equals(e.getString("state"))) {
                states.add(e.getString("state"));
            }
        }
        return states;
    }

    /** The job's lines in the notifications this connection LISTENs to, up to its final state's. */
    private static List<String> linesUntilFinal(Connection db, String id) throws Exception {
        PGConnection pg = db.unwrap(PGConnection.class);
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            PGNotification[] received = pg.getNotifications(500);
            for (PGNotification n : received == null ? new PGNotification[0] : received) {
                for (String line : n.getParameter().split("\n")) {
                    if (line.startsWith(id + " ")) {
                        lines.add(line);
                        if (line.split(" ")[2].equals("success")) {
                            return lines;
                        }
                    }
                }
            }
        }
        throw new AssertionError("no final state of " + id + " announced in 30 s; lines: " + lines);
    }

    private List<JsonObject> stream(String token, String id) throws Exception {
        HttpResponse<Stream<String>> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(jobs.resolve(id + "/events"))
                        .header("Authorization", Tokens.bearer(token))
                        .header("Accept", "text/event-stream")
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        return response.body().filter(line -> line.startsWith("data:"))
                .map(line -> new JsonObject(line.substring(5))).toList();
    }

    @Test
    void shouldEndTheStreamAtOnceForAFinishedJob() throws Exception {
        String token = Tokens.admin(Tokens.newUser());
        String id = Api.canary(token, Map.of());
        Api.awaitState(token, id, "success", Duration.ofSeconds(20));

        List<JsonObject> events = stream(token, id);
        assertEquals(1, events.size(), events.toString());
        assertEquals("success", events.get(0).getString("state"));
    }
}
