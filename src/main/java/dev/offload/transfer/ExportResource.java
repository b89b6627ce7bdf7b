package dev.offload.transfer;

import dev.offload.config.OffloadConfig;
import dev.offload.job.Caller;
import dev.offload.job.Callers;
import dev.offload.job.JobResponse;
import dev.offload.job.JobService;
import dev.offload.job.JobView;
import dev.offload.job.Page;
import dev.offload.job.Paging;
import dev.offload.job.RequestAttributes;
import dev.offload.storage.FileDownloads;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Exports: submit, follow, cancel, download. Another user's export is a 404. */
@Path(ExportResponse.PATH)
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ExportResource {

    private static final String PROBLEM = "application/problem+json";

    private final TransferService transfers;
    private final JobService jobs;
    private final ExportKind kind;
    private final FileDownloads downloads;
    private final SecurityIdentity identity;
    private final RequestAttributes attributes;
    private final OffloadConfig config;

    public ExportResource(TransferService transfers, JobService jobs, ExportKind kind, FileDownloads downloads,
            SecurityIdentity identity, RequestAttributes attributes, OffloadConfig config) {
        this.transfers = transfers;
        this.jobs = jobs;
        this.kind = kind;
        this.downloads = downloads;
        this.identity = identity;
        this.attributes = attributes;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Export a resource's rows (filtered, ordered, chosen columns) as csv, tsv, json or xlsx")
    @APIResponse(responseCode = "202", description = "Accepted; Location names the export",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExportResponse.class)))
    @APIResponse(responseCode = "400", description = "An unknown resource, format, column or operator, or a filter value of the wrong type (named)",
            content = @Content(mediaType = PROBLEM))
    public Uni<Response> submit(@NotNull ExportRequest request) {
        Caller caller = caller();
        return transfers.submitExport(request, caller, attributes.get())
                .map(view -> {
                    ExportResponse body = ExportResponse.of(view, jobs.submitted(view, caller));
                    return JobResponse.accepted(body, ExportResponse.location(body.id()));
                });
    }

    @GET
    @Operation(summary = "The caller's exports, newest first")
    public Uni<Page<ExportResponse>> list(@QueryParam("state") String state, @QueryParam("page") String page,
            @QueryParam("size") String size) {
        Caller caller = caller();
        return jobs.list(kind, caller, state, Paging.of(page, size, config.maxPageSize()))
                .chain(found -> jobs.responses(found, caller).map(responses -> {
                    List<ExportResponse> items = new ArrayList<>();
                    for (int i = 0; i < found.items().size(); i++) {
                        items.add(ExportResponse.of(found.items().get(i), responses.items().get(i)));
                    }
                    return new Page<>(items, found.page(), found.size(), found.hasMore());
                }));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "An export: state, progress, rows, links")
    @APIResponse(responseCode = "200", description = "The export",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExportResponse.class)))
    @APIResponse(responseCode = "404", description = "No export of yours with this id", content = @Content(mediaType = PROBLEM))
    public Uni<ExportResponse> get(@PathParam("id") UUID id) {
        Caller caller = caller();
        return jobs.find(kind, id, caller).chain(view -> response(view, caller));
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel an export that is not finished; its partial file is removed")
    @APIResponse(responseCode = "200", description = "Cancelled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExportResponse.class)))
    @APIResponse(responseCode = "404", description = "No export of yours with this id", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "409", description = "Already finished", content = @Content(mediaType = PROBLEM))
    public Uni<ExportResponse> cancel(@PathParam("id") UUID id) {
        Caller caller = caller();
        return jobs.find(kind, id, caller)
                .chain(() -> jobs.transition(id, ExportKind.CANCEL, caller, attributes.get()))
                .chain(view -> {
                    @SuppressWarnings("unchecked")
                    JobView<ExportRow> typed = (JobView<ExportRow>) view;
                    return response(typed, caller);
                });
    }

    /** The file: the format's type, {@code <resource>.<extension>}; 409 before exported, 410 once expired. */
    @GET
    @Path("{id}/download")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Download the exported file (owner only)")
    @APIResponse(responseCode = "200", description = "The file, as an attachment with its format's type, Content-Length and Content-Disposition",
            content = @Content(mediaType = "*/*", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "No export of yours with this id", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "409", description = "Not exported (yet)", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "410", description = "Expired or removed", content = @Content(mediaType = PROBLEM))
    public Uni<Response> download(@PathParam("id") UUID id) {
        return result(id).map(r -> downloads.download(r.file(), filename(r)));
    }

    @HEAD
    @Path("{id}/download")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Uni<Response> downloadHeaders(@PathParam("id") UUID id) {
        return result(id).map(r -> downloads.head(r.file(), filename(r)));
    }

    private Uni<JobService.Result> result(UUID id) {
        Caller caller = caller();
        return jobs.find(kind, id, caller).chain(view -> {
            if (!view.job().owner.equals(caller.name())) {
                throw new jakarta.ws.rs.NotFoundException("no export " + id); // owner only, admins included
            }
            return jobs.result(view);
        });
    }

    private static String filename(JobService.Result result) {
        return result.file().name() != null ? result.file().name() : result.file().id().toString();
    }

    private Uni<ExportResponse> response(JobView<ExportRow> view, Caller caller) {
        return jobs.response(view, caller).map(job -> ExportResponse.of(view, job));
    }

    private Caller caller() {
        return Callers.of(identity);
    }
}
