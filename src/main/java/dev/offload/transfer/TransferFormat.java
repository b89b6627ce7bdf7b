package dev.offload.transfer;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The file formats of imports and exports. */
public enum TransferFormat {
    CSV("csv", "text/csv; charset=utf-8"),
    TSV("tsv", "text/tab-separated-values; charset=utf-8"),
    JSON("json", "application/json"),
    XLSX("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private final String extension;
    private final String contentType;

    TransferFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** The field separator of an exported CSV or TSV file. */
    public char delimiter() {
        return this == TSV ? '\t' : ',';
    }

    public static Optional<TransferFormat> of(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(f -> f.value().equalsIgnoreCase(name.strip())).findFirst();
    }

    /** The format a file's name says ({@code .csv}, {@code .tsv} or {@code .tab}, {@code .json}, {@code .xlsx}). */
    public static Optional<TransferFormat> fromFilename(String filename) {
        if (filename == null || filename.lastIndexOf('.') < 0) {
            return Optional.empty();
        }
        String ext = filename.substring(filename.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return ext.equals("tab") ? Optional.of(TSV) : of(ext);
    }

    public static String names() {
        return Arrays.stream(values()).map(TransferFormat::value).collect(Collectors.joining(", "));
    }
}
