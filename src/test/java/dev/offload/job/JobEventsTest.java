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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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

        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(jobs.resolve(id + "/events"))
                        .header("Authorization", Tokens.bearer(token))
                        .header("Accept", "text/event-stream")
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofLines());

        assertEquals(200, response.statusCode());
        List<JsonObject> events = response.body().filter(line -> line.startsWith("data:"))
                .map(line -> new JsonObject(line.substring(5))).toList();
        List<String> states = events.stream().map(e -> e.getString("state")).distinct().toList();
        assertEquals("success", states.get(states.size() - 1), "ends with the final state: " + events);
        assertTrue(states.contains("running") || states.get(0).equals("created"), "shows the job before it ended: " + events);
        assertTrue(events.stream().anyMatch(e -> e.getString("state").equals("running") && e.getLong("done") >= 1),
                "progress arrives while running: " + events);
        assertEquals(3L, events.get(events.size() - 1).getLong("done"));
    }

    @Test
    void shouldEndTheStreamAtOnceForAFinishedJob() throws Exception {
        String token = Tokens.admin(Tokens.newUser());
        String id = Api.canary(token, Map.of());
        Api.awaitState(token, id, "success", Duration.ofSeconds(20));

        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(jobs.resolve(id + "/events"))
                        .header("Authorization", Tokens.bearer(token))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofLines());
        List<String> data = response.body().filter(line -> line.startsWith("data:")).toList();
        assertEquals(1, data.size(), data.toString());
        assertEquals("success", new JsonObject(data.get(0).substring(5)).getString("state"));
    }
}
