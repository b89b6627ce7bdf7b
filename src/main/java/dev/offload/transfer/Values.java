package dev.offload.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.transfer.formats.Cell;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The input rules: a value of a file, checked against its column and turned into the text PostgreSQL reads
 * back exactly ({@code COPY}'s input), or refused with the reason. Text is kept verbatim; numbers are never
 * rounded; dates must exist; timestamps need an offset unless the resource declares a zone.
 */
public final class Values {

    /** A value its column refuses; the message says why, without the column's name. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    private static final Pattern TIMESTAMP = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?)(Z|z|[+-]\\d{2}(?::?\\d{2}(?::?\\d{2})?)?)?");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final BigDecimal SMALLINT_MIN = BigDecimal.valueOf(Short.MIN_VALUE);
    private static final BigDecimal SMALLINT_MAX = BigDecimal.valueOf(Short.MAX_VALUE);
    private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal BIGINT_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal BIGINT_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Values() {
    }

    /**
     * The value as PostgreSQL's input text for {@code column}, or null for NULL.
     *
     * @param zone the zone of timestamps without an offset, if the resource has one
     */
    public static String convert(ResourceColumn column, Object value, Optional<ZoneId> zone) throws Refused {
        if (value == null) {
            if (column.notNull() || column.key()) {
                throw new Refused("is required");
            }
            return null;
        }
        return switch (column.type()) {
            case TEXT -> text(column, value);
            case BOOLEAN -> bool(value);
            case SMALLINT -> integer(value, SMALLINT_MIN, SMALLINT_MAX);
            case INTEGER -> integer(value, INT_MIN, INT_MAX);
            case BIGINT -> integer(value, BIGINT_MIN, BIGINT_MAX);
            case NUMERIC -> numeric(column, value);
            case REAL, DOUBLE -> floating(column, value);
            case DATE -> date(value);
            case TIMESTAMP -> timestamp(value, zone, false);
            case TIMESTAMPTZ -> timestamp(value, zone, true);
            case UUID -> uuid(value);
            case JSON -> json(value);
            case OTHER -> throw new Refused("is of type " + column.sqlType() + ", which an import cannot write");
        };
    }

    static String text(ResourceColumn column, Object value) throws Refused {
        if (!(value instanceof String s)) {
            throw new Refused("must be a string");
        }
        checkCharacters(s);
        if (column.maxLength() > 0) {
            int length = s.codePointCount(0, s.length());
            if (length > column.maxLength()) {
                throw new Refused("is " + length + " characters long, longer than " + column.maxLength());
            }
        }
        return s;
    }

    /** Refuses NUL, lone surrogates and C0 controls other than TAB, LF and CR. */
    static void checkCharacters(String s) throws Refused {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                throw new Refused(String.format(Locale.ROOT, "contains the control character U+%04X at character %d",
                        (int) c, s.codePointCount(0, i) + 1));
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new Refused(String.format(Locale.ROOT, "contains a lone surrogate U+%04X", (int) c));
            }
        }
    }

    static String bool(Object value) throws Refused {
        if (value instanceof Boolean b) {
            return b ? "t" : "f";
        }
        if (!(value instanceof String s)) {
            throw new Refused("must be a boolean (true/false, t/f, yes/no, 1/0)");
        }
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "t", "yes", "1" -> "t";
            case "false", "f", "no", "0" -> "f";
            default -> throw new Refused("is not a boolean (true/false, t/f, yes/no, 1/0)");
        };
    }

    private static BigDecimal decimal(Object value) throws Refused {
        String s = numberText(value);
        if (!isNumber(s)) {
            throw new Refused("is not a number");
        }
        try {
            BigDecimal d = new BigDecimal(s);
            if (Math.abs((long) d.scale()) > 20_000) {
                throw new Refused("is out of range");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new Refused("is not a number");
        }
    }

    private static String numberText(Object value) throws Refused {
        if (value instanceof Cell.Number n) {
            return n.text();
        }
        if (value instanceof String text) {
            return text.strip();
        }
        throw new Refused("must be a number");
    }

    /** {@link #NUMBER}: the plain form ({@code [+-]digits[.digits]}, ASCII digits) checked without the regex. */
    private static boolean isNumber(String s) {
        int i = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
        boolean digit = false;
        boolean point = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == '.' && !point) {
                point = true;
            } else {
                return NUMBER.matcher(s).matches(); // an exponent, or no number
            }
        }
        return digit;
    }

    /** A whole number in plain form that fits a long: {@code [+-]} and at most 18 ASCII digits. */
    private static boolean isSmallWhole(String s) {
        int i = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
        if (i == s.length() || s.length() - i > 18) {
            return false;
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static String integer(Object value, BigDecimal min, BigDecimal max) throws Refused {
        if (value instanceof String text && isSmallWhole(text.strip())) { // the common case, without a BigDecimal
            long n = Long.parseLong(text.strip());
            if (n < min.longValue() || n > max.longValue()) {
                throw new Refused("is out of range (" + min + " to " + max + ")");
            }
            return Long.toString(n);
        }
        BigDecimal d = decimal(value);
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
            throw new Refused("is not a whole number");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new Refused("is out of range (" + min + " to " + max + ")");
        }
        BigInteger whole = d.toBigIntegerExact();
        return whole.toString();
    }

    static String numeric(ResourceColumn column, Object value) throws Refused {
        BigDecimal d = decimal(value);
        BigDecimal stripped = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        int scale = Math.max(0, stripped.scale());
        int integerDigits = Math.max(0, stripped.precision() - stripped.scale());
        if (column.precision() > 0) {
            if (scale > column.scale()) {
                throw new Refused("has " + scale + " digits after the point, more than " + column.scale()
                        + " (it would be rounded)");
            }
            if (integerDigits > column.precision() - column.scale()) {
                throw new Refused("has " + integerDigits + " digits before the point, more than "
                        + (column.precision() - column.scale()) + " (" + column.sqlType() + ")");
            }
        } else if (integerDigits > 131_072 || scale > 16_383) {
            throw new Refused("is out of range");
        }
        return stripped.scale() < 0 ? stripped.setScale(0).toPlainString() : stripped.toPlainString();
    }

    static String floating(ResourceColumn column, Object value) throws Refused {
        BigDecimal d = decimal(value);
        double x = d.doubleValue();
        if (Double.isInfinite(x) || (column.type() == ColumnType.REAL && Float.isInfinite((float) x))) {
            throw new Refused("is out of range");
        }
        return d.toString();
    }

    static String date(Object value) throws Refused {
        if (value instanceof Cell.Moment m) {
            if (!m.at().toLocalTime().equals(LocalTime.MIDNIGHT)) {
                throw new Refused("is a date cell with a time of day, not a date");
            }
            return m.at().toLocalDate().toString();
        }
        if (!(value instanceof String s)) {
            throw new Refused("must be a date as text (YYYY-MM-DD)");
        }
        try {
            String t = s.strip();
            if (t.length() != 10) {
                throw new DateTimeParseException("length", t, 0);
            }
            return LocalDate.parse(t).toString();
        } catch (DateTimeParseException e) {
            throw new Refused("is not a date that exists (YYYY-MM-DD)");
        }
    }

    static String timestamp(Object value, Optional<ZoneId> zone, boolean withZone) throws Refused {
        if (value instanceof Cell.Moment m) {
            // A date cell keeps no zone: it is read in the resource's zone, or as UTC (as exports write them).
            return withZone ? m.at().atZone(zone.orElse(ZoneOffset.UTC)).toOffsetDateTime().toString() : m.at().toString();
        }
        if (!(value instanceof String s)) {
            throw new Refused("must be a timestamp as text (ISO-8601 with an offset); a number is not a timestamp");
        }
        String t = s.strip();
        Matcher m = TIMESTAMP.matcher(t);
        if (!m.matches()) {
            throw new Refused("is not a timestamp (ISO-8601 or PostgreSQL's form, with an offset)");
        }
        LocalDateTime local;
        try {
            // The pattern has checked the digits and their places: read them as numbers, and let java.time say
            // whether the date and time exist.
            int d = m.start(1);
            int h = m.start(2);
            int end = m.end(2);
            int nanos = 0;
            if (end - h > 8) { // hh:mm:ss.f…
                for (int i = h + 9; i < h + 18; i++) {
                    nanos = nanos * 10 + (i < end ? t.charAt(i) - '0' : 0);
                }
            }
            local = LocalDateTime.of(digits(t, d, 4), digits(t, d + 5, 2), digits(t, d + 8, 2), digits(t, h, 2),
                    digits(t, h + 3, 2), end - h > 5 ? digits(t, h + 6, 2) : 0, nanos);
        } catch (DateTimeException e) {
            throw new Refused("is not a timestamp that exists");
        }
        String offset = m.group(3);
        if (offset == null) {
            if (!withZone) {
                return local.toString();
            }
            if (zone.isEmpty()) {
                throw new Refused("has no offset (add Z or +hh:mm; the resource declares no time zone)");
            }
            return local.atZone(zone.get()).toOffsetDateTime().toString();
        }
        ZoneOffset parsed;
        try {
            parsed = ZoneOffset.of(offset.equals("z") ? "Z" : offset);
        } catch (java.time.DateTimeException e) {
            throw new Refused("has an offset that does not exist: " + offset);
        }
        OffsetDateTime at = local.atOffset(parsed);
        if (withZone) {
            return at.toString();
        }
        if (zone.isEmpty()) {
            throw new Refused("has an offset, but the column holds local times and the resource declares no time zone");
        }
        return at.atZoneSameInstant(zone.get()).toLocalDateTime().toString();
    }

    /** The number the {@code count} ASCII digits at {@code from} of {@code s} write. */
    private static int digits(String s, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n;
    }

    static String uuid(Object value) throws Refused {
        if (!(value instanceof String s) || !UUID.matcher(s.strip()).matches()) {
            throw new Refused("is not a UUID");
        }
        return s.strip().toLowerCase(Locale.ROOT);
    }

    static String json(Object value) throws Refused {
        String text = value instanceof Cell.Tree t ? t.json() : value.toString();
        if (value instanceof String s) {
            checkCharacters(s);
            try {
                JSON.readTree(s);
            } catch (java.io.IOException e) {
                throw new Refused("is not JSON");
            }
        }
        return text;
    }
}
