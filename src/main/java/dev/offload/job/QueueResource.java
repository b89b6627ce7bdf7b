package dev.offload.job;

import dev.offload.web.Problem;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The broker's side of each kind (admins): messages ready in its queue, its consumers, and what its dead-letter
 * queue holds for an operator. Read now, on the queue meters' connection.
 */
@Path("/api/v1/queues")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource {

    /** One kind's queues, as the broker counts them now. */
    public record QueueResponse(String kind, String queue, long messages, long consumers, String deadLetterQueue,
            long deadLetters) {
    }

    private final QueueMeters meters;
    private final JobKinds kinds;

    public QueueResource(QueueMeters meters, JobKinds kinds) {
        this.meters = meters;
        this.kinds = kinds;
    }

    @GET
    @Blocking
    @APIResponse(responseCode = "200", description = "Each kind's queue and dead-letter queue, by kind",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = QueueResponse.class)))
    @APIResponse(responseCode = "503", description = "The broker cannot be reached",
            content = @Content(mediaType = "application/problem+json"))
    public Response queues() {
        List<QueueResponse> queues = new ArrayList<>();
        try {
            for (JobKind<?> kind : kinds.all().stream().sorted(Comparator.comparing(JobKind::name)).toList()) {
                QueueMeters.Counts counts = meters.read(kind.name());
                queues.add(new QueueResponse(kind.name(), Topology.queue(kind.name()), counts.messages(),
                        counts.consumers(), Topology.deadLetterQueue(kind.name()), counts.deadLetters()));
            }
        } catch (Exception e) {
            return Problem.of(Response.Status.SERVICE_UNAVAILABLE, "the broker cannot be reached: " + JobConsumers.reason(e))
                    .toResponse();
        }
        return Response.ok(queues).build();
    }
}
