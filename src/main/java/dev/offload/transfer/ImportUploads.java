package dev.offload.transfer;

import dev.offload.job.Caller;
import dev.offload.job.JobService;
import dev.offload.security.CallerIdentity;
import dev.offload.storage.FileUploads;
import dev.offload.storage.StoredFile;
import dev.offload.web.InvalidParameterException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/v1/imports} as {@code multipart/form-data}: the part {@code file} streams into storage as any
 * upload does (its size limit, its 413), and the other fields are the import's options, as in the JSON form.
 */
@ApplicationScoped
public class ImportUploads {

    static final Set<String> FIELDS = Set.of("resource", "format", "delimiter", "sheet", "force_import",
            "skip_unchanged", "skip_parse_step");

    private final FileUploads uploads;
    private final TransferService transfers;
    private final JobService jobs;

    public ImportUploads(FileUploads uploads, TransferService transfers, JobService jobs) {
        this.uploads = uploads;
        this.transfers = transfers;
        this.jobs = jobs;
    }

    void install(@Observes Router router) {
        uploads.routeForm(router, ImportResponse.PATH, this::accept);
    }

    private Uni<FileUploads.Answer> accept(StoredFile file, MultiMap form, CallerIdentity identity) {
        Caller caller = new Caller(identity.name(), identity.admin());
        return Uni.createFrom().deferred(() -> {
            for (String name : form.names()) {
                if (!FIELDS.contains(name)) {
                    throw new InvalidParameterException(name, "is not a field of an import (" + String.join(", ",
                            FIELDS.stream().sorted().toList()) + ")");
                }
            }
            ImportRequest request = new ImportRequest(file.id(), form.get("resource"), form.get("format"),
                    form.get("delimiter"), form.get("sheet"), flag(form, "force_import"), flag(form, "skip_unchanged"),
                    flag(form, "skip_parse_step"));
            return transfers.submitImport(request, caller, Map.of());
        }).map(view -> {
            ImportResponse body = ImportResponse.of(view, jobs.submitted(view, caller));
            return new FileUploads.Answer(202, ImportResponse.location(body.id()), body);
        });
    }

    private static Boolean flag(MultiMap form, String name) {
        String value = form.get(name);
        if (value == null) {
            return null;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidParameterException(name, "must be true or false");
        };
    }
}
