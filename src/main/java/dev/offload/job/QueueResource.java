package dev.offload.job;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
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
 * queue holds for an operator. Read with passive declares on a connection of its own, so a page of operators
 * costs the broker nothing between visits.
 */
@Path("/api/v1/queues")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource {

    /** One kind's queues, as the broker counts them now. */
    public record QueueResponse(String kind, String queue, long messages, long consumers, String deadLetterQueue,
            long deadLetters) {
    }

    private final Topology topology;
    private final JobKinds kinds;

    public QueueResource(Topology topology, JobKinds kinds) {
        this.topology = topology;
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
        try (Connection connection = topology.connectionFactory().newConnection("offload-queue-counts")) {
            for (JobKind<?> kind : kinds.all().stream().sorted(Comparator.comparing(JobKind::name)).toList()) {
                // A queue missing (never declared) closes the channel: one channel per look-up.
                AMQP.Queue.DeclareOk queue = passive(connection, Topology.queue(kind.name()));
                AMQP.Queue.DeclareOk dead = passive(connection, Topology.deadLetterQueue(kind.name()));
                queues.add(new QueueResponse(kind.name(), Topology.queue(kind.name()),
                        queue == null ? 0 : queue.getMessageCount(), queue == null ? 0 : queue.getConsumerCount(),
                        Topology.deadLetterQueue(kind.name()), dead == null ? 0 : dead.getMessageCount()));
            }
        } catch (Exception e) {
            return Problem.of(Response.Status.SERVICE_UNAVAILABLE, "the broker cannot be reached: " + JobConsumers.reason(e))
                    .toResponse();
        }
        return Response.ok(queues).build();
    }

    private static AMQP.Queue.DeclareOk passive(Connection connection, String name) throws Exception {
        try (Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(name);
        } catch (java.io.IOException notDeclared) {
            return null;
        }
    }
}
