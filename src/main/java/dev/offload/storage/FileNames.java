package dev.offload.storage;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * File names as they come in (an upload's) and go out (a download's Content-Disposition). A name is stored as
 * given, so it must be safe wherever a client saves it: no path, no control characters, at most
 * {@value #MAX_BYTES} bytes of UTF-8.
 */
public final class FileNames {

    public static final int MAX_BYTES = 255;
    /** RFC 5987 attr-char: what may stand unencoded in {@code filename*}. */
    private static final String ATTR_CHARS = "!#$&+-.^_`|~";

    private FileNames() {
    }

    /** Why {@code name} cannot name a file, or null when it can. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "must not be empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "must name a file, not '" + name + "'";
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return "must be a file name without a path (no / or \\)";
        }
        if (name.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL)) {
            return "must not contain control characters";
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return "must be at most " + MAX_BYTES + " bytes of UTF-8, not " + bytes;
        }
        return null;
    }

    /**
     * The name an {@code X-Filename} header carries: UTF-8, percent-encoded where it is not plain ASCII
     * ({@code r%C3%A9sum%C3%A9.pdf}); raw UTF-8 bytes are accepted too.
     *
     * @throws IllegalArgumentException when the percent-encoding or the UTF-8 is broken
     */
    public static String fromHeader(String value) {
        // A header arrives as ISO-8859-1: one char per byte, so the bytes are recovered exactly.
        byte[] raw = value.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%') {
                if (i + 2 >= raw.length || Character.digit(raw[i + 1], 16) < 0 || Character.digit(raw[i + 2], 16) < 0) {
                    throw new IllegalArgumentException("has a % not followed by two hex digits (write % as %25)");
                }
                bytes.write(Character.digit(raw[i + 1], 16) * 16 + Character.digit(raw[i + 2], 16));
                i += 2;
            } else {
                bytes.write(raw[i]);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("is not UTF-8 (percent-encode the name's UTF-8 bytes)");
        }
    }

    /**
     * {@code attachment; filename="..."} (RFC 6266), with {@code filename*=UTF-8''...} (RFC 5987) when the name
     * is not plain ASCII: clients that know the extended form take it, the others get the name with '_' for
     * what ASCII cannot say.
     */
    public static String contentDisposition(String name) {
        if (name == null || name.isEmpty()) {
            return "attachment";
        }
        StringBuilder fallback = new StringBuilder(name.length());
        boolean plain = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%') {
                fallback.append(c);
            } else {
                plain = false;
                if (!Character.isLowSurrogate(c)) {
                    fallback.append('_');
                }
            }
        }
        String header = "attachment; filename=\"" + fallback + "\"";
        return plain ? header : header + "; filename*=UTF-8''" + encode(name);
    }

    private static String encode(String name) {
        StringBuilder encoded = new StringBuilder();
        HexFormat hex = HexFormat.of().withUpperCase();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ATTR_CHARS.indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(hex.toHexDigits(b));
            }
        }
        return encoded.toString();
    }
}
