package dev.offload.fault;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.support.OwnServices;
import dev.offload.support.ServiceProcess;
import dev.offload.support.TestServices;
import dev.offload.support.Tokens;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged service killed with SIGKILL in the middle of an import: the table is left as it was (the
 * import's transaction dies with its connection), and another process retries the import to its end.
 */
class ImportFaultIT {

    @RegisterExtension
    static final OwnServices SERVICES = new OwnServices("import-fault");
    private final String user = Tokens.user(Tokens.newUser());

    private static Map<String, String> config() {
        Map<String, String> config = SERVICES.config("all");
        config.put("offload.lease.duration", "3s");
        config.put("offload.lease.renew-every", "1s");
        config.put("offload.reaper.every", "1s");
        config.put("offload.relay.every", "1s");
        config.put("offload.relay.after", "2s");
        return config;
    }

    private String importBooks(ServiceProcess service, String csv, boolean atOnce) {
        String file = given().baseUri(service.baseUri()).header("Authorization", Tokens.bearer(user))
                .multiPart("file", "books.csv", csv.getBytes(StandardCharsets.UTF_8)).post("/api/v1/files")
                .then().statusCode(201).extract().path("id");
        return given().baseUri(service.baseUri()).header("Authorization", Tokens.bearer(user)).contentType(ContentType.JSON)
                .body(Map.of("file_id", file, "resource", "books", "skip_parse_step", atOnce)).post("/api/v1/imports")
                .then().statusCode(202).extract().path("id");
    }

    private String state(ServiceProcess service, String id) {
        return given().baseUri(service.baseUri()).header("Authorization", Tokens.bearer(user))
                .get("/api/v1/imports/" + id).then().statusCode(200).extract().path("state");
    }

    private void awaitState(ServiceProcess service, String id, String state) {
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100)).until(() -> state.equals(state(service, id)));
    }

    private static List<String> books() throws Exception {
        try (Connection c = TestServices.connect(SERVICES.database()); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT id || ':' || title FROM books ORDER BY id")) {
            List<String> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(r.getString(1));
            }
            return rows;
        }
    }

    private static long transferBackends(String condition) throws Exception {
        try (Connection c = TestServices.connect(SERVICES.database()); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND application_name = 'offload-transfer'" + condition)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void shouldLeaveTheTableAsItWasWhenTheWorkerIsKilledMidImportAndFinishOnRetry() throws Exception {
        String id;
        try (ServiceProcess first = ServiceProcess.start("import-first", config())) {
            String seed = importBooks(first, "id,title,author\n1,one,a\n", true);
            awaitState(first, seed, "imported");
            id = importBooks(first, "id,title,author\n1,changed,a\n2,two,b\n", false);
            awaitState(first, id, "parsed");
            try (Connection lock = TestServices.connect(SERVICES.database()); Statement s = lock.createStatement()) {
                lock.setAutoCommit(false);
                s.execute("SELECT 1 FROM books WHERE id = 1 FOR UPDATE"); // the import waits here, mid-transaction
                given().baseUri(first.baseUri()).header("Authorization", Tokens.bearer(user))
                        .post("/api/v1/imports/" + id + "/confirm").then().statusCode(202);
                await().atMost(Duration.ofSeconds(20)).until(() -> transferBackends(" AND wait_event_type = 'Lock'") > 0);
                first.kill();
                lock.rollback();
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> transferBackends("") == 0);
        assertEquals(List.of("1:one"), books(), "the killed import wrote nothing");
        try (ServiceProcess second = ServiceProcess.start("import-second", config())) {
            awaitState(second, id, "imported");
            assertEquals(List.of("1:changed", "2:two"), books());
        }
    }
}
