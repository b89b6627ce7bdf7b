package dev.offload.storage;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where results and uploads are kept ({@code OFFLOAD_STORAGE}, {@code OFFLOAD_STORAGE_CHUNK_SIZE}, ...). */
@ConfigMapping(prefix = "offload.storage")
public interface StorageConfig {

    /**
     * Where file content goes ({@code OFFLOAD_STORAGE}): {@code pg}, chunks in PostgreSQL; or {@code dir:/some/path},
     * one file per stored file under that directory (a volume every pod mounts). The metadata is in PostgreSQL
     * either way.
     */
    @WithDefault("pg")
    String backend();

    /**
     * Size of one stored chunk: a writer holds three of them in memory (one filling, two being inserted),
     * a download one at a time.
     */
    @WithDefault("1M")
    MemorySize chunkSize();

    /** Expired files deleted per statement by {@code cleanup}, so no transaction grows without bound. */
    @WithDefault("100")
    int cleanupBatch();
}
