package dev.offload.linecount;

import dev.offload.job.Callers;
import dev.offload.job.JobResponse;
import dev.offload.job.JobService;
import dev.offload.job.RequestAttributes;
import dev.offload.storage.FileStore;
import dev.offload.web.InvalidParameterException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Submits line counts; everything else (read, list, cancel, result) is {@code /api/v1/jobs}. */
@Path("/api/v1/line-counts")
@Authenticated
public class LineCountResource {

    private final JobService jobs;
    private final LineCountKind kind;
    private final FileStore files;
    private final SecurityIdentity identity;
    private final RequestAttributes attributes;

    public LineCountResource(JobService jobs, LineCountKind kind, FileStore files, SecurityIdentity identity,
            RequestAttributes attributes) {
        this.jobs = jobs;
        this.kind = kind;
        this.files = files;
        this.identity = identity;
        this.attributes = attributes;
    }

    @APIResponse(responseCode = "202", description = "Accepted: the job; Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JobResponse.class)))
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> submit(@Valid @NotNull LineCountRequest request) {
        var caller = Callers.of(identity);
        return files.find(request.fileId())
                .invoke(file -> {
                    if (file == null || !file.owner().equals(caller.name())) {
                        throw new InvalidParameterException("file_id", "is not a file of yours");
                    }
                })
                .chain(file -> jobs.submit(kind, caller, new LineCountKind.Row(file.id(), null), attributes.get()))
                .chain(view -> jobs.response(view, caller))
                .map(job -> JobResponse.accepted(job, JobResponse.location(job.id())));
    }
}
