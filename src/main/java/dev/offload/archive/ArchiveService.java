package dev.offload.archive;

import dev.offload.db.Timestamps;
import dev.offload.job.Caller;
import dev.offload.job.JobKinds;
import dev.offload.job.JobService;
import dev.offload.job.JobView;
import dev.offload.job.Page;
import dev.offload.job.PageRequest;
import dev.offload.job.ResultUnavailableException;
import dev.offload.storage.FileStore;
import dev.offload.storage.StoredFile;
import dev.offload.web.InvalidParameterException;
import dev.offload.workflow.IllegalTransitionException;
import io.quarkus.security.ForbiddenException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Archives as clients reach them: submit (every entry checked and its source resolved to a stored file of the
 * caller's, or nothing is created), extract, find, list, mark deleted, download, read the entries back.
 */
@ApplicationScoped
public class ArchiveService {

    /** Longest archive name, in characters. */
    static final int MAX_NAME = 200;
    /** The kinds whose jobs a {@code report_id} and an {@code export_id} name (by name: no kind imports another). */
    private static final String REPORT_KIND = "report";
    private static final String EXPORT_KIND = "export";

    private final JobService jobs;
    private final JobKinds kinds;
    private final ArchiveKind archives;
    private final ExtractKind extractions;
    private final ArchiveBackends backends;
    private final FileStore store;
    private final ArchiveConfig config;

    public ArchiveService(JobService jobs, JobKinds kinds, ArchiveKind archives, ExtractKind extractions,
            ArchiveBackends backends, FileStore store, ArchiveConfig config) {
        this.jobs = jobs;
        this.kinds = kinds;
        this.archives = archives;
        this.extractions = extractions;
        this.backends = backends;
        this.store = store;
        this.config = config;
    }

    /** Checks the request, resolves every entry's source, then creates the archive job. Bad input creates nothing. */
    public Uni<JobView<ArchiveRow>> submit(ArchiveRequest request, Caller caller, Set<String> groups,
            Map<String, Object> attributes) {
        String name = checkName(request.name());
        if (request.backend() == null) {
            throw new InvalidParameterException("backend", "is required; known: " + String.join(", ", backends.ids()));
        }
        ArchiveBackend backend = backends.get(request.backend());
        String role = role(request.role(), groups);
        List<ArchiveRequest.EntryRequest> entries = request.entries();
        if (entries == null || entries.isEmpty()) {
            throw new InvalidParameterException("entries", "must name at least one entry");
        }
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            ArchiveRequest.EntryRequest entry = entries.get(i);
            String field = "entries[" + i + "]";
            if (entry == null || entry.path() == null) {
                throw new InvalidParameterException(field + ".path", "is required");
            }
            String problem = EntryPaths.problem(entry.path());
            if (problem != null) {
                throw new InvalidParameterException(field + ".path", EntryPaths.quote(entry.path()) + " " + problem);
            }
            if (!paths.add(entry.path())) {
                throw new InvalidParameterException(field + ".path", EntryPaths.quote(entry.path())
                        + " is the path of an earlier entry");
            }
            int sources = (entry.fileId() != null ? 1 : 0) + (entry.reportId() != null ? 1 : 0)
                    + (entry.exportId() != null ? 1 : 0) + (entry.jobId() != null ? 1 : 0);
            if (sources != 1) {
                throw new InvalidParameterException(field,
                        "must name exactly one source: file_id, report_id, export_id or job_id");
            }
        }
        for (String path : paths) { // a file's path may not be another's directory
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                if (paths.contains(path.substring(0, slash))) {
                    throw new InvalidParameterException("entries", EntryPaths.quote(path.substring(0, slash))
                            + " is a file and the directory of " + EntryPaths.quote(path));
                }
            }
        }
        return Multi.createFrom().range(0, entries.size())
                .onItem().transformToUniAndConcatenate(i -> source(entries.get(i), "entries[" + i + "]", caller)
                        .map(file -> new ArchiveRow.Entry(entries.get(i).path(), file.id(), file.size())))
                .collect().asList()
                .chain(resolved -> jobs.submit(archives, caller, new ArchiveRow(name, backend.id(), role, resolved,
                        resolved.size(), resolved.stream().mapToLong(ArchiveRow.Entry::size).sum(), 0, null, null),
                        attributes));
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidParameterException("name", "is required");
        }
        if (name.length() > MAX_NAME || name.contains("/") || name.contains("\\") || name.equals(".")
                || name.equals("..") || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidParameterException("name", "must be at most " + MAX_NAME
                    + " characters, without path separators or control characters");
        }
        return name;
    }

    /** The role the archive is made in: one of the configured roles the caller's token carries. */
    private String role(String asked, Set<String> groups) {
        if (asked != null) {
            if (!config.roles().contains(asked)) {
                throw new InvalidParameterException("role", "must be one of " + String.join(", ", config.roles()));
            }
            if (!groups.contains(asked)) {
                throw new ForbiddenException("the token does not carry the role " + asked);
            }
            return asked;
        }
        return config.roles().stream().filter(groups::contains).findFirst()
                .orElseThrow(() -> new ForbiddenException("the token carries none of the archive roles "
                        + String.join(", ", config.roles())));
    }

    /** The stored file an entry names: the caller's upload, or the result of the caller's finished job. */
    private Uni<StoredFile> source(ArchiveRequest.EntryRequest entry, String field, Caller caller) {
        if (entry.fileId() != null) {
            return store.find(entry.fileId()).map(file -> {
                if (file == null || !file.owner().equals(caller.name())) {
                    throw new InvalidParameterException(field + ".file_id", "is no file of yours");
                }
                return file;
            });
        }
        String kind = entry.reportId() != null ? REPORT_KIND : entry.exportId() != null ? EXPORT_KIND : null;
        UUID id = entry.reportId() != null ? entry.reportId() : entry.exportId() != null ? entry.exportId() : entry.jobId();
        String name = field + "." + (kind == null ? "job" : kind) + "_id";
        String mine = "is no " + (kind == null ? "job" : kind) + " of yours";
        return jobs.find(id, caller)
                .onFailure(NotFoundException.class).transform(e -> new InvalidParameterException(name, mine))
                .chain(view -> {
                    if (kind != null && !kind.equals(view.job().kind)) {
                        throw new InvalidParameterException(name, mine);
                    }
                    return jobs.result(view).onFailure(ResultUnavailableException.class).transform(e ->
                            new InvalidParameterException(name, "has no result to archive (it is "
                                    + view.job().state + ")"));
                })
                .map(result -> {
                    if (!result.file().owner().equals(caller.name())) {
                        throw new InvalidParameterException(name, mine);
                    }
                    return result.file();
                });
    }

    /** Checks the uploaded archive and creates the extraction job. */
    public Uni<JobView<ExtractRow>> extract(ExtractRequest request, Caller caller, Map<String, Object> attributes) {
        if (request.fileId() == null) {
            throw new InvalidParameterException("file_id", "is required");
        }
        String backend = request.backend() == null ? null : backends.get(request.backend()).id();
        return store.find(request.fileId()).chain(file -> {
            if (file == null || !file.owner().equals(caller.name())) {
                throw new InvalidParameterException("file_id", "is no file of yours");
            }
            return jobs.submit(extractions, caller, new ExtractRow(file.id(), backend, null), attributes);
        });
    }

    /** An archive or extraction the caller may see; 404 otherwise. */
    public Uni<JobView<?>> find(UUID id, Caller caller) {
        return jobs.find(id, caller).map(view -> {
            if (!ArchiveKind.NAME.equals(view.job().kind) && !ExtractKind.NAME.equals(view.job().kind)) {
                throw new NotFoundException("no archive " + id);
            }
            return view;
        });
    }

    /** The caller's archives (admins: all) not marked deleted, newest first; extractions with {@code extract}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Uni<Page<JobView<?>>> list(Caller caller, String state, boolean extract, PageRequest page) {
        Uni<? extends Page<? extends JobView<?>>> found = extract
                ? jobs.list(extractions, caller, state, page)
                : jobs.list(archives, caller, state, "k.deleted_at IS NULL", page);
        return (Uni) found;
    }

    /** Marks a finished archive deleted: hidden from lists, its download 410; {@code cleanup} purges it. */
    public Uni<JobView<?>> delete(UUID id, Caller caller) {
        return find(id, caller).chain(view -> {
            if (!(view.row() instanceof ArchiveRow archive)) {
                throw new NotFoundException("no archive " + id + " to delete (an extraction's files are deleted"
                        + " through /api/v1/files)");
            }
            if (!kinds.get(view.job().kind).workflow().isFinal(view.job().state)) {
                throw new IllegalTransitionException(ArchiveKind.NAME, "delete", view.job().state, List.of("cancel"),
                        "an archive is deleted once it has finished; cancel it first");
            }
            if (archive.deletedAt() != null) {
                return Uni.createFrom().item(view);
            }
            ArchiveRow marked = new ArchiveRow(archive.name(), archive.backend(), archive.createdByRole(),
                    archive.entries(), archive.entryCount(), archive.totalBytes(), archive.entriesDone(),
                    Timestamps.now(), archive.purgedAt());
            return jobs.saveRow(archives, id, marked).chain(() -> find(id, caller));
        });
    }

    /** The archive's file and its download name: 409 before ready, 410 once deleted or expired. */
    public Uni<Download> download(UUID id, Caller caller) {
        return find(id, caller).chain(view -> {
            if (!(view.row() instanceof ArchiveRow archive)) {
                throw new NotFoundException("an extraction has no archive to download; its files are listed at "
                        + ArchiveResponse.location(id) + "/entries");
            }
            if (archive.deletedAt() != null) {
                throw new ResultUnavailableException(id, view.job().state, true);
            }
            if (!ArchiveState.READY.value().equals(view.job().state)) {
                throw new ResultUnavailableException(id, view.job().state, false);
            }
            return jobs.result(view).map(result -> new Download(result.file(),
                    ArchiveKind.filename(archive, backends.get(archive.backend()))));
        });
    }

    /** A file to stream under a name. */
    public record Download(StoredFile file, String filename) {
    }

    /** The files of an archive, read back from the stored archive; of an extraction, the files it stored. */
    public Uni<List<EntryResponse>> entries(UUID id, Caller caller) {
        return find(id, caller).chain(view -> {
            if (view.row() instanceof ExtractRow extract) {
                if (extract.entries() == null) {
                    throw new ResultUnavailableException(id, view.job().state, false);
                }
                return Uni.createFrom().item(extract.entries().stream()
                        .map(e -> new EntryResponse(e.path(), e.size(), e.fileId())).toList());
            }
            return download(id, caller).emitOn(Infrastructure.getDefaultWorkerPool()).map(download -> {
                ArchiveRow archive = (ArchiveRow) view.row();
                ArchiveReader reader = new ArchiveReader(backends, ExtractionLimits.OWN_ARCHIVE);
                try (InputStream in = store.open(download.file())) {
                    return reader.list(backends.get(archive.backend()), in).stream()
                            .map(e -> new EntryResponse(e.path(), e.size(), null)).toList();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("archive " + id + " cannot be read back: " + e.getMessage(), e);
                }
            });
        });
    }


    List<ArchiveBackend> backends() {
        return new ArrayList<>(backends.all());
    }
}
