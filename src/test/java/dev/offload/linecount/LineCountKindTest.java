package dev.offload.linecount;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.db.Timestamps;
import dev.offload.storage.FileSink;
import dev.offload.storage.FileStore;
import dev.offload.support.Api;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The example kind of docs/adding-a-kind.md, end to end: a stored file in, a job, its result out. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class LineCountKindTest {

    @Inject
    FileStore files;

    private final String owner = Tokens.newUser();
    private final String token = Tokens.user(owner);

    private UUID stored(String owner, String text) throws Exception {
        FileSink sink = files.create(owner, "text/plain", Timestamps.now().plusHours(1));
        sink.write(text.getBytes(StandardCharsets.UTF_8));
        sink.close();
        return sink.id();
    }

    @Test
    void shouldCountTheLinesOfTheCallersFileAndOfferThemAsItsResult() throws Exception {
        UUID file = stored(owner, "one\ntwo\nthree\n");
        String id = given().header("Authorization", Tokens.bearer(token)).contentType(ContentType.JSON)
                .body(Map.of("file_id", file.toString())).post("/api/v1/line-counts")
                .then().statusCode(202).extract().path("id");
        Api.awaitState(token, id, "counted", Duration.ofSeconds(20));
        Api.job(token, id).body("kind", equalTo("line-count")).body("progress.percent", equalTo(100));
        String result = given().header("Authorization", Tokens.bearer(token)).get("/api/v1/jobs/" + id + "/result")
                .then().statusCode(200).extract().asString();
        assertEquals("3\n", result);
    }

    @Test
    void shouldRefuseAFileOfAnotherUser() throws Exception {
        UUID theirs = stored(Tokens.newUser(), "x\n");
        given().header("Authorization", Tokens.bearer(token)).contentType(ContentType.JSON)
                .body(Map.of("file_id", theirs.toString())).post("/api/v1/line-counts")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("file_id"));
    }
}
