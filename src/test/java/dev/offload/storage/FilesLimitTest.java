package dev.offload.storage;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The upload limit ({@code offload.files.max-size}, 64 KiB here): over it is a 413 that names the limit, however
 * the body comes (declared, streamed without a length, multipart), and nothing is left behind. On PostgreSQL;
 * {@link DirFilesLimitTest} on a directory.
 */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
@TestProfile(SmallUploads.class)
class FilesLimitTest {

    @TestHTTPResource("/api/v1/files")
    URI files;

    @Inject
    FileStore store;

    final String token = Tokens.user(Tokens.newUser());

    private static void assertTooLarge(int status, String body) {
        assertEquals(413, status, body);
    }

    @Test
    void shouldRefuseAnUploadOverTheLimitByItsDeclaredLength() {
        String name = FilesResourceTest.uniqueName(".bin");
        long contentBefore = StoredContent.all(store);

        FilesResourceTest.as(token).header("X-Filename", name).contentType("application/octet-stream")
                .body(FileStoreTest.randomBytes(SmallUploads.LIMIT + 1)).when().post(FilesResourceTest.FILES).then()
                .statusCode(413).contentType("application/problem+json")
                .body("status", equalTo(413)).body("max_size", equalTo(SmallUploads.LIMIT))
                .body("detail", containsString("64 KiB"));

        assertEquals(0, StoredContent.rows(name));
        assertEquals(contentBefore, StoredContent.all(store));
    }

    @Test
    void shouldRefuseAnUploadOverTheLimitSentWithoutALength() throws Exception {
        String name = FilesResourceTest.uniqueName(".bin");
        long contentBefore = StoredContent.all(store);
        byte[] content = FileStoreTest.randomBytes(3 * SmallUploads.LIMIT);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(files)
                .header("Authorization", Tokens.bearer(token)).header("X-Filename", name)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertTooLarge(response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals(0, StoredContent.rows(name));
        assertEquals(contentBefore, StoredContent.all(store));
    }

    @Test
    void shouldRefuseAMultipartUploadOverTheLimit() {
        String name = FilesResourceTest.uniqueName(".bin");
        long contentBefore = StoredContent.all(store);

        ExtractableResponse<Response> refused = FilesResourceTest.uploadMultipart(token, name, "application/octet-stream",
                FileStoreTest.randomBytes(2 * SmallUploads.LIMIT));

        assertTooLarge(refused.statusCode(), refused.body().asString());
        assertEquals(0, StoredContent.rows(name));
        assertEquals(contentBefore, StoredContent.all(store));
    }

    @Test
    void shouldAcceptAnUploadOfExactlyTheLimit() {
        byte[] content = FileStoreTest.randomBytes(SmallUploads.LIMIT);
        assertEquals(201, FilesResourceTest.uploadRaw(token, FilesResourceTest.uniqueName(".bin"), "application/octet-stream",
                content).statusCode());
        ExtractableResponse<Response> multipart = FilesResourceTest.uploadMultipart(token, FilesResourceTest.uniqueName(".bin"),
                "application/octet-stream", content);
        assertEquals(201, multipart.statusCode(), "the limit counts the file, not the multipart around it");
    }

    @Test
    void shouldKeepTheBodyLimitForEveryOtherCall() {
        String huge = "{\"sleep_ms\": 1, \"pad\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        FilesResourceTest.as(Tokens.admin(Tokens.newUser())).contentType("application/json")
                .body(huge.getBytes(StandardCharsets.UTF_8)).when().post("/api/v1/canaries").then().statusCode(413)
                .contentType("application/problem+json");
    }
}
