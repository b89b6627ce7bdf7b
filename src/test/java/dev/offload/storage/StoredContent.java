package dev.offload.storage;

import dev.offload.support.ServicesResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

/** What a store holds of a file's content, whichever store it is: chunk rows, or files on the directory. */
final class StoredContent {

    private StoredContent() {
    }

    /** Pieces of content of one file: its chunks, or its file (complete or partial). */
    static long of(FileStore store, UUID id) {
        if (store instanceof DirFileStore dir) {
            Path path = dir.path(id);
            return Stream.of(path, path.resolveSibling(path.getFileName() + ".partial")).filter(Files::exists).count();
        }
        return ServicesResource.number("SELECT count(*) FROM stored_file_chunk WHERE file_id = ?", id);
    }

    /** Pieces of content of every file: to show that a refused upload left none. */
    static long all(FileStore store) {
        if (store instanceof DirFileStore dir) {
            try (Stream<Path> files = Files.walk(dir.root())) {
                return files.filter(Files::isRegularFile).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ServicesResource.number("SELECT count(*) FROM stored_file_chunk");
    }

    static long rows(String name) {
        return ServicesResource.number("SELECT count(*) FROM stored_file WHERE name = ?", name);
    }
}
