package dev.offload.transfer.formats;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 and nothing else: a byte sequence that is not UTF-8 stops the reading with the byte offset where it
 * starts, never a silent replacement character. A leading byte order mark is skipped.
 */
public final class StrictUtf8Reader extends Reader {

    /** The input is not UTF-8. */
    public static final class NotUtf8Exception extends IOException {
        public NotUtf8Exception(long offset) {
            super("the file is not UTF-8: invalid byte sequence at byte offset " + offset);
        }
    }

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
    /** Bytes consumed before the start of {@link #bytes}. */
    private long consumed;
    private boolean eof;
    private boolean started;

    public StrictUtf8Reader(InputStream in) {
        this.in = in;
        bytes.flip();
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (true) {
            if (!eof && bytes.remaining() < 4) {
                fill();
            }
            int before = bytes.position();
            CoderResult result = decoder.decode(bytes, out, eof);
            consumed += bytes.position() - before;
            if (result.isError()) {
                throw new NotUtf8Exception(consumed);
            }
            if (eof) {
                result = decoder.flush(out);
                int n = out.position() - off;
                if (n == 0 && !bytes.hasRemaining()) {
                    return -1;
                }
                if (n > 0) {
                    return n;
                }
                throw new NotUtf8Exception(consumed); // an incomplete sequence at the end
            }
            int n = out.position() - off;
            if (n > 0) {
                return n;
            }
        }
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            eof = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
        if (!started && (bytes.remaining() >= 3 || eof)) {
            started = true;
            if (bytes.remaining() >= 3 && (bytes.get(0) & 0xff) == 0xEF && (bytes.get(1) & 0xff) == 0xBB
                    && (bytes.get(2) & 0xff) == 0xBF) {
                bytes.position(3);
                consumed += 3;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
