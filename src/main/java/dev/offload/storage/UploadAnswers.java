package dev.offload.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.web.InvalidParameterException;
import dev.offload.web.Problem;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * How the upload routes ({@link FileUploads}) answer, outside RESTEasy: a JSON body with its absolute Location,
 * or a problem+json after which a client still sending has its body drained and its connection closed.
 */
final class UploadAnswers {

    /** What a refused client may still send (and have dropped) before its connection is closed. */
    private static final long DRAIN_LIMIT = 8L * 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(UploadAnswers.class);

    private final ObjectMapper json;

    UploadAnswers(ObjectMapper json) {
        this.json = json;
    }

    /** Answers with {@code answer}'s status, Location (made absolute) and JSON body. */
    void send(RoutingContext ctx, FileUploads.Answer answer) {
        try {
            HttpServerResponse response = ctx.response().setStatusCode(answer.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
            if (answer.location() != null) {
                String absolute = ctx.request().absoluteURI();
                response.putHeader(HttpHeaders.LOCATION, absolute == null ? answer.location()
                        : URI.create(absolute).resolve(answer.location()).toString());
            }
            response.end(json.writeValueAsString(answer.body()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Problem problem(Throwable failure) {
        if (failure instanceof InvalidParameterException e) {
            return invalid(e.parameter(), e.reason());
        }
        if (failure instanceof io.quarkus.security.ForbiddenException) {
            return Problem.of(403, "Forbidden", failure.getMessage());
        }
        LOG.error("an upload's handler failed", failure);
        return Problem.of(500, "Internal Server Error", "the server failed; the error is logged");
    }

    /**
     * Answers with a problem. If the client is still sending, what it sends is read and dropped (up to
     * {@value #DRAIN_LIMIT} bytes) so it gets to read the answer, then the connection is closed.
     */
    void refuse(RoutingContext ctx, Problem problem) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (problem.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        String text;
        try {
            text = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (request.isEnded()) {
            response.end(text);
            return;
        }
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        if (http1) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        Promise<Void> drained = Promise.promise();
        AtomicLong dropped = new AtomicLong();
        request.handler(piece -> {
            if (dropped.addAndGet(piece.length()) > DRAIN_LIMIT) {
                drained.tryComplete();
            }
        });
        request.endHandler(ignored -> drained.tryComplete());
        request.exceptionHandler(ignored -> drained.tryComplete());
        request.resume();
        Future<Void> answered = response.end(text);
        if (http1) {
            Future.join(answered, drained.future()).onComplete(ignored -> request.connection().close());
        }
    }

    static void continueIfExpected(RoutingContext ctx) {
        String expect = ctx.request().getHeader(HttpHeaders.EXPECT);
        if (expect != null && expect.equalsIgnoreCase("100-continue") && ctx.request().version() != HttpVersion.HTTP_1_0) {
            ctx.response().writeContinue();
        }
    }

    static Problem invalid(String field, String message) {
        return Problem.of(400, "Bad Request", "the request is invalid: " + field + " " + message)
                .withType("/problems/validation")
                .withErrors(List.of(new Problem.FieldError(field, message)));
    }

    static Problem unauthenticated() {
        return Problem.of(401, "Unauthorized", "a valid bearer token is required");
    }
}
