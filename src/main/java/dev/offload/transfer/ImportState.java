package dev.offload.transfer;

import java.util.Locale;

/**
 * The states of an import, as django-import-export-extensions has them: {@code created → parsing → parsed |
 * input_error | parse_error}; {@code parsed → import_confirmed → importing → imported | import_error}; and
 * {@code cancelled}.
 */
public enum ImportState {
    CREATED, PARSING, PARSED, INPUT_ERROR, PARSE_ERROR, IMPORT_CONFIRMED, IMPORTING, IMPORTED, IMPORT_ERROR, CANCELLED;

    /** The name in the job row, the workflow and the API. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
