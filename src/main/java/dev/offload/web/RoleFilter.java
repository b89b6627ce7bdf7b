package dev.offload.web;

import dev.offload.config.OffloadConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** A worker-only process serves health and metrics, not the API. */
public class RoleFilter {

    private final OffloadConfig config;

    public RoleFilter(OffloadConfig config) {
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public Response apiOnlyWhereServed(ContainerRequestContext request) {
        if (!config.role().servesApi() && request.getUriInfo().getPath().startsWith("/api/")) {
            return Problem.of(Response.Status.NOT_FOUND, "this process runs workers only; the API is served by api pods")
                    .toResponse();
        }
        return null;
    }
}
