package dev.offload.storage;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/** The one {@link FileStore} of the process, chosen by {@code offload.storage.backend} when it starts. */
@ApplicationScoped
public class FileStores {

    private static final Logger LOG = Logger.getLogger(FileStores.class);
    static final String PG = "pg";
    static final String DIR = "dir:";

    @Produces
    @Singleton
    FileStore fileStore(Pool pool, Vertx vertx, StorageConfig config) {
        FileStore store = of(config.backend(), pool, vertx, config);
        LOG.debugf("file store: %s", config.backend());
        return store;
    }

    /** A misconfigured store stops the process at start, not at its first upload. */
    void checkAtStart(@Observes StartupEvent event, FileStore store) {
        LOG.debugf("file store ready: %s", store.getClass().getSimpleName());
    }

    static FileStore of(String backend, Pool pool, Vertx vertx, StorageConfig config) {
        String value = backend.trim();
        if (value.equals(PG)) {
            return new PgFileStore(pool, config);
        }
        if (value.startsWith(DIR) && !value.substring(DIR.length()).isBlank()) {
            return new DirFileStore(directory(value.substring(DIR.length()).trim()), pool, vertx, config);
        }
        throw new IllegalStateException("offload.storage.backend (OFFLOAD_STORAGE) is '" + backend
                + "': it must be 'pg' or 'dir:' followed by a directory, such as dir:/var/lib/offload/files");
    }

    private static Path directory(String path) {
        Path root = Path.of(path).toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("the file store's directory " + root + " cannot be created", e);
        }
        if (!Files.isDirectory(root) || !Files.isWritable(root)) {
            throw new IllegalStateException("the file store's directory " + root + " is not a writable directory");
        }
        return root;
    }
}
