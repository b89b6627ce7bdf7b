package dev.offload.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.support.ServicesResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The store, whichever it is (PostgreSQL here; {@link DirFileStoreTest} runs these on a directory): writes a
 * piece at a time, reads back byte for byte, nothing readable before it is complete, nothing left when aborted.
 */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class FileStoreTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    FileStore store;

    @Inject
    StorageConfig config;

    final String owner = "owner-" + UUID.randomUUID();

    static OffsetDateTime inAnHour() {
        return OffsetDateTime.now(ZoneOffset.UTC).plusHours(1);
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void shouldBeTheStoreTheConfigurationNames() {
        assertInstanceOf(PgFileStore.class, store);
    }

    @Test
    void shouldStoreAFileOfSeveralChunksAndReadItBackByteForByte() throws Exception {
        int chunk = (int) config.chunkSize().asLongValue();
        byte[] content = randomBytes(2 * chunk + 12_345);
        FileSink sink = store.create(owner, "application/octet-stream", inAnHour());
        for (int offset = 0; offset < content.length; offset += 70_001) {
            sink.write(content, offset, Math.min(70_001, content.length - offset));
        }
        sink.write(7);
        sink.close();
        byte[] expected = java.util.Arrays.copyOf(content, content.length + 1);
        expected[content.length] = 7;

        StoredFile file = store.find(sink.id()).await().atMost(WAIT);
        assertEquals(expected.length, file.size());
        assertEquals(owner, file.owner());
        assertNull(file.name(), "created without a name");
        assertEquals(sha256(expected), file.sha256());
        assertStoredWhereTheStoreKeepsContent(file);
        try (InputStream in = store.open(file)) {
            assertArrayEquals(expected, in.readAllBytes());
        }
        List<Buffer> pieces = store.content(file).collect().asList().await().atMost(WAIT);
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        for (Buffer b : pieces) {
            streamed.write(b.getBytes());
        }
        assertArrayEquals(expected, streamed.toByteArray());
    }

    /** PostgreSQL: three chunks of the configured size. */
    void assertStoredWhereTheStoreKeepsContent(StoredFile file) {
        assertEquals(3, file.chunks());
        assertEquals(3, ServicesResource.number("SELECT count(*) FROM stored_file_chunk WHERE file_id = ?", file.id()));
    }

    @Test
    void shouldNotFindAFileBeforeItIsComplete() throws Exception {
        FileSink sink = store.create(owner, "text/plain", inAnHour());
        sink.write(new byte[] {1, 2, 3});
        assertNull(store.find(sink.id()).await().atMost(WAIT));
        sink.close();
        assertNotNull(store.find(sink.id()).await().atMost(WAIT));
    }

    @Test
    void shouldRemoveEverythingWrittenWhenAborted() throws Exception {
        int chunk = (int) config.chunkSize().asLongValue();
        FileSink sink = store.create(owner, "text/plain", inAnHour());
        sink.write(randomBytes(chunk + 1));
        sink.abort();
        sink.abort();

        assertEquals(0, ServicesResource.number("SELECT count(*) FROM stored_file WHERE id = ?", sink.id()));
        assertEquals(0, StoredContent.of(store, sink.id()));
        assertThrows(IOException.class, () -> sink.write(1));
    }

    @Test
    void shouldRemoveACompleteFileWhenAbortedAfterClose() throws Exception {
        FileSink sink = store.create(owner, "text/plain", inAnHour());
        sink.write(randomBytes(10));
        sink.close();
        sink.abort();

        assertNull(store.find(sink.id()).await().atMost(WAIT));
        assertEquals(0, ServicesResource.number("SELECT count(*) FROM stored_file WHERE id = ?", sink.id()));
        assertEquals(0, StoredContent.of(store, sink.id()));
    }

    @Test
    void shouldStoreAnEmptyFile() throws Exception {
        FileSink sink = store.create(owner, "text/plain", inAnHour());
        sink.close();
        StoredFile file = store.find(sink.id()).await().atMost(WAIT);
        assertEquals(0, file.size());
        assertEquals(sha256(new byte[0]), file.sha256());
        try (InputStream in = store.open(file)) {
            assertEquals(-1, in.read());
        }
        assertTrue(store.content(file).collect().asList().await().atMost(WAIT).stream().allMatch(b -> b.length() == 0));
    }

    @Test
    void shouldNotServeAnExpiredFile() throws Exception {
        FileSink sink = store.create(owner, "text/plain", OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1));
        sink.write(1);
        sink.close();
        assertNull(store.find(sink.id()).await().atMost(WAIT));
    }

    @Test
    void shouldKeepTheNameAFileWasCreatedWith() throws Exception {
        FileSink sink = store.create(owner, "résumé 2024.pdf", "application/pdf", inAnHour());
        sink.write(randomBytes(100));
        sink.close();
        StoredFile file = store.find(sink.id()).await().atMost(WAIT);
        assertEquals("résumé 2024.pdf", file.name());
        assertEquals("application/pdf", file.contentType());
    }

    @Test
    void shouldDeleteAFileAndItsContent() throws Exception {
        FileSink sink = store.create(owner, "gone.bin", "application/octet-stream", inAnHour());
        sink.write(randomBytes(5000));
        sink.close();

        assertTrue(store.delete(sink.id()));
        assertFalse(store.delete(sink.id()), "the second delete finds nothing");
        assertNull(store.find(sink.id()).await().atMost(WAIT));
        assertEquals(0, StoredContent.of(store, sink.id()));
    }

    @Test
    void shouldListAnOwnersCompleteFilesNewestFirst() throws Exception {
        UUID[] ids = new UUID[3];
        for (int i = 0; i < ids.length; i++) {
            FileSink sink = store.create(owner, "file-" + i, "text/plain", inAnHour());
            sink.write(i);
            sink.close();
            ids[i] = sink.id();
        }
        FileSink unfinished = store.create(owner, "unfinished", "text/plain", inAnHour());
        unfinished.write(1);
        FileSink someoneElses = store.create("other-" + UUID.randomUUID(), "theirs", "text/plain", inAnHour());
        someoneElses.close();

        List<StoredFile> firstTwo = store.list(owner, 0, 2).await().atMost(WAIT);
        List<StoredFile> rest = store.list(owner, 2, 2).await().atMost(WAIT);

        assertEquals(List.of(ids[2], ids[1]), firstTwo.stream().map(StoredFile::id).toList());
        assertEquals(List.of(ids[0]), rest.stream().map(StoredFile::id).toList());
        assertTrue(store.list(null, 0, 1000).await().atMost(WAIT).stream()
                .anyMatch(f -> f.id().equals(someoneElses.id())), "everyone's, for admins");
        unfinished.abort();
    }
}
