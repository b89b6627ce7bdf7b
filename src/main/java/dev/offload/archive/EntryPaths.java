package dev.offload.archive;

import java.nio.charset.StandardCharsets;

/**
 * The rules an entry's path obeys, in an archive we write and in one we read: relative, normalised, printable,
 * short enough, so that no tool extracting it can write outside its root (zip-slip) or be confused by it.
 */
public final class EntryPaths {

    /** Longest path accepted, in bytes of UTF-8 (tar's PAX headers and zip take more; file systems rarely do). */
    public static final int MAX_BYTES = 1024;

    private EntryPaths() {
    }

    /**
     * Checks one path of a regular file: throws {@link InvalidEntryPathException} naming the entry unless it is
     * relative ({@code a/b.txt}, not {@code /a}, {@code C:/a} or {@code C:a}), has no {@code .}, {@code ..} or
     * empty segment, no backslash, no NUL or other control character and at most {@link #MAX_BYTES} bytes.
     *
     * @return the path, unchanged
     */
    public static String check(String path) {
        String problem = problem(path);
        if (problem != null) {
            throw new InvalidEntryPathException(path, problem);
        }
        return path;
    }

    /** What is wrong with {@code path}, or null when nothing is. */
    public static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "is empty";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == 0) {
                return "contains a NUL character";
            }
            if (Character.getType(c) == Character.CONTROL) {
                return "contains a control character (U+" + String.format("%04X", (int) c) + ")";
            }
            if (c == '\\') {
                return "contains a backslash";
            }
            if (Character.isSurrogate(c) && !validSurrogate(path, i)) {
                return "is not valid Unicode";
            }
        }
        if (path.startsWith("/")) {
            return "is absolute";
        }
        if (path.length() >= 2 && path.charAt(1) == ':' && isAsciiLetter(path.charAt(0))) {
            return "starts with a drive letter";
        }
        int bytes = path.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return "is longer than " + MAX_BYTES + " bytes in UTF-8 (" + bytes + ")";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return "has an empty segment";
            }
            if (segment.equals("..")) {
                return "has a '..' segment";
            }
            if (segment.equals(".")) {
                return "has a '.' segment";
            }
        }
        return null;
    }

    /** How an entry is named in a message: quoted, with control characters escaped so a log line stays one line. */
    public static String quote(String path) {
        if (path == null) {
            return "(no name)";
        }
        StringBuilder quoted = new StringBuilder(Math.min(path.length(), 200) + 2).append('\'');
        for (int i = 0; i < path.length() && quoted.length() < 200; i++) {
            char c = path.charAt(i);
            if (Character.getType(c) == Character.CONTROL) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        if (quoted.length() >= 200) {
            quoted.append("...");
        }
        return quoted.append('\'').toString();
    }

    private static boolean validSurrogate(String path, int i) {
        char c = path.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < path.length() && Character.isLowSurrogate(path.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(path.charAt(i - 1));
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
