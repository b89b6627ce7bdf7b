package dev.offload.report;

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
import dev.offload.storage.FileDownloads;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Reports: submit, read, list, cancel, and download the result, which streams from storage. */
@Path(ReportResponse.PATH)
@Authenticated
public class ReportResource {

    private final ReportService reports;
    private final JobService jobs;
    private final ReportGeneratorRegistry generators;
    private final FileDownloads downloads;
    private final SecurityIdentity identity;
    private final OffloadConfig config;
    private final RequestAttributes attributes;

    public ReportResource(ReportService reports, JobService jobs, ReportGeneratorRegistry generators,
            FileDownloads downloads, SecurityIdentity identity, OffloadConfig config, RequestAttributes attributes) {
        this.reports = reports;
        this.jobs = jobs;
        this.generators = generators;
        this.downloads = downloads;
        this.identity = identity;
        this.config = config;
        this.attributes = attributes;
    }

    @APIResponse(responseCode = "202", description = "Accepted: the report, unprocessed; Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ReportResponse.class)))
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> submit(@Valid @NotNull ReportRequest request) {
        Caller caller = caller();
        return reports.submit(request, caller, attributes.get())
                .map(view -> ReportResponse.of(view, jobs.submitted(view, caller)))
                .map(report -> JobResponse.accepted(report, ReportResponse.location(report.id())));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Page<ReportResponse>> list(@QueryParam("state") String state, @QueryParam("page") String page,
            @QueryParam("size") String size) {
        PageRequest request = Paging.of(page, size, config.maxPageSize());
        Caller caller = caller();
        return reports.list(caller, state, request).chain(found -> jobs.responses(found, caller)
                .map(common -> {
                    List<ReportResponse> items = new ArrayList<>();
                    for (int i = 0; i < found.items().size(); i++) {
                        items.add(ReportResponse.of(found.items().get(i), common.items().get(i)));
                    }
                    return new Page<>(items, found.page(), found.size(), found.hasMore());
                }));
    }

    @GET
    @Path("generators")
    @Produces(MediaType.APPLICATION_JSON)
    public List<GeneratorResponse> generators() {
        return generators.all().stream().map(GeneratorResponse::of).toList();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ReportResponse> get(@PathParam("id") UUID id) {
        Caller caller = caller();
        return reports.find(id, caller).chain(view -> response(view, caller));
    }

    /** The engine's {@code cancel} for a report ({@code POST /api/v1/jobs/{id}/cancel}). */
    @APIResponse(responseCode = "200", description = "Cancelled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ReportResponse.class)))
    @APIResponse(responseCode = "409", description = "Not cancellable now (already ended): state and available_transitions")
    @POST
    @Path("{id}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ReportResponse> cancel(@PathParam("id") UUID id) {
        Caller caller = caller();
        return reports.cancel(id, caller, attributes.get()).chain(view -> response(view, caller));
    }

    /** The result, streamed from storage a chunk at a time; 404 for others, 409 before success, 410 once expired. */
    @APIResponse(responseCode = "200", description = "The file, streamed as an attachment with its own type, "
            + "Content-Length, Content-Disposition and ETag",
            content = @Content(mediaType = "*/*", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "409", description = "Not generated (yet): the report is not in success")
    @APIResponse(responseCode = "410", description = "The result expired or was removed")
    @GET
    @Path("{id}/download")
    public Uni<Response> download(@PathParam("id") UUID id) {
        return reports.download(id, caller()).map(result -> downloads.download(result.file(), filename(result)));
    }

    @APIResponse(responseCode = "200", description = "The download's headers (type, length, disposition, ETag), no body")
    @APIResponse(responseCode = "409", description = "Not generated (yet): the report is not in success")
    @APIResponse(responseCode = "410", description = "The result expired or was removed")
    @HEAD
    @Path("{id}/download")
    public Uni<Response> downloadHeaders(@PathParam("id") UUID id) {
        return reports.download(id, caller()).map(result -> downloads.head(result.file(), filename(result)));
    }

    @SuppressWarnings("unchecked")
    private static String filename(JobService.Result result) {
        return ((JobView<ReportRow>) result.job()).row().outputFilename();
    }

    private Uni<ReportResponse> response(JobView<ReportRow> view, Caller caller) {
        return jobs.response(view, caller).map(common -> ReportResponse.of(view, common));
    }

    private Caller caller() {
        return Callers.of(identity);
    }
}
