package dev.offload.canary;

import dev.offload.job.Callers;
import dev.offload.job.JobResponse;
import dev.offload.job.JobService;
import dev.offload.job.RequestAttributes;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
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

/** Submits canary jobs (admins only); they are read, followed and cancelled through {@code /api/v1/jobs}. */
@Path("/api/v1/canaries")
@RolesAllowed("admin")
public class CanaryResource {

    private final JobService jobs;
    private final CanaryKind kind;
    private final SecurityIdentity identity;
    private final RequestAttributes attributes;

    public CanaryResource(JobService jobs, CanaryKind kind, SecurityIdentity identity, RequestAttributes attributes) {
        this.jobs = jobs;
        this.kind = kind;
        this.identity = identity;
        this.attributes = attributes;
    }

    @APIResponse(responseCode = "202", description = "Accepted: the canary job; Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JobResponse.class)))
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> submit(@Valid CanaryRequest request) {
        CanaryRequest body = request == null ? new CanaryRequest(null, null, null) : request;
        var caller = Callers.of(identity);
        return jobs.submit(kind, caller, body.row(), attributes.get())
                .map(view -> jobs.submitted(view, caller))
                .map(job -> JobResponse.accepted(job, JobResponse.location(job.id())));
    }
}
