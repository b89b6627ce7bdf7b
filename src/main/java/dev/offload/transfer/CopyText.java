package dev.offload.transfer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rows in PostgreSQL's COPY text format, gathered in a reusable byte buffer: tab between fields, a newline
 * after each row, {@code \N} for NULL, backslash, tab, newline and carriage return escaped.
 */
final class CopyText {

    private byte[] bytes = new byte[256 * 1024];
    private int size;

    void number(long value) {
        text(Long.toString(value));
    }

    void tab() {
        put((byte) '\t');
    }

    void end() {
        put((byte) '\n');
    }

    void field(String value) {
        if (value == null) {
            put((byte) '\\');
            put((byte) 'N');
            return;
        }
        text(value);
    }

    private void text(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> {
                        put((byte) '\\');
                        put((byte) '\\');
                    }
                    case '\t' -> {
                        put((byte) '\\');
                        put((byte) 't');
                    }
                    case '\n' -> {
                        put((byte) '\\');
                        put((byte) 'n');
                    }
                    case '\r' -> {
                        put((byte) '\\');
                        put((byte) 'r');
                    }
                    default -> put((byte) c);
                }
            } else {
                int end = i + 1;
                while (end < value.length() && value.charAt(end) >= 0x80) {
                    end++;
                }
                byte[] encoded = value.substring(i, end).getBytes(StandardCharsets.UTF_8);
                ensure(encoded.length);
                System.arraycopy(encoded, 0, bytes, size, encoded.length);
                size += encoded.length;
                i = end - 1;
            }
        }
    }

    private void put(byte b) {
        if (size == bytes.length) {
            ensure(1);
        }
        bytes[size++] = b;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    int size() {
        return size;
    }

    byte[] bytes() {
        return bytes;
    }

    void clear() {
        size = 0;
    }
}
