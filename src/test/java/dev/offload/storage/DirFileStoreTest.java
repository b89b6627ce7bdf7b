package dev.offload.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link FileStoreTest} on the directory store, and what only it does: a temporary name, PostgreSQL's old files. */
@QuarkusTest
@TestProfile(DirStorage.class)
class DirFileStoreTest extends FileStoreTest {

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Override
    @Test
    void shouldBeTheStoreTheConfigurationNames() {
        DirFileStore dir = assertInstanceOf(DirFileStore.class, store);
        assertEquals(DirStorage.ROOT, dir.root());
    }

    /** One file under the directory, no chunks. */
    @Override
    void assertStoredWhereTheStoreKeepsContent(StoredFile file) {
        Path path = ((DirFileStore) store).path(file.id());
        assertEquals(0, file.chunks());
        assertTrue(Files.isRegularFile(path), path + " holds the content");
        assertEquals(DirStorage.ROOT, path.getParent().getParent(), "under a directory named for the id's first digits");
        assertEquals(1, StoredContent.of(store, file.id()), "and nothing else: the temporary file was renamed");
    }

    @Test
    void shouldWriteUnderATemporaryNameUntilComplete() throws Exception {
        FileSink sink = store.create(owner, "x.bin", "application/octet-stream", inAnHour());
        sink.write(randomBytes(100_000));
        Path path = ((DirFileStore) store).path(sink.id());
        assertFalse(Files.exists(path), "no file under the final name before it is complete");
        assertEquals(1, StoredContent.of(store, sink.id()), "the temporary one");
        sink.close();
        assertEquals(100_000, Files.size(path));
    }

    @Test
    void shouldStillReadAFileWrittenToPostgreSqlBeforeTheSwitch() throws Exception {
        byte[] content = randomBytes((int) config.chunkSize().asLongValue() + 10);
        FileSink sink = new PgFileStore(pool, config).create(owner, "before.bin", "application/octet-stream", inAnHour());
        sink.write(content);
        sink.close();

        StoredFile file = store.find(sink.id()).await().atMost(WAIT);
        try (InputStream in = store.open(file)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertEquals(content.length, store.content(file).collect().asList().await().atMost(WAIT).stream()
                .mapToInt(b -> b.length()).sum());
        assertTrue(store.delete(file.id()));
        assertEquals(0, dev.offload.support.ServicesResource.number(
                "SELECT count(*) FROM stored_file_chunk WHERE file_id = ?", file.id()));
    }

    @Test
    void shouldNotLetThePostgreSqlStoreServeAFileOnTheDirectory() throws Exception {
        FileSink sink = store.create(owner, "here.bin", "application/octet-stream", inAnHour());
        sink.write(randomBytes(10));
        sink.close();
        assertNull(new PgFileStore(pool, config).find(sink.id()).await().atMost(WAIT),
                "a store that cannot read the content does not claim the file");
    }

    @Test
    void shouldRefuseABackendItDoesNotKnow() {
        assertThrows(IllegalStateException.class, () -> FileStores.of("s3://bucket", pool, vertx, config));
        assertThrows(IllegalStateException.class, () -> FileStores.of("dir:", pool, vertx, config));
        assertInstanceOf(PgFileStore.class, FileStores.of("pg", pool, vertx, config));
    }
}
