package dev.offload.tabular;

/**
 * Keeps text text: a spreadsheet treats a cell starting with {@code = + - @}, a tab or a carriage return as a
 * formula (CSV injection), so such strings are marked as text — a quote-prefixed cell in xlsx, a leading
 * apostrophe in csv.
 */
public final class SpreadsheetText {

    /** Longest text a spreadsheet cell holds. */
    public static final int MAX_CELL_LENGTH = 32_767;

    private SpreadsheetText() {
    }

    public static boolean looksLikeFormula(String value) {
        if (value.isEmpty()) {
            return false;
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    }

    /**
     * The text as a field of delimited text ({@code separator} between fields): apostrophe before a
     * formula-like start, quoted when it holds the separator, a quote or a line break.
     */
    static void appendCsv(TextBytes out, String value, char separator) throws java.io.IOException {
        if (isPlain(value, separator)) {
            out.raw(value);
            return;
        }
        boolean formula = looksLikeFormula(value);
        boolean quote = formula && (value.charAt(0) == '\t' || value.charAt(0) == '\r');
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == separator || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            if (formula) {
                out.raw('\'');
            }
            out.utf8(value);
            return;
        }
        out.raw('"');
        if (formula) {
            out.raw('\'');
        }
        out.utf8(value.replace("\"", "\"\""));
        out.raw('"');
    }

    /** Printable ASCII without separators, quotes or a formula-like start: written as it is. */
    private static boolean isPlain(String value, char separator) {
        if (looksLikeFormula(value)) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == separator || c == '"') {
                return false;
            }
        }
        return true;
    }

    public static String truncate(String value) {
        return value.length() <= MAX_CELL_LENGTH ? value : value.substring(0, MAX_CELL_LENGTH - 1) + "…";
    }
}
