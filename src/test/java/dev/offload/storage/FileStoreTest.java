package dev.offload.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

/** The PostgreSQL store: chunked writes, reads back byte for byte, nothing readable before it is complete. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class FileStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    FileStore store;

    @Inject
    StorageConfig config;

    private final String owner = "owner-" + UUID.randomUUID();

    private static OffsetDateTime inAnHour() {
        return OffsetDateTime.now(ZoneOffset.UTC).plusHours(1);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
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
        assertEquals(3, file.chunks());
        assertEquals(owner, file.owner());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected)), file.sha256());
        assertEquals(3, ServicesResource.number("SELECT count(*) FROM stored_file_chunk WHERE file_id = ?", file.id()));
        try (InputStream in = store.open(file)) {
            assertArrayEquals(expected, in.readAllBytes());
        }
        List<Buffer> chunks = store.content(file).collect().asList().await().atMost(WAIT);
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        for (Buffer b : chunks) {
            streamed.write(b.getBytes());
        }
        assertArrayEquals(expected, streamed.toByteArray());
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
        assertEquals(0, ServicesResource.number("SELECT count(*) FROM stored_file_chunk WHERE file_id = ?", sink.id()));
        assertThrows(IOException.class, () -> sink.write(1));
    }

    @Test
    void shouldStoreAnEmptyFile() throws Exception {
        FileSink sink = store.create(owner, "text/plain", inAnHour());
        sink.close();
        StoredFile file = store.find(sink.id()).await().atMost(WAIT);
        assertEquals(0, file.size());
        try (InputStream in = store.open(file)) {
            assertEquals(-1, in.read());
        }
    }

    @Test
    void shouldNotServeAnExpiredFile() throws Exception {
        FileSink sink = store.create(owner, "text/plain", OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1));
        sink.write(1);
        sink.close();
        assertNull(store.find(sink.id()).await().atMost(WAIT));
    }
}
