package dev.offload.report;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Report settings ({@code OFFLOAD_REPORTS_EXPIRE_AFTER}, ...). */
@ConfigMapping(prefix = "offload.reports")
public interface ReportConfig {

    /** How long a finished report's result stays downloadable; {@code cleanup} then deletes it. */
    @WithDefault("7d")
    Duration expireAfter();

    /** Rows fetched from the database per round trip while a report streams a table. */
    @WithDefault("10000")
    int fetchSize();
}
