package dev.offload.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.Commands;
import dev.offload.support.ServicesResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code offload cleanup}: expired files go, with their content; the others stay (PostgreSQL; and a directory, in a subclass). */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class CleanupCommandTest {

    @Inject
    FileStore store;

    @Inject
    CleanupCommand cleanup;

    private final String owner = "owner-" + UUID.randomUUID();

    private UUID file(OffsetDateTime expiresAt, boolean complete) throws Exception {
        FileSink sink = store.create(owner, "text/plain", expiresAt);
        sink.write("some bytes".getBytes(StandardCharsets.UTF_8));
        if (complete) {
            sink.close();
        } else {
            sink.flush();
        }
        return sink.id();
    }

    private static long files(UUID id) {
        return ServicesResource.number("SELECT count(*) FROM stored_file WHERE id = ?", id);
    }

    @Test
    void shouldDeleteExpiredFilesAndTheirChunksAndKeepTheRest() throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        UUID expired = file(now.minusMinutes(1), true);
        UUID abandoned = file(now.minusMinutes(1), false);
        UUID fresh = file(now.plusDays(1), true);
        StringWriter out = new StringWriter();

        int status = cleanup.run(now, new PrintWriter(out, true), new PrintWriter(System.err, true));

        assertEquals(0, status);
        assertEquals(0, files(expired));
        assertEquals(0, files(abandoned), "an incomplete file past its expiry goes too");
        assertEquals(0, StoredContent.of(store, expired));
        assertEquals(0, StoredContent.of(store, abandoned));
        assertEquals(1, files(fresh));
        assertEquals(1, StoredContent.of(store, fresh));
        assertTrue(out.toString().matches("(?s)(cleanup: [^\n]+: \\d+ removed\\s*)*cleanup: expired files: \\d+ removed\\s*"),
                out.toString());
    }

    @Test
    void shouldRunAsTheCommandNamedCleanupAndTakeNoArguments() throws Exception {
        UUID expired = file(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1), true);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        assertEquals(0, Commands.runInApplication(new PrintWriter(out, true), new PrintWriter(err, true), "cleanup"), err.toString());
        assertEquals(0, files(expired));
        assertTrue(out.toString().contains("cleanup: expired files: "), out.toString());

        StringWriter refused = new StringWriter();
        assertEquals(2, Commands.runInApplication(new PrintWriter(out, true), new PrintWriter(refused, true), "cleanup", "--now"),
                "it takes no arguments");
        assertTrue(refused.toString().startsWith("Unknown option: '--now'"), refused.toString());
    }
}
