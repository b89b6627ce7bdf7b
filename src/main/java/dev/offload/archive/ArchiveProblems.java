package dev.offload.archive;

import dev.offload.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The archive API's own refusals, as problem+json. */
public class ArchiveProblems {

    @ServerExceptionMapper
    public Response unknownBackend(UnknownArchiveBackendException e) {
        return Problem.of(Status.BAD_REQUEST, "the request is invalid: backend '" + e.id()
                        + "' is not a known backend; known: " + String.join(", ", e.known()))
                .withType("/problems/validation")
                .withErrors(List.of(new Problem.FieldError("backend", "is not a known backend; known: "
                        + String.join(", ", e.known()))))
                .with("known_backends", e.known())
                .toResponse();
    }
}
