package dev.offload.archive;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Archive settings ({@code OFFLOAD_ARCHIVES_THREADS}, ...). */
@ConfigMapping(prefix = "offload.archives")
public interface ArchiveConfig {

    /** Compression threads shared by every archive of this process; 0: one per core, 1: compress on the job's own thread. */
    @WithDefault("0")
    int threads();
}
