package dev.offload.workflow;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The declared workflows, so clients and documentation read the machines rather than a drawing of them. */
@Path("/api/v1/workflows")
@Authenticated
public class WorkflowResource {

    public static final String MERMAID = "text/vnd.mermaid";

    /** A transition: from which states, to which, and the conditions (checks) it needs besides. */
    @Schema(name = "WorkflowTransition")
    public record TransitionResponse(String name, List<String> from, String to, List<String> checks) {
    }

    public record WorkflowResponse(String kind, String initial, List<String> states, List<String> finalStates,
            List<TransitionResponse> transitions) {

        static WorkflowResponse of(Workflow w) {
            return new WorkflowResponse(w.name(), w.initial(), w.states(),
                    w.states().stream().filter(w::isFinal).toList(),
                    w.transitions().stream()
                            .map(t -> new TransitionResponse(t.name(),
                                    w.states().stream().filter(t::availableFrom).toList(), t.to(),
                                    w.checks(t.name()).stream().map(Workflow.Check::reason).toList()))
                            .toList());
        }
    }

    private final WorkflowRegistry registry;

    public WorkflowResource(WorkflowRegistry registry) {
        this.registry = registry;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<WorkflowResponse> list() {
        return registry.all().stream().map(WorkflowResponse::of).toList();
    }

    @GET
    @Path("{kind}")
    @Produces(MediaType.APPLICATION_JSON)
    public WorkflowResponse get(@PathParam("kind") String kind) {
        return WorkflowResponse.of(find(kind));
    }

    @GET
    @Path("{kind}")
    @Produces(MERMAID)
    public String diagram(@PathParam("kind") String kind) {
        return find(kind).toMermaid();
    }

    private Workflow find(String kind) {
        return registry.find(kind).orElseThrow(() -> new NotFoundException("no workflow named " + kind));
    }
}
