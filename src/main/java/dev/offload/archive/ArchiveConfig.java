package dev.offload.archive;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Archive settings ({@code OFFLOAD_ARCHIVES_THREADS}, ...). */
@ConfigMapping(prefix = "offload.archives")
public interface ArchiveConfig {

    /** Compression threads shared by every archive of this process; 0: one per core, 1: compress on the job's own thread. */
    @WithDefault("0")
    int threads();

    /** How long an archive is kept: {@code cleanup} deletes older ones (its {@code --archives-older-than} wins). */
    @WithDefault("7d")
    java.time.Duration keep();

    /**
     * The roles an archive may be created in ({@code created_by_role}, devilry's): one of the caller's token
     * groups among these.
     */
    @WithDefault("student,examiner,admin")
    java.util.List<String> roles();

    /** Extraction: most entries an archive may hold. */
    @WithDefault("100000")
    long maxEntries();

    /** Extraction: most uncompressed bytes an archive may hold. */
    @WithDefault("10G")
    io.quarkus.runtime.configuration.MemorySize maxTotalSize();

    /** Extraction: highest ratio of uncompressed to compressed bytes (a higher one is a bomb). */
    @WithDefault("200")
    double maxRatio();
}
