package dev.offload.stats;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The service's own statistics in the nested shape gather-stats flattens, so a fresh deployment's
 * CronJob has something real to gather (admins only).
 */
@Path("/api/v1/stats")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class ServiceStatsResource {

    private final ServiceStats stats;

    public ServiceStatsResource(ServiceStats stats) {
        this.stats = stats;
    }

    @GET
    public Uni<ServiceStatsResponse> stats() {
        return stats.current();
    }
}
