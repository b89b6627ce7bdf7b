package dev.offload.archive;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.db.Timestamps;
import dev.offload.security.TokenCommand;
import dev.offload.storage.CleanupCommand;
import dev.offload.storage.FileSink;
import dev.offload.storage.FileStore;
import dev.offload.support.Api;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.ArchiveStreamFactory;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.junit.jupiter.api.Test;

/**
 * Archives end to end against PostgreSQL and RabbitMQ: every backend from stored files and a report's result,
 * downloaded and read back entry by entry with commons-compress; bad entries refused at submit; others'
 * sources and archives unseen; delete and cleanup; cancel while compressing; extraction, safe and hostile.
 */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class ArchivePipelineTest {

    private static final Duration SOON = Duration.ofSeconds(60);

    @Inject
    FileStore store;

    @Inject
    CleanupCommand cleanup;

    private final String owner = Tokens.newUser();
    private final String token = TokenCommand.sign(owner, Set.of("student"), Duration.ofMinutes(10));

    private UUID stored(String name, byte[] content) throws Exception {
        FileSink sink = store.create(owner, name, "application/octet-stream", Timestamps.now().plusHours(1));
        sink.write(content);
        sink.close();
        return sink.id();
    }

    private ValidatableResponse submit(String token, Map<String, Object> body) {
        return given().header("Authorization", Tokens.bearer(token)).contentType(ContentType.JSON).body(body)
                .post("/api/v1/archives").then();
    }

    private String archive(String backend, List<Map<String, Object>> entries) {
        return submit(token, Map.of("name", "bundle", "backend", backend, "entries", entries))
                .statusCode(202).header("Location", containsString("/api/v1/archives/")).extract().path("id");
    }

    private static Map<String, Object> entry(String path, UUID file) {
        return Map.of("path", path, "file_id", file.toString());
    }

    private byte[] download(String id) {
        return given().header("Authorization", Tokens.bearer(token)).get("/api/v1/archives/" + id + "/download")
                .then().statusCode(200).extract().asByteArray();
    }

    /** Every file of an archive, read back with commons-compress, by path. */
    private static Map<String, byte[]> readBack(String backend, byte[] archive) throws Exception {
        InputStream in = new ByteArrayInputStream(archive);
        if (!backend.equals("zip") && !backend.equals("tar")) {
            in = new CompressorStreamFactory(true).createCompressorInputStream(
                    new java.io.BufferedInputStream(in));
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ArchiveInputStream<?> entries = new ArchiveStreamFactory().createArchiveInputStream(
                backend.equals("zip") ? "zip" : "tar", in)) {
            for (ArchiveEntry entry; (entry = entries.getNextEntry()) != null; ) {
                if (!entry.isDirectory()) {
                    files.put(entry.getName(), entries.readAllBytes());
                }
            }
        }
        return files;
    }

    @Test
    void shouldArchiveStoredFilesWithEveryBackendAndReadThemBack() throws Exception {
        byte[] text = "hello, archive\n".repeat(2000).getBytes(StandardCharsets.UTF_8);
        byte[] noise = new byte[300_000];
        new Random(7).nextBytes(noise);
        String longPath = "deep/" + "d".repeat(200) + "/name.bin";
        UUID a = stored("a.txt", text);
        UUID b = stored("b.bin", noise);
        for (String backend : List.of("zip", "tar", "tar.gz", "tar.bz2", "tar.xz")) {
            String id = archive(backend, List.of(entry("folder1/a.txt", a), entry(longPath, b)));
            Api.awaitState(token, id, "ready", SOON);

            given().header("Authorization", Tokens.bearer(token)).get("/api/v1/archives/" + id).then().statusCode(200)
                    .body("backend", equalTo(backend)).body("created_by", equalTo(owner))
                    .body("created_by_role", equalTo("student")).body("entry_count", equalTo(2))
                    .body("entries_done", equalTo(2)).body("sha256", notNullValue())
                    .body("links.download", notNullValue());
            ValidatableResponse head = given().header("Authorization", Tokens.bearer(token))
                    .head("/api/v1/archives/" + id + "/download").then().statusCode(200)
                    .header("Content-Disposition", containsString("bundle." + backend))
                    .header("ETag", containsString("sha256-"));
            byte[] archive = download(id);
            assertEquals(Long.parseLong(head.extract().header("Content-Length")), archive.length);
            Map<String, byte[]> files = readBack(backend, archive);
            assertEquals(List.of("folder1/a.txt", longPath), List.copyOf(files.keySet()), backend);
            assertArrayEquals(text, files.get("folder1/a.txt"), backend);
            assertArrayEquals(noise, files.get(longPath), backend);

            List<Map<String, Object>> listed = given().header("Authorization", Tokens.bearer(token))
                    .get("/api/v1/archives/" + id + "/entries").then().statusCode(200).extract().jsonPath().getList("$");
            assertEquals(List.of("folder1/a.txt", longPath), listed.stream().map(e -> e.get("path")).toList());
            assertEquals(noise.length, ((Number) listed.get(1).get("size")).intValue());
        }
    }

    @Test
    void shouldListTheEntriesOfAnArchiveWhoseContentCompressesBeyondTheExtractionRatio() throws Exception {
        byte[] zeros = new byte[8 << 20]; // deflates about 1,000 to 1: a bomb by extraction's rules, not here
        UUID file = stored("zeros.bin", zeros);
        for (String backend : List.of("zip", "tar.gz")) {
            String id = archive(backend, List.of(entry("zeros.bin", file)));
            Api.awaitState(token, id, "ready", SOON);
            given().header("Authorization", Tokens.bearer(token)).get("/api/v1/archives/" + id + "/entries").then()
                    .statusCode(200).body("path", equalTo(List.of("zeros.bin")))
                    .body("size", equalTo(List.of(zeros.length)));
        }
    }

    /** Submits a job at {@code path} (reports, exports), waits for {@code state}, and returns its id and its file. */
    private Map.Entry<String, byte[]> finished(String path, Map<String, Object> body, String state) {
        String job = given().header("Authorization", Tokens.bearer(token)).contentType(ContentType.JSON).body(body)
                .post(path).then().statusCode(202).extract().path("id");
        Api.awaitState(token, job, state, SOON);
        byte[] file = given().header("Authorization", Tokens.bearer(token)).get(path + "/" + job + "/download")
                .then().statusCode(200).extract().asByteArray();
        return Map.entry(job, file);
    }

    /** The content at {@code path} of a {@code backend} archive of the one {@code entry}. */
    private byte[] archivedAlone(String backend, Map<String, Object> entry) throws Exception {
        String id = archive(backend, List.of(entry));
        Api.awaitState(token, id, "ready", SOON);
        return readBack(backend, download(id)).get((String) entry.get("path"));
    }

    @Test
    void shouldArchiveAFinishedReportOfTheCaller() throws Exception {
        Map.Entry<String, byte[]> report = finished("/api/v1/reports",
                Map.of("generator_type", "jobs-detail", "generator_options", Map.of("format", "csv")), "success");
        assertArrayEquals(report.getValue(),
                archivedAlone("zip", Map.of("path", "reports/jobs.csv", "report_id", report.getKey())));
    }

    @Test
    void shouldArchiveAFinishedExportOfTheCaller() throws Exception {
        Map.Entry<String, byte[]> finished = finished("/api/v1/exports",
                Map.of("resource", "books", "format", "csv", "columns", List.of("id", "title")), "exported");
        String export = finished.getKey();
        assertArrayEquals(finished.getValue(),
                archivedAlone("tar.gz", Map.of("path", "exports/books.csv", "export_id", export)));

        // An export is no report, and someone else's export is no export of yours.
        submit(token, Map.of("name", "n", "backend", "zip", "entries", List.of(Map.of("path", "r", "report_id", export))))
                .statusCode(400).body("errors[0].field", equalTo("entries[0].report_id"));
        submit(TokenCommand.sign(Tokens.newUser(), Set.of("student"), Duration.ofMinutes(10)), Map.of("name", "n", "backend", "zip", "entries",
                List.of(Map.of("path", "e", "export_id", export))))
                .statusCode(400).body("errors[0].field", equalTo("entries[0].export_id"))
                .body("errors[0].message", equalTo("is no export of yours"));
    }

    @Test
    void shouldRefuseBadEntriesAtSubmitNamingThemAndCreateNothing() throws Exception {
        UUID a = stored("a.txt", new byte[] {1});
        Map<String, String> hostile = new LinkedHashMap<>();
        hostile.put("/etc/passwd", "absolute");
        hostile.put("a/../../b", "..");
        hostile.put("a\\b", "backslash");
        hostile.put("a//b", "empty");
        hostile.put("a\u0000b", "NUL");
        hostile.put("a\u0007b", "control");
        hostile.put("x".repeat(1025), "over 1,024");
        for (String path : hostile.keySet()) {
            submit(token, Map.of("name", "n", "backend", "zip", "entries", List.of(entry(path, a))))
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("entries[0].path"));
        }
        submit(token, Map.of("name", "n", "backend", "zip", "entries", List.of(entry("same", a), entry("same", a))))
                .statusCode(400).body("errors[0].field", equalTo("entries[1].path"));
        submit(token, Map.of("name", "n", "backend", "rar", "entries", List.of(entry("a", a))))
                .statusCode(400).body("errors[0].field", equalTo("backend"))
                .body("known_backends", hasItem("tar.xz"));
        submit(token, Map.of("name", "n", "backend", "zip", "role", "admin", "entries", List.of(entry("a", a))))
                .statusCode(403);
        submit(token, Map.of("name", "n/m", "backend", "zip", "entries", List.of(entry("a", a))))
                .statusCode(400).body("errors[0].field", equalTo("name"));

        // Sources: someone else's file, a missing one, an unfinished or unknown report.
        String stranger = Tokens.newUser();
        FileSink theirs = store.create(stranger, "t", "text/plain", Timestamps.now().plusHours(1));
        theirs.close();
        submit(token, Map.of("name", "n", "backend", "zip", "entries", List.of(entry("a", theirs.id()))))
                .statusCode(400).body("errors[0].field", equalTo("entries[0].file_id"));
        submit(token, Map.of("name", "n", "backend", "zip", "entries",
                List.of(Map.of("path", "r", "report_id", UUID.randomUUID().toString()))))
                .statusCode(400).body("errors[0].field", equalTo("entries[0].report_id"));
        given().header("Authorization", Tokens.bearer(token)).get("/api/v1/archives").then().statusCode(200)
                .body("items.size()", equalTo(0));
    }

    @Test
    void shouldHideAnotherUsersArchive() throws Exception {
        String id = archive("tar", List.of(entry("a", stored("a", new byte[] {1, 2}))));
        Api.awaitState(token, id, "ready", SOON);
        String other = Tokens.bearer(TokenCommand.sign(Tokens.newUser(), Set.of("student"), Duration.ofMinutes(10)));
        for (String path : List.of("", "/download", "/entries")) {
            given().header("Authorization", other).get("/api/v1/archives/" + id + path).then().statusCode(404);
        }
        given().header("Authorization", other).delete("/api/v1/archives/" + id).then().statusCode(404);
    }

    @Test
    void shouldMarkDeletedHideFromListsAnswer410AndPurgeOnCleanup() throws Exception {
        String id = archive("tar.gz", List.of(entry("a", stored("a", new byte[] {1, 2, 3}))));
        Api.awaitState(token, id, "ready", SOON);
        UUID file = UUID.fromString(given().header("Authorization", Tokens.bearer(token))
                .get("/api/v1/archives/" + id).then().extract().path("file_id"));

        given().header("Authorization", Tokens.bearer(token)).delete("/api/v1/archives/" + id).then().statusCode(200)
                .body("deleted_at", notNullValue());
        given().header("Authorization", Tokens.bearer(token)).get("/api/v1/archives").then()
                .body("items.id", not(hasItem(id)));
        given().header("Authorization", Tokens.bearer(token)).get("/api/v1/archives/" + id + "/download").then()
                .statusCode(410).contentType("application/problem+json");

        StringWriter out = new StringWriter();
        assertEquals(0, cleanup.run(Timestamps.now(), new PrintWriter(out, true), new PrintWriter(System.err, true)));
        assertTrue(out.toString().contains("cleanup:   removed archive " + id + " bundle (tar.gz)"), out.toString());
        assertEquals(null, store.find(file).await().atMost(SOON), "the archive's file is purged");
        assertEquals(1, ServicesResource.number("SELECT count(*) FROM archive_job WHERE job_id = ?::uuid"
                + " AND purged_at IS NOT NULL", id));
    }

    @Test
    void shouldDeleteArchivesOlderThanTheirKeepOnCleanup() throws Exception {
        String id = archive("zip", List.of(entry("a", stored("a", new byte[] {1}))));
        Api.awaitState(token, id, "ready", SOON);
        cleanup.run(Timestamps.now(), new PrintWriter(new StringWriter()), new PrintWriter(System.err, true));
        given().header("Authorization", Tokens.bearer(token)).get("/api/v1/archives/" + id).then()
                .body("deleted_at", equalTo(null));
        // Eight days on, the default keep (7d) has passed.
        cleanup.run(Timestamps.now().plusDays(8), new PrintWriter(new StringWriter()), new PrintWriter(System.err, true));
        given().header("Authorization", Tokens.bearer(token)).get("/api/v1/archives/" + id).then()
                .body("deleted_at", notNullValue());
        given().header("Authorization", Tokens.bearer(token)).get("/api/v1/archives/" + id + "/download").then()
                .statusCode(410);
    }

    @Test
    void shouldRemoveThePartialArchiveWhenCancelledWhileCompressing() throws Exception {
        byte[] noise = new byte[48 << 20];
        new Random(3).nextBytes(noise);
        UUID big = stored("big.bin", noise);
        long filesBefore = ServicesResource.number("SELECT count(*) FROM stored_file WHERE owner = ?", owner);
        String id = archive("tar.xz", List.of(entry("big.bin", big), entry("again.bin", big)));
        await().atMost(SOON).pollInterval(Duration.ofMillis(50))
                .until(() -> ((Number) Api.job(token, id).extract().path("progress.done")).longValue() > 0);
        given().header("Authorization", Tokens.bearer(token)).post("/api/v1/jobs/" + id + "/cancel").then()
                .statusCode(200).body("state", equalTo("cancelled"));
        await().atMost(SOON).until(() -> ServicesResource.number(
                "SELECT count(*) FROM stored_file WHERE owner = ?", owner) == filesBefore);
        given().header("Authorization", Tokens.bearer(token)).get("/api/v1/archives/" + id + "/download").then()
                .statusCode(409);
    }

    @Test
    void shouldExtractAnUploadedArchiveIntoStoredFiles() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            out.putArchiveEntry(new ZipArchiveEntry("dir/"));
            out.closeArchiveEntry();
            for (String name : List.of("dir/one.txt", "two.txt")) {
                out.putArchiveEntry(new ZipArchiveEntry(name));
                out.write(name.getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        UUID upload = stored("bundle.zip", zip.toByteArray());
        String id = given().header("Authorization", Tokens.bearer(token)).contentType(ContentType.JSON)
                .body(Map.of("file_id", upload.toString())).post("/api/v1/archives/extract")
                .then().statusCode(202).extract().path("id");
        Api.awaitState(token, id, "extracted", SOON);
        given().header("Authorization", Tokens.bearer(token)).get("/api/v1/archives/" + id).then()
                .body("operation", equalTo("extract")).body("backend", equalTo("zip")).body("entry_count", equalTo(2));
        List<Map<String, Object>> entries = given().header("Authorization", Tokens.bearer(token))
                .get("/api/v1/archives/" + id + "/entries").then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, String> contents = new HashMap<>();
        for (Map<String, Object> e : entries) {
            contents.put((String) e.get("path"), given().header("Authorization", Tokens.bearer(token))
                    .get("/api/v1/files/" + e.get("file_id") + "/content").then().statusCode(200).extract().asString());
        }
        assertEquals(Map.of("dir/one.txt", "dir/one.txt", "two.txt", "two.txt"), contents);
    }

    @Test
    void shouldRefuseAHostileArchiveNamingTheEntryAndStoreNothing() throws Exception {
        for (String hostile : List.of("../evil.txt", "/abs.txt")) {
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
                out.putArchiveEntry(new ZipArchiveEntry("fine.txt"));
                out.write(new byte[] {1});
                out.closeArchiveEntry();
                out.putArchiveEntry(new ZipArchiveEntry(hostile));
                out.write(new byte[] {2});
                out.closeArchiveEntry();
            }
            UUID upload = stored("evil.zip", zip.toByteArray());
            long filesBefore = ServicesResource.number("SELECT count(*) FROM stored_file WHERE owner = ?", owner);
            String id = given().header("Authorization", Tokens.bearer(token)).contentType(ContentType.JSON)
                    .body(Map.of("file_id", upload.toString())).post("/api/v1/archives/extract")
                    .then().statusCode(202).extract().path("id");
            Api.awaitState(token, id, "error", SOON);
            Api.job(token, id).body("error.message", containsString(hostile));
            assertEquals(filesBefore, ServicesResource.number("SELECT count(*) FROM stored_file WHERE owner = ?", owner));
        }
    }

    @Test
    void shouldListTheBackendsAndDescribeTheWorkflow() {
        given().header("Authorization", Tokens.bearer(token)).get("/api/v1/archives/backends").then().statusCode(200)
                .body("id", equalTo(List.of("tar", "tar.bz2", "tar.gz", "tar.xz", "zip")));
        given().header("Authorization", Tokens.bearer(token)).accept(ContentType.JSON).get("/api/v1/workflows/archive")
                .then().statusCode(200)
                .body("states", equalTo(List.of("created", "compressing", "ready", "error", "cancelled")));
    }
}
