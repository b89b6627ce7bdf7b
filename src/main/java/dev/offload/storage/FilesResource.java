package dev.offload.storage;

import dev.offload.config.OffloadConfig;
import dev.offload.security.CallerIdentity;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Uploaded files and results: list, read, download, delete. Another user's file is a 404 (admins see all).
 * Uploads ({@code POST}) stream past the request body limit, so {@link FileUploads} takes them before this resource.
 */
@Path(FilesResource.PATH)
@Authenticated
public class FilesResource {

    public static final String PATH = "/api/v1/files";

    public record FilePageResponse(List<FileResponse> items, int page, int size, boolean hasMore) {
    }

    private final FileStore store;
    private final FileDownloads downloads;
    private final SecurityIdentity identity;
    private final OffloadConfig config;

    public FilesResource(FileStore store, FileDownloads downloads, SecurityIdentity identity, OffloadConfig config) {
        this.store = store;
        this.downloads = downloads;
        this.identity = identity;
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<FilePageResponse> list(@QueryParam("page") String page, @QueryParam("size") String size) {
        dev.offload.job.PageRequest request = dev.offload.job.Paging.of(page, size, config.maxPageSize());
        int pageSize = request.size();
        CallerIdentity caller = caller();
        return store.list(caller.admin() ? null : caller.name(), request.offset(), pageSize + 1)
                .map(found -> new FilePageResponse(found.stream().limit(pageSize).map(FileResponse::of).toList(),
                        request.page(), pageSize, found.size() > pageSize));
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<FileResponse> get(@PathParam("id") UUID id) {
        return find(id).map(FileResponse::of);
    }

    /** The content, streamed from the store, as an attachment under the name it was uploaded with. */
    @APIResponse(responseCode = "200", description = "The file, streamed as an attachment with its own type, "
            + "Content-Length, Content-Disposition and ETag",
            content = @Content(mediaType = "*/*", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @GET
    @Path("{id}/content")
    public Uni<Response> content(@PathParam("id") UUID id) {
        return find(id).map(file -> downloads.download(file, filename(file)));
    }

    @APIResponse(responseCode = "200", description = "The download's headers (type, length, disposition, ETag), no body")
    @HEAD
    @Path("{id}/content")
    public Uni<Response> contentHeaders(@PathParam("id") UUID id) {
        return find(id).map(file -> downloads.head(file, filename(file)));
    }

    @APIResponse(responseCode = "204", description = "Deleted")
    @DELETE
    @Path("{id}")
    @Blocking
    public Response delete(@PathParam("id") UUID id) {
        StoredFile file = find(id).await().atMost(StoredFileRows.STATEMENT_TIMEOUT);
        store.delete(file.id());
        return Response.noContent().build();
    }

    private Uni<StoredFile> find(UUID id) {
        CallerIdentity caller = caller();
        return store.find(id).map(file -> {
            if (file == null || !caller.mayAccess(file.owner())) {
                throw new NotFoundException("no file " + id);
            }
            return file;
        });
    }

    /** A file without a name (a result written before files had one) downloads under its id. */
    private static String filename(StoredFile file) {
        return file.name() != null ? file.name() : file.id().toString();
    }

    private CallerIdentity caller() {
        return CallerIdentity.of(identity);
    }
}
