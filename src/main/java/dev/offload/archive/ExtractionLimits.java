package dev.offload.archive;

/**
 * How much an archive being read may hold.
 *
 * @param maxEntries    entries of any type (directories too); default 100,000
 * @param maxTotalBytes uncompressed content of all entries, counted as read; default 10 GiB
 * @param maxRatio      uncompressed bytes per compressed byte, counted as read: per entry in a zip, over the
 *                      whole stream in a compressed tar (its compressor knows no entries); default 200
 * @param ratioGrace    uncompressed bytes an entry (or stream) may reach before the ratio is judged, so a small
 *                      file of zeros is not a bomb; default 1 MiB
 */
public record ExtractionLimits(long maxEntries, long maxTotalBytes, double maxRatio, long ratioGrace) {

    public static final ExtractionLimits DEFAULT = new ExtractionLimits(100_000, 10L << 30, 200, 1 << 20);

    /**
     * For reading back an archive this service wrote itself: its content may be as large and as compressible as
     * its sources were (a file of zeros is no bomb there). Paths and entry types are still checked.
     */
    public static final ExtractionLimits OWN_ARCHIVE = new ExtractionLimits(1L << 31, 1L << 60, Double.MAX_VALUE,
            Long.MAX_VALUE);

    public ExtractionLimits {
        if (maxEntries < 0 || maxTotalBytes < 0 || maxRatio < 1 || ratioGrace < 0) {
            throw new IllegalArgumentException("limits must be positive, and the ratio at least 1");
        }
    }

    public ExtractionLimits withMaxEntries(long value) {
        return new ExtractionLimits(value, maxTotalBytes, maxRatio, ratioGrace);
    }

    public ExtractionLimits withMaxTotalBytes(long value) {
        return new ExtractionLimits(maxEntries, value, maxRatio, ratioGrace);
    }

    public ExtractionLimits withMaxRatio(double value) {
        return new ExtractionLimits(maxEntries, maxTotalBytes, value, ratioGrace);
    }
}
