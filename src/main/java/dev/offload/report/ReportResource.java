package dev.offload.report;

import dev.offload.config.OffloadConfig;
import dev.offload.job.Caller;
import dev.offload.job.Callers;
import dev.offload.storage.FileStore;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestMulti;

/** Reports: submit, read, list, cancel, and download the result, which streams from storage. */
@Path(ReportResponse.PATH)
@Authenticated
public class ReportResource {

    public record ReportPageResponse(List<ReportResponse> items, int page, int size, boolean hasMore) {
    }

    private final ReportService reports;
    private final ReportKind kind;
    private final ReportGeneratorRegistry generators;
    private final FileStore store;
    private final SecurityIdentity identity;
    private final OffloadConfig config;

    public ReportResource(ReportService reports, ReportKind kind, ReportGeneratorRegistry generators,
            FileStore store, SecurityIdentity identity, OffloadConfig config) {
        this.reports = reports;
        this.kind = kind;
        this.generators = generators;
        this.store = store;
        this.identity = identity;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> submit(@Valid @NotNull ReportRequest request) {
        Caller caller = caller();
        return reports.submit(request, caller).map(view -> Response.accepted(response(view, caller))
                .location(URI.create(ReportResponse.location(view.job().id))).build());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ReportPageResponse> list(@QueryParam("state") String state,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size) {
        int pageSize = Math.min(size, config.maxPageSize());
        Caller caller = caller();
        return reports.list(caller, state, page, pageSize).map(found -> new ReportPageResponse(
                found.stream().limit(pageSize).map(view -> response(view, caller)).toList(),
                page, pageSize, found.size() > pageSize));
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
        return reports.find(id, caller).map(view -> response(view, caller));
    }

    @POST
    @Path("{id}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ReportResponse> cancel(@PathParam("id") UUID id) {
        Caller caller = caller();
        return reports.cancel(id, caller).map(view -> response(view, caller));
    }

    /** The result, streamed from storage a chunk at a time; 404 for others, 409 before success, 410 once expired. */
    @GET
    @Path("{id}/download")
    public RestMulti<Buffer> download(@PathParam("id") UUID id) {
        return RestMulti.fromUniResponse(reports.download(id, caller()),
                download -> store.content(download.file()),
                ReportResource::headers);
    }

    @HEAD
    @Path("{id}/download")
    public Uni<Response> downloadHeaders(@PathParam("id") UUID id) {
        return reports.download(id, caller()).map(download -> {
            Response.ResponseBuilder response = Response.ok();
            headers(download).forEach((name, values) -> values.forEach(v -> response.header(name, v)));
            return response.build();
        });
    }

    private static Map<String, List<String>> headers(ReportService.Download download) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put(HttpHeaders.CONTENT_TYPE, List.of(download.file().contentType()));
        headers.put(HttpHeaders.CONTENT_LENGTH, List.of(Long.toString(download.file().size())));
        headers.put("Content-Disposition", List.of("attachment; filename=\"" + download.report().report().outputFilename + "\""));
        headers.put(HttpHeaders.ETAG, List.of("\"sha256-" + download.file().sha256() + "\""));
        headers.put(HttpHeaders.CACHE_CONTROL, List.of("private, no-store"));
        return headers;
    }

    private ReportResponse response(ReportService.ReportView view, Caller caller) {
        return ReportResponse.of(view.job(), view.report(), kind, caller);
    }

    private Caller caller() {
        return Callers.of(identity);
    }
}
