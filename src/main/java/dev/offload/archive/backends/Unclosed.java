package dev.offload.archive.backends;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** The caller's output as the format's streams see it: closing them flushes it and leaves it open for its owner. */
final class Unclosed extends FilterOutputStream {

    Unclosed(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
