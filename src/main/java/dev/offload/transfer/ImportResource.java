package dev.offload.transfer;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import de.siegmar.fastcsv.writer.QuoteStrategies;
import dev.offload.config.OffloadConfig;
import dev.offload.job.Caller;
import dev.offload.job.Callers;
import dev.offload.job.JobResponse;
import dev.offload.job.JobService;
import dev.offload.job.JobView;
import dev.offload.job.Page;
import dev.offload.job.PageRequest;
import dev.offload.job.Paging;
import dev.offload.job.RequestAttributes;
import dev.offload.storage.FileNames;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Imports: submit, follow, confirm, cancel, and read the rows they refused. Another user's import is a 404. */
@Path(ImportResponse.PATH)
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {

    private static final String PROBLEM = "application/problem+json";

    /** A page of refused values. */
    public record ErrorPage(List<ImportErrorResponse> items, int page, int size, boolean hasMore) {
    }

    private final TransferService transfers;
    private final JobService jobs;
    private final ImportKind kind;
    private final ImportErrors errors;
    private final SecurityIdentity identity;
    private final RequestAttributes attributes;
    private final OffloadConfig config;

    public ImportResource(TransferService transfers, JobService jobs, ImportKind kind, ImportErrors errors,
            SecurityIdentity identity, RequestAttributes attributes, OffloadConfig config) {
        this.transfers = transfers;
        this.jobs = jobs;
        this.kind = kind;
        this.errors = errors;
        this.identity = identity;
        this.attributes = attributes;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import an uploaded file into a resource: parsed (a dry run) first, imported once confirmed")
    @APIResponse(responseCode = "202", description = "Accepted; Location names the import",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ImportResponse.class)))
    @APIResponse(responseCode = "400", description = "No such resource or file of yours, an export-only resource, an unknown format",
            content = @Content(mediaType = PROBLEM))
    public Uni<Response> submit(@NotNull ImportRequest request) {
        Caller caller = caller();
        return transfers.submitImport(request, caller, attributes.get())
                .map(view -> {
                    ImportResponse body = ImportResponse.of(view, jobs.submitted(view, caller));
                    return JobResponse.accepted(body, ImportResponse.location(body.id()));
                });
    }

    @GET
    @Operation(summary = "The caller's imports, newest first")
    public Uni<Page<ImportResponse>> list(@QueryParam("state") String state, @QueryParam("page") String page,
            @QueryParam("size") String size) {
        Caller caller = caller();
        return jobs.list(kind, caller, state, Paging.of(page, size, config.maxPageSize()))
                .chain(found -> jobs.responses(found, caller).map(responses -> {
                    List<ImportResponse> items = new ArrayList<>();
                    for (int i = 0; i < found.items().size(); i++) {
                        items.add(ImportResponse.of(found.items().get(i), responses.items().get(i)));
                    }
                    return new Page<>(items, found.page(), found.size(), found.hasMore());
                }));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "An import: state, progress, counts, links")
    @APIResponse(responseCode = "200", description = "The import",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ImportResponse.class)))
    @APIResponse(responseCode = "404", description = "No import of yours with this id", content = @Content(mediaType = PROBLEM))
    public Uni<ImportResponse> get(@PathParam("id") UUID id) {
        Caller caller = caller();
        return jobs.find(kind, id, caller).chain(view -> response(view, caller));
    }

    @POST
    @Path("{id}/confirm")
    @Operation(summary = "Confirm a parsed import: a worker imports it, all or nothing")
    @APIResponse(responseCode = "202", description = "Confirmed; the import is queued",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ImportResponse.class)))
    @APIResponse(responseCode = "404", description = "No import of yours with this id", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "409", description = "Not parsed (yet), or already confirmed", content = @Content(mediaType = PROBLEM))
    public Uni<Response> confirm(@PathParam("id") UUID id) {
        return apply(id, ImportKind.CONFIRM).map(body -> JobResponse.accepted(body, ImportResponse.location(id)));
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel an import that is not finished; its table is left as it was")
    @APIResponse(responseCode = "200", description = "Cancelled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ImportResponse.class)))
    @APIResponse(responseCode = "404", description = "No import of yours with this id", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "409", description = "Finished, or its rows already committed", content = @Content(mediaType = PROBLEM))
    public Uni<ImportResponse> cancel(@PathParam("id") UUID id) {
        return apply(id, ImportKind.CANCEL);
    }

    @GET
    @Path("{id}/errors")
    @Operation(summary = "The values the parse or the import refused, a page of rows at a time (row 0: the file itself)")
    @APIResponse(responseCode = "200", description = "A page of refused values: row, column, value, message",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorPage.class)))
    @APIResponse(responseCode = "404", description = "No import of yours with this id", content = @Content(mediaType = PROBLEM))
    public Uni<ErrorPage> errors(@PathParam("id") UUID id, @QueryParam("page") String page,
            @QueryParam("size") String size) {
        PageRequest request = Paging.of(page, size, config.maxPageSize());
        return jobs.find(kind, id, caller())
                .chain(view -> errors.page(id, request.offset(), request.size() + 1))
                .map(found -> {
                    boolean more = found.size() > request.size();
                    List<ImportErrorResponse> items = new ArrayList<>();
                    found.stream().limit(request.size()).forEach(row -> row.errors().forEach(e -> items.add(
                            new ImportErrorResponse(row.row(), e.get("column"), e.get("value"), e.get("message")))));
                    return new ErrorPage(items, request.page(), request.size(), more);
                });
    }

    @GET
    @Path("{id}/errors.csv")
    @Produces({"text/csv", "application/problem+json"})
    @Operation(summary = "The refused rows as given, with an error column: fix them and upload again")
    @APIResponse(responseCode = "200", description = "The refused rows as CSV, with the file's header and an error column",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "No import of yours with this id", content = @Content(mediaType = PROBLEM))
    public Uni<Response> errorsCsv(@PathParam("id") UUID id) {
        return jobs.find(kind, id, caller()).chain(view -> errors.page(id, 0, Integer.MAX_VALUE).map(found -> {
            List<String> header = view.row().header() == null ? List.of() : view.row().header();
            StringWriter text = new StringWriter();
            CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).quoteStrategy(QuoteStrategies.EMPTY)
                    .build(text);
            List<String> head = new ArrayList<>(header);
            head.add("error");
            csv.writeRecord(head);
            for (ImportErrors.Stored row : found) {
                if (row.raw() == null) {
                    continue; // the file's own problems are no row to fix
                }
                List<String> fields = new ArrayList<>(row.raw());
                while (fields.size() < header.size()) {
                    fields.add(null);
                }
                fields.add("row " + row.row() + ": " + row.errors().stream()
                        .map(e -> (e.get("column") == null ? "" : e.get("column") + " ") + e.get("message"))
                        .collect(Collectors.joining("; ")));
                csv.writeRecord(fields);
            }
            try {
                csv.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            String name = "import-" + id + "-errors.csv";
            return Response.ok(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/csv; charset=utf-8")
                    .header("Content-Disposition", FileNames.contentDisposition(name)).build();
        }));
    }

    private Uni<ImportResponse> apply(UUID id, String transition) {
        Caller caller = caller();
        return jobs.find(kind, id, caller)
                .chain(() -> jobs.transition(id, transition, caller, attributes.get()))
                .chain(view -> {
                    @SuppressWarnings("unchecked")
                    JobView<ImportRow> typed = (JobView<ImportRow>) view;
                    return response(typed, caller);
                });
    }

    private Uni<ImportResponse> response(JobView<ImportRow> view, Caller caller) {
        return jobs.response(view, caller).map(job -> ImportResponse.of(view, job));
    }

    private Caller caller() {
        return Callers.of(identity);
    }
}
