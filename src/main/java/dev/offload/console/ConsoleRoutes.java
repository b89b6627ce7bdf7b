package dev.offload.console;

import dev.offload.config.OffloadConfig;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** A worker-only process serves no API, so no console either: its pages would only show errors. */
@ApplicationScoped
public class ConsoleRoutes {

    void install(@Observes Router router, OffloadConfig config) {
        if (!config.role().servesApi()) {
            router.routeWithRegex("/console(/.*)?").order(-10).handler(ctx -> ctx.response().setStatusCode(404)
                    .putHeader("Content-Type", "text/plain").end("this process runs workers only; the console is served by api pods"));
        }
    }
}
