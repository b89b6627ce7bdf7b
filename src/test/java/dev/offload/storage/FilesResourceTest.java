package dev.offload.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.support.RawHttp;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The files API over HTTP, on PostgreSQL ({@link DirFilesResourceTest} runs these on a directory): uploads in
 * both forms, read back byte for byte, downloads with honest headers, another user's files hidden, delete, list.
 */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class FilesResourceTest {

    static final String FILES = "/api/v1/files";

    @TestHTTPResource("/")
    URI base;

    @Inject
    FileStore store;

    @Inject
    FilesConfig config;

    @Inject
    CleanupCommand cleanup;

    final String user = Tokens.newUser();
    final String token = Tokens.user(user);

    /** REST-assured, sending a Content-Type as given (it would add a charset to any, octet-stream included). */
    static RequestSpecification as(String token) {
        return given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                .appendDefaultContentCharsetToContentTypeIfUndefined(false))).header("Authorization", Tokens.bearer(token));
    }

    static String uniqueName(String extension) {
        return "file-" + UUID.randomUUID() + extension;
    }

    static ExtractableResponse<Response> uploadRaw(String token, String name, String type, byte[] content) {
        return as(token).header("X-Filename", name).contentType(type).body(content).when().post(FILES)
                .then().extract();
    }

    static ExtractableResponse<Response> uploadMultipart(String token, String name, String type, byte[] content) {
        return as(token).multiPart("file", name, content, type).when().post(FILES).then().extract();
    }

    /** Uploads and returns the file's id, checking the 201 and its Location. */
    static String upload(String token, String name, byte[] content) {
        ExtractableResponse<Response> created = uploadRaw(token, name, "application/octet-stream", content);
        assertEquals(201, created.statusCode(), created.body().asString());
        String id = created.path("id");
        assertTrue(created.header("Location").endsWith(FILES + "/" + id), created.header("Location"));
        return id;
    }

    static byte[] download(String token, String id) {
        return as(token).get(FILES + "/" + id + "/content").then().statusCode(200).extract().asByteArray();
    }

    @Test
    void shouldStoreAMultipartUploadAndServeItBackByteForByte() throws Exception {
        byte[] content = FileStoreTest.randomBytes(300_000);
        String name = uniqueName(".bin");

        ExtractableResponse<Response> created = uploadMultipart(token, name, "application/x-custom", content);

        assertEquals(201, created.statusCode(), created.body().asString());
        String id = created.path("id");
        assertTrue(created.header("Location").endsWith(FILES + "/" + id));
        assertEquals(name, created.path("name"));
        assertEquals(user, created.path("owner"));
        assertEquals(content.length, ((Number) created.path("size")).intValue());
        assertEquals(FileStoreTest.sha256(content), created.path("sha256"));
        assertEquals("application/x-custom", created.path("content_type"));
        assertNotNull(created.path("created_at"));
        assertNotNull(created.path("expires_at"));
        assertArrayEquals(content, download(token, id));
    }

    @Test
    void shouldStoreARawUploadNamedByItsHeaderWithTheRequestsContentType() throws Exception {
        byte[] content = "name,count\nwidgets,3\n".getBytes(StandardCharsets.UTF_8);
        String name = uniqueName(".csv");

        ExtractableResponse<Response> created = uploadRaw(token, name, "text/csv; charset=utf-8", content);

        assertEquals(201, created.statusCode(), created.body().asString());
        assertEquals("text/csv; charset=utf-8", created.path("content_type"));
        assertEquals(FileStoreTest.sha256(content), created.path("sha256"));
        String id = created.path("id");
        as(token).get(FILES + "/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("name", equalTo(name)).body("size", equalTo(content.length))
                .body("sha256", equalTo(FileStoreTest.sha256(content)))
                .body("links.content", endsWith(FILES + "/" + id + "/content"));
        assertArrayEquals(content, download(token, id));
    }

    @Test
    void shouldStoreARawUploadWithoutAContentTypeAsOctetStream() throws Exception {
        try (RawHttp http = new RawHttp(base)) {
            RawHttp.Response created = http.head("POST", FILES, "Authorization: " + Tokens.bearer(token),
                    "X-Filename: " + uniqueName(""), "Content-Length: 3").send(new byte[] {1, 2, 3}).response(false);
            String body = new String(created.body(), StandardCharsets.UTF_8);
            assertEquals(201, created.status(), body);
            assertTrue(body.contains("\"content_type\":\"application/octet-stream\""), body);
        }
    }

    @Test
    void shouldStreamUploadsLargerThanTheRequestBodyLimit() throws Exception {
        byte[] content = FileStoreTest.randomBytes(5 * 1024 * 1024 + 123);

        String raw = upload(token, uniqueName(".bin"), content);
        ExtractableResponse<Response> multipart = uploadMultipart(token, uniqueName(".bin"), "application/octet-stream", content);

        assertEquals(201, multipart.statusCode(), multipart.body().asString());
        for (String id : List.of(raw, multipart.<String>path("id"))) {
            as(token).get(FILES + "/" + id).then().statusCode(200).body("size", equalTo(content.length))
                    .body("sha256", equalTo(FileStoreTest.sha256(content)));
            assertArrayEquals(content, download(token, id));
        }
    }

    @Test
    void shouldStoreAnEmptyUpload() throws Exception {
        String id = upload(token, uniqueName(".txt"), new byte[0]);
        as(token).get(FILES + "/" + id).then().statusCode(200).body("size", equalTo(0))
                .body("sha256", equalTo(FileStoreTest.sha256(new byte[0])));
        assertArrayEquals(new byte[0], download(token, id));
    }

    @Test
    void shouldKeepANonAsciiNameAndGiveItInBothFormsWhenDownloaded() throws Exception {
        String id = upload(token, "r%C3%A9sum%C3%A9%202024%20%E2%82%AC.pdf", "%PDF".getBytes(StandardCharsets.US_ASCII));

        as(token).get(FILES + "/" + id).then().statusCode(200).body("name", equalTo("résumé 2024 €.pdf"));
        try (RawHttp http = new RawHttp(base)) {
            RawHttp.Response response = http.head("GET", FILES + "/" + id + "/content", "Authorization: " + Tokens.bearer(token))
                    .response(false);
            assertEquals("attachment; filename=\"r_sum_ 2024 _.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%202024%20%E2%82%AC.pdf",
                    response.header("Content-Disposition"));
        }
    }

    @Test
    void shouldSendTheLengthOfADownloadAndNeverChunkIt() throws Exception {
        byte[] content = FileStoreTest.randomBytes(3 * 1024 * 1024 + 17); // several chunks of the store
        String name = uniqueName(".bin");
        String id = upload(token, name, content);

        for (String method : List.of("GET", "HEAD")) {
            try (RawHttp http = new RawHttp(base)) {
                RawHttp.Response response = http.head(method, FILES + "/" + id + "/content",
                        "Authorization: " + Tokens.bearer(token)).response(method.equals("HEAD"));

                assertEquals(200, response.status(), method);
                assertEquals(List.of(Integer.toString(content.length)), response.all("Content-Length"), method);
                assertEquals(List.of(), response.all("Transfer-Encoding"), method + ": a length, so no chunks");
                assertEquals(List.of("application/octet-stream"), response.all("Content-Type"), method);
                assertEquals("attachment; filename=\"" + name + "\"", response.header("Content-Disposition"), method);
                assertEquals("\"sha256-" + FileStoreTest.sha256(content) + "\"", response.header("ETag"), method);
                assertEquals("nosniff", response.header("X-Content-Type-Options"), method);
                if (method.equals("GET")) {
                    assertArrayEquals(content, response.body());
                }
            }
        }
    }

    @Test
    void shouldHideAnotherUsersFileOnEveryEndpoint() {
        String id = upload(token, uniqueName(".txt"), "mine".getBytes(StandardCharsets.UTF_8));
        String stranger = Tokens.user(Tokens.newUser());

        for (String unknown : List.of(id, UUID.randomUUID().toString())) {
            as(stranger).get(FILES + "/" + unknown).then().statusCode(404).contentType("application/problem+json");
            as(stranger).get(FILES + "/" + unknown + "/content").then().statusCode(404).contentType("application/problem+json");
            as(stranger).head(FILES + "/" + unknown + "/content").then().statusCode(404);
            as(stranger).delete(FILES + "/" + unknown).then().statusCode(404).contentType("application/problem+json");
        }
        as(stranger).get(FILES).then().statusCode(200).body("items.id", not(hasItem(id)));

        as(token).get(FILES + "/" + id).then().statusCode(200);
        String admin = Tokens.admin(Tokens.newUser());
        as(admin).get(FILES + "/" + id).then().statusCode(200).body("owner", equalTo(user));
        assertArrayEquals("mine".getBytes(StandardCharsets.UTF_8), download(admin, id));
    }

    @Test
    void shouldAnswer404ForAFileIdThatIsNotAUuid() {
        as(token).get(FILES + "/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void shouldDeleteAFileAndThenNotKnowIt() {
        String id = upload(token, uniqueName(".bin"), FileStoreTest.randomBytes(2000));

        as(token).delete(FILES + "/" + id).then().statusCode(204);

        as(token).get(FILES + "/" + id).then().statusCode(404).contentType("application/problem+json");
        as(token).get(FILES + "/" + id + "/content").then().statusCode(404);
        as(token).delete(FILES + "/" + id).then().statusCode(404);
        assertEquals(0, ServicesResource.number("SELECT count(*) FROM stored_file WHERE id = ?", UUID.fromString(id)));
        assertEquals(0, StoredContent.of(store, UUID.fromString(id)));
    }

    @Test
    void shouldListTheCallersFilesNewestFirstPageByPage() {
        String first = upload(token, uniqueName(".1"), new byte[] {1});
        String second = upload(token, uniqueName(".2"), new byte[] {2});
        String third = upload(token, uniqueName(".3"), new byte[] {3});
        String someoneElses = upload(Tokens.user(Tokens.newUser()), uniqueName(".x"), new byte[] {4});

        as(token).get(FILES + "?size=2").then().statusCode(200)
                .body("items.id", equalTo(List.of(third, second)))
                .body("page", equalTo(0)).body("size", equalTo(2)).body("has_more", equalTo(true));
        as(token).get(FILES + "?size=2&page=1").then().statusCode(200)
                .body("items.id", equalTo(List.of(first))).body("has_more", equalTo(false));
        as(Tokens.admin(Tokens.newUser())).get(FILES + "?size=200").then().statusCode(200)
                .body("items.id", hasItem(someoneElses)).body("items.id", hasItem(first));
        as(token).get(FILES + "?size=0").then().statusCode(400).contentType("application/problem+json");
        as(token).get(FILES + "?page=-1").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void shouldRefuseAnUploadWithoutATokenAndStoreNothing() {
        String name = uniqueName(".txt");
        given().header("X-Filename", name).contentType("text/plain").body("secret").when().post(FILES).then()
                .statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401));
        given().multiPart("file", name, "secret".getBytes(StandardCharsets.UTF_8)).when().post(FILES).then()
                .statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer not.a.token").header("X-Filename", name).body("secret")
                .when().post(FILES).then().statusCode(401).contentType("application/problem+json");
        assertEquals(0, StoredContent.rows(name));
    }

    @Test
    void shouldRefuseARawUploadWithoutAName() {
        as(token).contentType("text/plain").body("no name").when().post(FILES).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("X-Filename"));
    }

    @Test
    void shouldRefuseAMultipartUploadWithoutAFilePart() {
        as(token).multiPart("attachment", "a.txt", "x".getBytes(StandardCharsets.UTF_8)).multiPart("note", "hello")
                .when().post(FILES).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("file"));
    }

    @Test
    void shouldRefuseAMultipartUploadWithTwoFileParts() {
        String name = uniqueName(".txt");
        as(token).multiPart("file", name, "one".getBytes(StandardCharsets.UTF_8))
                .multiPart("file", name, "two".getBytes(StandardCharsets.UTF_8))
                .when().post(FILES).then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("file"));
        assertEquals(0, StoredContent.rows(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a%2Fb.txt", "..%2Fetc%2Fpasswd", "a%5Cb.txt", "..", "tab%09.txt", "nul%00.txt",
            "broken%ZZ.txt", "not-utf8-%E9.txt"})
    void shouldRefuseAnUnsafeOrBrokenRawName(String header) {
        as(token).header("X-Filename", header).contentType("text/plain").body("x").when().post(FILES).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("X-Filename"));
    }

    @Test
    void shouldRefuseANameOverTwoHundredFiftyFiveBytes() {
        String longName = "é".repeat(128); // 256 bytes of UTF-8 in 128 characters
        as(token).header("X-Filename", longName.replace("é", "%C3%A9")).body("x").when().post(FILES).then()
                .statusCode(400).body("errors[0].field", equalTo("X-Filename"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("255 bytes"));
        as(token).multiPart("file", "a/b.txt", "x".getBytes(StandardCharsets.UTF_8)).when().post(FILES).then()
                .statusCode(400).body("errors[0].field", equalTo("file"));
        String fits = "é".repeat(127) + "x";
        assertEquals(201, uploadRaw(token, fits.replace("é", "%C3%A9"), "text/plain", new byte[] {1}).statusCode());
    }

    @Test
    void shouldRefuseAContentTypeThatIsNotOne() {
        as(token).header("X-Filename", uniqueName(".txt")).contentType("text/*").body("x").when().post(FILES).then()
                .statusCode(400).body("errors[0].field", equalTo("Content-Type"));
    }

    @Test
    void shouldKeepAnUploadForTheConfiguredTimeThenCleanupRemovesIt() {
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC);
        String id = upload(token, uniqueName(".bin"), new byte[] {1, 2});
        OffsetDateTime expiresAt = OffsetDateTime.parse(as(token).get(FILES + "/" + id).then().extract().path("expires_at"));
        assertTrue(!expiresAt.isBefore(before.plus(config.expireAfter())), "expires after " + config.expireAfter());
        java.io.PrintWriter quiet = new java.io.PrintWriter(new java.io.StringWriter(), true);
        java.io.PrintWriter errors = new java.io.PrintWriter(System.err, true);

        cleanup.run(OffsetDateTime.now(ZoneOffset.UTC), quiet, errors);
        as(token).get(FILES + "/" + id).then().statusCode(200);
        cleanup.run(expiresAt.plusSeconds(1), quiet, errors);

        as(token).get(FILES + "/" + id).then().statusCode(404);
        assertEquals(0, StoredContent.of(store, UUID.fromString(id)));
    }

    @Test
    void shouldRemoveAnUploadCutOffHalfway() throws Exception {
        String name = uniqueName(".bin");
        try (RawHttp http = new RawHttp(base)) {
            http.head("POST", FILES, "Authorization: " + Tokens.bearer(token), "X-Filename: " + name,
                    "Content-Type: application/octet-stream", "Content-Length: " + 4 * 1024 * 1024);
            http.send(FileStoreTest.randomBytes(1024 * 1024));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> StoredContent.rows(name) == 1);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> StoredContent.rows(name) == 0);
    }

    @Test
    void shouldAnswerAnExpectContinueUploadWithoutWaiting() throws Exception {
        String name = uniqueName(".bin");
        byte[] content = FileStoreTest.randomBytes(100_000);
        try (RawHttp http = new RawHttp(base)) {
            http.head("POST", FILES, "Authorization: " + Tokens.bearer(token), "X-Filename: " + name,
                    "Content-Length: " + content.length, "Expect: 100-continue");
            assertEquals(100, http.interim(), "go on: the caller and the name are fine");
            RawHttp.Response response = http.send(content).response(false);
            assertEquals(201, response.status(), new String(response.body(), StandardCharsets.UTF_8));
        }
        try (RawHttp http = new RawHttp(base)) {
            RawHttp.Response refused = http.head("POST", FILES, "X-Filename: " + name,
                    "Content-Length: " + content.length, "Expect: 100-continue").response(false);
            assertEquals(401, refused.status(), "refused before the body is sent");
        }
    }

    @Test
    void shouldDownloadAFileWithoutANameUnderItsId() throws Exception {
        FileSink sink = store.create(user, "text/plain", OffsetDateTime.now(ZoneOffset.UTC).plusHours(1));
        sink.write(new byte[] {1});
        sink.close();
        as(token).get(FILES + "/" + sink.id()).then().statusCode(200).body("name", nullValue());
        as(token).get(FILES + "/" + sink.id() + "/content").then().statusCode(200)
                .header("Content-Disposition", "attachment; filename=\"" + sink.id() + "\"");
    }

    @Test
    void shouldPutUploadsInTheConfiguredStore() {
        String id = upload(token, uniqueName(".bin"), new byte[] {9});
        assertEquals(1, StoredContent.of(store, UUID.fromString(id)), "its content is where this store keeps it");
    }
}
