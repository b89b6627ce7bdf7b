package dev.offload.archive;

import static dev.offload.archive.ExtractState.CANCELLED;
import static dev.offload.archive.ExtractState.CREATED;
import static dev.offload.archive.ExtractState.ERROR;
import static dev.offload.archive.ExtractState.EXTRACTED;
import static dev.offload.archive.ExtractState.EXTRACTING;

import dev.offload.db.Timestamps;
import dev.offload.job.JobContext;
import dev.offload.job.JobKind;
import dev.offload.storage.FileSink;
import dev.offload.storage.FileStore;
import dev.offload.storage.FilesConfig;
import dev.offload.storage.StoredFile;
import dev.offload.workflow.Workflow;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.net.URLConnection;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Unpacks an uploaded archive into stored files of its owner. A first pass applies every rule (paths, links,
 * devices, duplicates, limits, bombs, encryption, corruption) and stores nothing; the second stores each file;
 * a job that fails or is cancelled removes what it stored.
 */
@ApplicationScoped
public class ExtractKind implements JobKind<ExtractRow> {

    public static final String NAME = "archive-extract";
    static final Workflow WORKFLOW = JobKind.singlePhase(NAME, CREATED.value(), EXTRACTING.value(), EXTRACTED.value(),
            ERROR.value(), CANCELLED.value()).build();
    private static final Phase PHASE = Phase.single(CREATED.value(), EXTRACTING.value());

    private final ArchiveBackends backends;
    private final FileStore store;
    private final FilesConfig files;
    private final ArchiveConfig config;

    public ExtractKind(ArchiveBackends backends, FileStore store, FilesConfig files, ArchiveConfig config) {
        this.backends = backends;
        this.store = store;
        this.files = files;
        this.config = config;
    }

    ExtractionLimits limits() {
        return new ExtractionLimits(config.maxEntries(), config.maxTotalSize().asLongValue(), config.maxRatio(),
                ExtractionLimits.DEFAULT.ratioGrace());
    }

    private static final Declaration<ExtractRow> DECLARATION = new Declaration<>(NAME, "archive_extract_job", ExtractRow.class, WORKFLOW, List.of(PHASE));

    @Override
    public Declaration<ExtractRow> declaration() {
        return DECLARATION;
    }

    @Override
    public void run(Phase phase, JobContext<ExtractRow> job) throws Exception {
        ExtractRow row = job.row();
        StoredFile archive = job.input(row.fileId());
        ArchiveReader reader = new ArchiveReader(backends, limits());
        ArchiveBackend backend = row.backend() != null ? backends.get(row.backend()) : detect(job, archive);
        List<ArchiveReader.ListedEntry> listed;
        try (InputStream in = job.open(archive)) {
            listed = reader.list(backend, in); // every rule, nothing stored
        }
        long total = listed.stream().mapToLong(ArchiveReader.ListedEntry::size).sum();
        List<UUID> stored = new CopyOnWriteArrayList<>();
        job.onAbort(() -> stored.forEach(store::delete));
        List<ExtractRow.Extracted> extracted = new ArrayList<>();
        OffsetDateTime expiresAt = Timestamps.now().plus(files.expireAfter());
        long[] done = {0};
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = job.open(archive)) {
            reader.extract(backend, in, (path, content) -> {
                String name = path.substring(path.lastIndexOf('/') + 1);
                String type = URLConnection.guessContentTypeFromName(name);
                FileSink sink = store.create(job.owner(), name, type == null ? "application/octet-stream" : type,
                        expiresAt);
                stored.add(sink.id());
                long size = 0;
                try (sink) {
                    for (int n; (n = content.read(buffer)) > 0; ) {
                        sink.write(buffer, 0, n);
                        size += n;
                        done[0] += n;
                        job.progress(done[0], total);
                        job.checkCancelled();
                    }
                }
                extracted.add(new ExtractRow.Extracted(path, size, sink.id()));
            });
        }
        job.progress(total, total);
        job.saveRow(new ExtractRow(row.fileId(), backend.id(), extracted));
    }

    private ArchiveBackend detect(JobContext<ExtractRow> job, StoredFile archive) throws java.io.IOException {
        byte[] head;
        try (InputStream in = job.open(archive)) {
            head = in.readNBytes(512);
        }
        return backends.detect(archive.name() == null ? "" : archive.name(), head, head.length)
                .orElseThrow(() -> new IllegalArgumentException("the file is not an archive of a known format ("
                        + String.join(", ", backends.ids()) + ")"));
    }
}
