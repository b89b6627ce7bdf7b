package dev.offload.storage;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/** Deletes stored files past their expiry, with their chunks; a job that had one as its result keeps none. */
@ApplicationScoped
public class ExpiredFiles implements CleanupStep {

    private final FileStore store;

    public ExpiredFiles(FileStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "expired files";
    }

    @Override
    public int order() {
        return 1000;
    }

    @Override
    public long run(OffsetDateTime now) {
        return store.deleteExpired(now);
    }
}
