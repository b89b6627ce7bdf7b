package dev.offload.transfer;

import dev.offload.job.Caller;
import dev.offload.job.JobService;
import dev.offload.job.JobView;
import dev.offload.storage.FileStore;
import dev.offload.web.InvalidParameterException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Checks an import or export request against the resources and the caller's files, then submits its job. */
@ApplicationScoped
public class TransferService {

    private final Resources resources;
    private final JobService jobs;
    private final ImportKind imports;
    private final ExportKind exports;
    private final FileStore files;

    public TransferService(Resources resources, JobService jobs, ImportKind imports, ExportKind exports, FileStore files) {
        this.resources = resources;
        this.jobs = jobs;
        this.imports = imports;
        this.exports = exports;
        this.files = files;
    }

    /** The resources the caller may use (admin-only ones for admins). */
    public List<TransferResource> visible(Caller caller) {
        return resources.all().stream().filter(r -> caller.admin() || !r.adminOnly()).toList();
    }

    /** The resource named, if the caller may use it; otherwise a 400 naming {@code field}. */
    public TransferResource resource(String name, Caller caller, String field) {
        if (name == null || name.isBlank()) {
            throw new InvalidParameterException(field, "is required: one of " + names(caller));
        }
        return resources.find(name).filter(r -> caller.admin() || !r.adminOnly())
                .orElseThrow(() -> new InvalidParameterException(field, "is not a resource (" + names(caller) + ")"));
    }

    private String names(Caller caller) {
        return visible(caller).stream().map(TransferResource::name).collect(Collectors.joining(", "));
    }

    public Uni<JobView<ImportRow>> submitImport(ImportRequest request, Caller caller, Map<String, Object> attributes) {
        if (request.fileId() == null) {
            throw new InvalidParameterException("file_id", "is required: the id of an uploaded file (POST /api/v1/files)");
        }
        TransferResource resource = resource(request.resource(), caller, "resource");
        if (resource.exportOnly()) {
            throw new InvalidParameterException("resource", "is export-only: " + resource.name());
        }
        String delimiter = request.delimiter();
        if (delimiter != null && (delimiter.length() != 1 || "\"\r\n".contains(delimiter))) {
            throw new InvalidParameterException("delimiter", "must be one character, not a quote or a line break");
        }
        if (request.sheet() != null && (request.sheet().isBlank() || request.sheet().length() > 255)) {
            throw new InvalidParameterException("sheet", "must be a sheet's name (1 to 255 characters)");
        }
        return files.find(request.fileId()).chain(file -> {
            if (file == null || !file.owner().equals(caller.name())) {
                throw new InvalidParameterException("file_id", "is not a file of yours");
            }
            TransferFormat format;
            if (request.format() != null) {
                format = TransferFormat.of(request.format()).orElseThrow(() -> new InvalidParameterException("format",
                        "is not a format (" + TransferFormat.names() + ")"));
            } else {
                format = TransferFormat.fromFilename(file.name()).orElseThrow(() -> new InvalidParameterException(
                        "format", "is required: the file's name does not say (" + TransferFormat.names() + ")"));
            }
            if (delimiter != null && format != TransferFormat.CSV) {
                throw new InvalidParameterException("delimiter", "applies to csv only");
            }
            if (request.sheet() != null && format != TransferFormat.XLSX) {
                throw new InvalidParameterException("sheet", "applies to xlsx only");
            }
            ImportRow row = new ImportRow(resource.name(), format.value(), file.id(), file.name(), delimiter,
                    request.sheet(), Boolean.TRUE.equals(request.forceImport()),
                    Boolean.TRUE.equals(request.skipUnchanged()), Boolean.TRUE.equals(request.skipParseStep()), null,
                    null, null, null, null, null, null, false, null, null);
            return jobs.submit(imports, caller, row, attributes);
        });
    }

    public Uni<JobView<ExportRow>> submitExport(ExportRequest request, Caller caller, Map<String, Object> attributes) {
        TransferResource resource = resource(request.resource(), caller, "resource");
        TransferFormat format = request.format() == null ? TransferFormat.CSV : TransferFormat.of(request.format())
                .orElseThrow(() -> new InvalidParameterException("format", "is not a format (" + TransferFormat.names() + ")"));
        ExportQuery query = ExportQuery.of(resource, request.columns(), request.filter(), request.orderBy());
        List<String> columns = query.columns.stream().map(ResourceColumn::name).toList();
        ExportRow row = new ExportRow(resource.name(), format.value(), columns, request.filter(), request.orderBy(),
                !Boolean.FALSE.equals(request.escapeFormulas()), null);
        return jobs.submit(exports, caller, row, attributes);
    }
}
