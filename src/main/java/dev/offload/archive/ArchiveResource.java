package dev.offload.archive;

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
import dev.offload.storage.FileStore;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

/** Archives: make one of stored files, unpack one, read, list, delete, download, list the entries. */
@Path(ArchiveResponse.PATH)
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ArchiveResource {

    private final ArchiveService archives;
    private final JobService jobs;
    private final FileStore store;
    private final FileDownloads downloads;
    private final SecurityIdentity identity;
    private final RequestAttributes attributes;
    private final OffloadConfig config;

    public ArchiveResource(ArchiveService archives, JobService jobs, FileStore store, FileDownloads downloads,
            SecurityIdentity identity, RequestAttributes attributes, OffloadConfig config) {
        this.archives = archives;
        this.jobs = jobs;
        this.store = store;
        this.downloads = downloads;
        this.identity = identity;
        this.attributes = attributes;
        this.config = config;
    }

    @APIResponse(responseCode = "202", description = "Accepted: the archive, created; Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ArchiveResponse.class)))
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> submit(@NotNull ArchiveRequest request) {
        Caller caller = caller();
        return archives.submit(request, caller, identity.getRoles(), attributes.get())
                .chain(view -> response(view, caller))
                .map(archive -> JobResponse.accepted(archive, ArchiveResponse.location(archive.id())));
    }

    @APIResponse(responseCode = "202", description = "Accepted: the extraction, created; Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ArchiveResponse.class)))
    @POST
    @Path("extract")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> extract(@NotNull ExtractRequest request) {
        Caller caller = caller();
        return archives.extract(request, caller, attributes.get())
                .chain(view -> response(view, caller))
                .map(archive -> JobResponse.accepted(archive, ArchiveResponse.location(archive.id())));
    }

    @GET
    public Uni<Page<ArchiveResponse>> list(@QueryParam("state") String state, @QueryParam("operation") String operation,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        if (operation != null && !operation.equals("compress") && !operation.equals("extract")) {
            throw new dev.offload.web.InvalidParameterException("operation", "must be compress or extract");
        }
        Caller caller = caller();
        return archives.list(caller, state, "extract".equals(operation), Paging.of(page, size, config.maxPageSize()))
                .chain(found -> {
                    List<Uni<ArchiveResponse>> items = new ArrayList<>();
                    found.items().forEach(view -> items.add(response(view, caller)));
                    Uni<List<ArchiveResponse>> all = items.isEmpty() ? Uni.createFrom().item(List.of())
                            : Uni.join().all(items).andFailFast();
                    return all.map(list -> new Page<>(list, found.page(), found.size(), found.hasMore()));
                });
    }

    @GET
    @Path("backends")
    public List<BackendResponse> backends() {
        return archives.backends().stream().map(BackendResponse::of).toList();
    }

    @GET
    @Path("{id}")
    public Uni<ArchiveResponse> get(@PathParam("id") UUID id) {
        Caller caller = caller();
        return archives.find(id, caller).chain(view -> response(view, caller));
    }

    @APIResponse(responseCode = "200", description = "Marked deleted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ArchiveResponse.class)))
    @APIResponse(responseCode = "409", description = "Not deletable in its state")
    @DELETE
    @Path("{id}")
    public Uni<ArchiveResponse> delete(@PathParam("id") UUID id) {
        Caller caller = caller();
        return archives.delete(id, caller).chain(view -> response(view, caller));
    }

    @GET
    @Path("{id}/entries")
    public Uni<List<EntryResponse>> entries(@PathParam("id") UUID id) {
        return archives.entries(id, caller());
    }

    /** The archive, streamed: the backend's type, {@code <name>.<extension>}; 409 before ready, 410 once deleted. */
    @APIResponse(responseCode = "200", description = "The file, streamed as an attachment with its own type, "
            + "Content-Length, Content-Disposition and ETag",
            content = @Content(mediaType = "*/*", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "409", description = "Not ready (yet)")
    @APIResponse(responseCode = "410", description = "Deleted, or its file is gone")
    @GET
    @Path("{id}/download")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Uni<Response> download(@PathParam("id") UUID id) {
        return archives.download(id, caller()).map(d -> downloads.download(d.file(), d.filename()));
    }

    @APIResponse(responseCode = "200", description = "The download's headers (type, length, disposition, ETag), no body")
    @APIResponse(responseCode = "409", description = "Not ready (yet)")
    @APIResponse(responseCode = "410", description = "Deleted, or its file is gone")
    @HEAD
    @Path("{id}/download")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Uni<Response> downloadHeaders(@PathParam("id") UUID id) {
        return archives.download(id, caller()).map(d -> downloads.head(d.file(), d.filename()));
    }

    private Uni<ArchiveResponse> response(JobView<?> view, Caller caller) {
        Uni<dev.offload.storage.StoredFile> result = view.job().resultFileId == null ? Uni.createFrom().nullItem()
                : store.find(view.job().resultFileId);
        return jobs.response(view, caller).chain(common -> result.map(file -> ArchiveResponse.of(view, common, file)));
    }

    private Caller caller() {
        return Callers.of(identity);
    }
}
