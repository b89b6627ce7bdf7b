package dev.offload.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a request whose declared length exceeds {@code quarkus.http.limits.max-body-size} with a
 * problem+json 413 before reading it. It runs just before Quarkus's own limit, after authentication is set
 * up, so a route that streams a larger body with its own limit (the files API's uploads) can be registered
 * ahead of both.
 *
 * <p>A body without a declared length (chunked) is counted as it is read instead, by {@link LimitedBodies}:
 * Quarkus's own count would answer an empty 413 from under the resource and then fail to write its
 * response, so the mark it leaves for its count is taken away just after it is set.
 */
@ApplicationScoped
public class BodyLimit {

    private final long limit;
    private final ObjectMapper json;

    public BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit, ObjectMapper json) {
        this.limit = limit.asLongValue();
        this.json = json;
    }

    /** Just before Quarkus's limit ({@code RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT}, -2). */
    public static final int ROUTE_ORDER = -3;

    /** Where Quarkus leaves the limit for its reader of undeclared bodies (VertxInputStream). */
    static final String QUARKUS_LIMIT_KEY = "io.quarkus.max-request-size";

    public long limit() {
        return limit;
    }

    void install(@Observes Router router) {
        // Just after Quarkus's limit (-2), which marks undeclared bodies for its reader to count.
        router.route().order(ROUTE_ORDER + 2).handler(ctx -> {
            if (ctx.get(QUARKUS_LIMIT_KEY) != null) {
                ctx.remove(QUARKUS_LIMIT_KEY); // LimitedBodies counts instead, and answers problem+json
            }
            ctx.next();
        });
        router.route().order(ROUTE_ORDER).handler(ctx -> {
            String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null && parse(declared) > limit) {
                Problem problem = tooLarge("the request body is " + declared + " bytes; at most " + limit
                        + " are accepted");
                try {
                    ctx.response().setStatusCode(413)
                            .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                            .putHeader(HttpHeaders.CONNECTION, "close")
                            .end(json.writeValueAsString(problem));
                } catch (Exception e) {
                    ctx.fail(413);
                }
                return;
            }
            ctx.next();
        });
    }

    static Problem tooLarge(String detail) {
        return Problem.of(413, "Content Too Large", detail).withType("/problems/body-too-large");
    }

    private static long parse(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
