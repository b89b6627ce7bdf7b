package dev.offload.report;

import org.eclipse.microprofile.config.ConfigProvider;

/** Which code writes xlsx workbooks: both give the same workbook; the benchmark compares their speed. */
public enum XlsxWriter {
    /** The workbook's parts written straight into the zip stream (the default: the faster, see README). */
    STREAMING,
    /** Apache POI's streaming workbook (SXSSF), through temporary files. */
    POI;

    /** The configuration key, mapped (and documented) by {@link ReportConfig#xlsxWriter()}. */
    public static final String KEY = "offload.reports.xlsx-writer";

    /** The configured writer; outside a running service (a plain unit test), the default. */
    static XlsxWriter configured() {
        try {
            return ConfigProvider.getConfig().getOptionalValue(KEY, String.class)
                    .map(value -> XlsxWriter.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT)))
                    .orElse(STREAMING);
        } catch (IllegalStateException noConfig) {
            return STREAMING;
        }
    }
}
