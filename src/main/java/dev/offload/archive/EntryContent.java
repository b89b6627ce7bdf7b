package dev.offload.archive;

import java.io.IOException;
import java.io.InputStream;

/**
 * An entry's bytes, opened when the writer gets to them (perhaps on a compression thread) and closed by the
 * writer: {@code () -> job.open(storedFile)}.
 */
@FunctionalInterface
public interface EntryContent {

    InputStream open() throws IOException;
}
