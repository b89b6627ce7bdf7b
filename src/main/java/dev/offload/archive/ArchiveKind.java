package dev.offload.archive;

import static dev.offload.archive.ArchiveState.CANCELLED;
import static dev.offload.archive.ArchiveState.COMPRESSING;
import static dev.offload.archive.ArchiveState.CREATED;
import static dev.offload.archive.ArchiveState.ERROR;
import static dev.offload.archive.ArchiveState.READY;

import dev.offload.job.JobContext;
import dev.offload.job.JobKind;
import dev.offload.storage.FileSink;
import dev.offload.storage.StoredFile;
import dev.offload.workflow.Workflow;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Archives of stored files (devilry_compressionutil): the entries, each a stored file under a path, are
 * written by the chosen backend into the job's result file, a chunk at a time, compressed on the cores.
 */
@ApplicationScoped
public class ArchiveKind implements JobKind<ArchiveRow> {

    public static final String NAME = "archive";
    static final Workflow WORKFLOW = JobKind.singlePhase(NAME, CREATED.value(), COMPRESSING.value(), READY.value(),
            ERROR.value(), CANCELLED.value()).build();
    private static final Phase PHASE = Phase.single(CREATED.value(), COMPRESSING.value());
    /** Shortest time between two writes of the entries done. */
    private static final long ENTRIES_EVERY_NANOS = 1_000_000_000L;

    private final ArchiveBackends backends;

    public ArchiveKind(ArchiveBackends backends) {
        this.backends = backends;
    }

    private static final Declaration<ArchiveRow> DECLARATION = new Declaration<>(NAME, "archive_job", ArchiveRow.class, WORKFLOW, List.of(PHASE));

    @Override
    public Declaration<ArchiveRow> declaration() {
        return DECLARATION;
    }

    @Override
    public void run(Phase phase, JobContext<ArchiveRow> job) throws Exception {
        ArchiveRow archive = job.row();
        ArchiveBackend backend = backends.get(archive.backend());
        List<StoredFile> sources = new ArrayList<>();
        for (ArchiveRow.Entry entry : archive.entries()) {
            try {
                sources.add(job.input(entry.fileId()));
            } catch (IllegalArgumentException gone) {
                throw new ArchiveSourceGoneException(entry.path());
            }
        }
        FileSink sink = job.createResult(backend.contentType(), filename(archive, backend));
        long[] lastWrite = {System.nanoTime()};
        WriteProgress progress = (bytes, entries) -> {
            job.checkCancelled();
            job.progress(bytes, archive.totalBytes());
            long now = System.nanoTime();
            if (now - lastWrite[0] >= ENTRIES_EVERY_NANOS) {
                lastWrite[0] = now;
                job.saveRow(archive.withEntriesDone((int) entries));
            }
        };
        try (ArchiveWriter writer = backend.open(sink, progress)) {
            for (int i = 0; i < sources.size(); i++) {
                StoredFile source = sources.get(i);
                String path = archive.entries().get(i).path();
                writer.add(path, source.size(), () -> readingEntry(path, job, source));
            }
            writer.finish();
        }
        job.progress(archive.totalBytes(), archive.totalBytes());
        job.saveRow(archive.withEntriesDone(archive.entryCount()));
    }

    /** The archive's file name: its name and the backend's extension. */
    static String filename(ArchiveRow archive, ArchiveBackend backend) {
        return archive.name() + "." + backend.extension();
    }

    /** A source's content, whose failures (its file deleted while the archive is made, say) name the entry. */
    private static InputStream readingEntry(String path, JobContext<ArchiveRow> job, StoredFile source)
            throws IOException {
        InputStream in;
        try {
            in = job.open(source);
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new IOException(new ArchiveSourceGoneException(path).getMessage() + " (" + e.getMessage() + ")", e);
        }
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw named(e);
                }
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                try {
                    return super.read(bytes, offset, length);
                } catch (IOException e) {
                    throw named(e);
                }
            }

            private IOException named(IOException e) {
                return new IOException("entry " + EntryPaths.quote(path) + ": its source could not be read ("
                        + e.getMessage() + ")", e);
            }
        };
    }

    /** An entry's source was deleted (or expired) after the archive was submitted. */
    static class ArchiveSourceGoneException extends RuntimeException {
        ArchiveSourceGoneException(String path) {
            super("entry " + EntryPaths.quote(path) + ": its source file is gone");
        }
    }
}
