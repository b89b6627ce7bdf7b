package dev.offload.tabular;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Text straight into bytes, for the writers of large files: ASCII is copied as is, the rest encoded as UTF-8;
 * {@link #text} escapes XML markup and drops characters XML 1.0 forbids. Much of a large file's time is
 * here, so it avoids every allocation.
 */
final class TextBytes {

    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private int position;

    TextBytes(OutputStream out) {
        this.out = out;
    }

    /** Markup known to need no escaping: ASCII only. */
    @SuppressWarnings("deprecation") // the low-byte copy is exactly right for ASCII, and a plain array copy
    TextBytes raw(String ascii) throws IOException {
        int length = ascii.length();
        if (position + length > buffer.length) {
            flush();
            if (length > buffer.length) {
                out.write(ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                return this;
            }
        }
        ascii.getBytes(0, length, buffer, position);
        position += length;
        return this;
    }

    /** Bytes as they are (pre-encoded markup). */
    TextBytes raw(byte[] bytes) throws IOException {
        return raw(bytes, bytes.length);
    }

    TextBytes raw(byte[] bytes, int length) throws IOException {
        if (position + length > buffer.length) {
            flush();
            if (length > buffer.length) {
                out.write(bytes, 0, length);
                return this;
            }
        }
        System.arraycopy(bytes, 0, buffer, position, length);
        position += length;
        return this;
    }

    /** Writes the decimal digits of a non-negative {@code n} into {@code into}; returns how many. */
    static int digits(long n, byte[] into) {
        int length = 1;
        for (long rest = n / 10; rest > 0; rest /= 10) {
            length++;
        }
        for (int i = length - 1; i >= 0; i--) {
            into[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        return length;
    }

    TextBytes raw(char c) throws IOException {
        if (position == buffer.length) {
            flush();
        }
        buffer[position++] = (byte) c;
        return this;
    }

    TextBytes number(long n) throws IOException {
        if (position + 20 > buffer.length) {
            flush();
        }
        if (n < 0) {
            if (n == Long.MIN_VALUE) {
                return raw(Long.toString(n));
            }
            buffer[position++] = '-';
            n = -n;
        }
        if (n < 10) {
            buffer[position++] = (byte) ('0' + n);
            return this;
        }
        int length = 1;
        for (long rest = n / 10; rest > 0; rest /= 10) {
            length++;
        }
        for (int i = position + length - 1; i >= position; i--) {
            buffer[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        position += length;
        return this;
    }

    /** {@code units / 10^scale} in plain decimal notation, trailing zeros of the fraction dropped. */
    TextBytes decimal(long units, int scale) throws IOException {
        if (units < 0) {
            raw('-');
            units = -units;
        }
        long divisor = 1;
        for (int i = 0; i < scale; i++) {
            divisor *= 10;
        }
        number(units / divisor);
        long fraction = units % divisor;
        if (fraction == 0) {
            return this;
        }
        int digits = scale;
        while (fraction % 10 == 0) {
            fraction /= 10;
            digits--;
        }
        raw('.');
        for (long d = pow10(digits - 1); d > 0; d /= 10) {
            raw((char) ('0' + fraction / d % 10));
        }
        return this;
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    /** Text as it is, UTF-8 encoded. */
    TextBytes utf8(String value) throws IOException {
        int length = value.length();
        if (isAscii(value)) {
            return raw(value);
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                if (position == buffer.length) {
                    flush();
                }
                buffer[position++] = (byte) c;
            } else {
                flush();
                int end = i;
                while (end < length && value.charAt(end) >= 0x80) {
                    end++;
                }
                out.write(value.substring(i, end).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        return this;
    }

    static boolean isAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** XML character data, escaped. */
    TextBytes text(String value) throws IOException {
        int length = value.length();
        if (needsNoEscape(value)) {
            return raw(value);
        }
        for (int i = 0; i < length; i++) {
            if (position + 8 > buffer.length) {
                flush();
            }
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x80) {
                switch (c) {
                    case '<' -> put("&lt;");
                    case '>' -> put("&gt;");
                    case '&' -> put("&amp;");
                    case '"' -> put("&quot;");
                    default -> buffer[position++] = (byte) c;
                }
            } else if (c == '\t' || c == '\n') {
                buffer[position++] = (byte) c;
            } else if (c == '\r') {
                put("&#13;");
            } else if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
                continue;
            } else if (c < 0x800) {
                buffer[position++] = (byte) (0xC0 | c >> 6);
                buffer[position++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                buffer[position++] = (byte) (0xF0 | cp >> 18);
                buffer[position++] = (byte) (0x80 | cp >> 12 & 0x3F);
                buffer[position++] = (byte) (0x80 | cp >> 6 & 0x3F);
                buffer[position++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                continue;
            } else {
                buffer[position++] = (byte) (0xE0 | c >> 12);
                buffer[position++] = (byte) (0x80 | c >> 6 & 0x3F);
                buffer[position++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return this;
    }

    /** Plain printable ASCII without markup characters: copied as is. */
    private static boolean needsNoEscape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '<' || c == '>' || c == '&' || c == '"') {
                return false;
            }
        }
        return true;
    }

    private void put(String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            buffer[position++] = (byte) ascii.charAt(i);
        }
    }

    void flush() throws IOException {
        if (position > 0) {
            out.write(buffer, 0, position);
            position = 0;
        }
    }
}
