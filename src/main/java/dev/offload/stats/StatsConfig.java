package dev.offload.stats;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The gather-stats command's settings, so a CronJob needs no arguments: OFFLOAD_STATS_ENDPOINTS,
 * OFFLOAD_STATS_HEADERS, OFFLOAD_STATS_TIMEOUT, ... A command-line option replaces its setting.
 */
@ConfigMapping(prefix = "offload.stats")
public interface StatsConfig {

    /** The endpoints a run fetches, comma-separated, when no {@code --endpoint} is given. */
    Optional<List<String>> endpoints();

    /** Headers sent with every fetch, each {@code Name: value}, comma-separated (a comma inside a value as {@code \,}). */
    Optional<List<String>> headers();

    /** The longest one fetch may take, from connecting to the last byte of the body. */
    @WithDefault("10s")
    Duration timeout();

    /** The largest body accepted. */
    @WithDefault("16M")
    MemorySize maxBodySize();

    /** The deepest nesting of objects and arrays accepted; the root object is level 1. */
    @WithDefault("64")
    int maxDepth();

    /** Redirects followed before a fetch fails. */
    @WithDefault("5")
    int maxRedirects();

    /**
     * Fetch times are rounded down to a multiple of this, so a CronJob that starts twice for one
     * schedule stores its fetch once; {@code 0s} keeps the time to the microsecond.
     */
    @WithDefault("1m")
    Duration fetchedAtPrecision();
}
