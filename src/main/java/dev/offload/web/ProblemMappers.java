package dev.offload.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.offload.workflow.IllegalTransitionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every failure to problem+json: the field at fault where there is one, never a class name or a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response illegalTransition(IllegalTransitionException e) {
        return Problem.of(Status.CONFLICT, e.getMessage())
                .withType("/problems/illegal-transition")
                .with("transition", e.transition())
                .with("state", e.state())
                .with("available_transitions", e.available())
                .with("reason", e.reason())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response invalidParameter(InvalidParameterException e) {
        return Problem.of(Status.BAD_REQUEST, "the request is invalid: " + e.getMessage())
                .withType("/problems/validation")
                .withErrors(List.of(new Problem.FieldError(e.parameter(), e.reason())))
                .toResponse();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return Problem.of(Status.BAD_REQUEST, "the request is invalid: "
                        + errors.stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; ")))
                .withType("/problems/validation")
                .withErrors(errors)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        Problem problem = Problem.of(Status.BAD_REQUEST, "the request body is not valid JSON for this call")
                .withType("/problems/unreadable-body");
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String message = e instanceof UnrecognizedPropertyException ? "is not a known field"
                    : "has the wrong type";
            problem = Problem.of(Status.BAD_REQUEST, "the request is invalid: " + field + " " + message)
                    .withType("/problems/validation")
                    .withErrors(List.of(new Problem.FieldError(field, message)));
        }
        return problem.toResponse();
    }

    @ServerExceptionMapper
    public Response invalidBody(JsonBodies.InvalidBodyException e) {
        return Problem.of(Status.BAD_REQUEST, e.getMessage()).withType("/problems/unreadable-body").toResponse();
    }

    @ServerExceptionMapper
    public Response tooLarge(LimitedBodies.TooLargeException e) {
        return e.toResponse();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(Status.FORBIDDEN, "this call needs a role the token does not carry").toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadable(json);
        }
        int status = e.getResponse().getStatus();
        Status known = Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = e.getMessage() == null || e.getMessage().startsWith("HTTP ") ? title : e.getMessage();
        return Problem.of(status, title, detail).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return Problem.of(Status.INTERNAL_SERVER_ERROR, "the server failed; the error is logged").toResponse();
    }

    private static Response unauthenticated() {
        return Response.fromResponse(Problem.of(Status.UNAUTHORIZED, "a valid bearer token is required").toResponse())
                .header("WWW-Authenticate", "Bearer").build();
    }

    private static String field(ConstraintViolation<?> violation) {
        // "submit.request.sleepMs" -> "sleep_ms": the name the client sent.
        String path = violation.getPropertyPath().toString();
        String last = path.substring(path.lastIndexOf('.') + 1);
        return last.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
