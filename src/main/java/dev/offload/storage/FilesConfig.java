package dev.offload.storage;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The files API ({@code OFFLOAD_FILES_MAX_SIZE}, {@code OFFLOAD_FILES_EXPIRE_AFTER}). */
@ConfigMapping(prefix = "offload.files")
public interface FilesConfig {

    /** Largest upload accepted; a larger one is answered 413 and nothing of it is kept. */
    @WithDefault("1G")
    MemorySize maxSize();

    /** How long an upload is kept; {@code cleanup} then deletes it. */
    @WithDefault("7d")
    Duration expireAfter();
}
