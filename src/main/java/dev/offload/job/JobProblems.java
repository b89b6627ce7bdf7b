package dev.offload.job;

import dev.offload.web.Problem;
import dev.offload.workflow.TransitionHookException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The engine's failures as problem+json. */
public class JobProblems {

    @ServerExceptionMapper
    public Response resultUnavailable(ResultUnavailableException e) {
        return Problem.of(e.gone() ? Status.GONE : Status.CONFLICT, e.getMessage())
                .withType(e.gone() ? "/problems/result-gone" : "/problems/result-not-ready").toResponse();
    }

    @ServerExceptionMapper
    public Response hookFailed(TransitionHookException e) {
        return Problem.of(Status.CONFLICT, e.getMessage()).withType("/problems/transition-rolled-back")
                .with("transition", e.transition()).toResponse();
    }
}
