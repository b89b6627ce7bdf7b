package dev.offload.report;

import dev.offload.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The report API's own refusals, as problem+json. */
public class ReportProblems {

    @ServerExceptionMapper
    public Response unknownGenerator(UnknownGeneratorException e) {
        return Problem.of(Status.BAD_REQUEST, e.getMessage())
                .withType("/problems/validation")
                .withErrors(java.util.List.of(new Problem.FieldError("generator_type",
                        "is not a known generator; known types: " + String.join(", ", e.known()))))
                .with("known_types", e.known())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response invalidOptions(InvalidOptionsException e) {
        return Problem.of(Status.BAD_REQUEST, "the request is invalid: "
                        + e.errors().stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; ")))
                .withType("/problems/validation")
                .withErrors(e.errors())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response notReady(ReportNotReadyException e) {
        Problem problem = e.expired()
                ? Problem.of(Status.GONE, e.getMessage()).withType("/problems/report-expired")
                : Problem.of(Status.CONFLICT, e.getMessage()).withType("/problems/report-not-ready");
        return problem.with("state", e.state()).toResponse();
    }
}
