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

    /**
     * Which writer makes xlsx files: {@code streaming} (the workbook's XML written straight into the zip) or
     * {@code poi} (Apache POI's streaming workbook); the benchmark measures both.
     */
    @WithDefault("streaming")
    XlsxWriter xlsxWriter();

    /** Rows fetched from the database per round trip while a report streams a table. */
    @WithDefault("10000")
    int fetchSize();
}
