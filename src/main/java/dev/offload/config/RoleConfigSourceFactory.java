package dev.offload.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Derives settings from {@code offload.role}: a command process neither listens on a port nor runs
 * scheduled tasks, and logs only what is wrong. (Which processes consume the kinds' queues follows from
 * the role too: see {@code dev.offload.job.JobConsumers}.)
 */
public class RoleConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue role = context.getValue("offload.role");
        String value = role == null || role.getValue() == null ? "all" : role.getValue().toLowerCase(Locale.ROOT);
        boolean command = value.equals("command");
        Map<String, String> derived = new java.util.HashMap<>();
        if (command) {
            // A command does one thing and exits: no port to bind, no periodic work.
            derived.put("quarkus.http.host-enabled", "false");
            derived.put("quarkus.scheduler.enabled", "false");
            // Its output is what the caller (a CronJob's log) reads; QUARKUS_LOG_LEVEL still overrides this.
            derived.put("quarkus.log.level", "WARN");
            // With no port, it exports no metrics: a meter registered twice is no news. Quarkus 3.34 registers
            // some twice in every process (netty.eventexecutor.workers, quarkusio/quarkus#52014; then the
            // PostgreSQL client's queue.size), and Micrometer warns about the first.
            derived.put("quarkus.log.category.\"io.micrometer.core.instrument.MeterRegistry\".level", "ERROR");
        }
        return List.of(new MapBackedConfigSource("offload-role", derived, 50) {
        });
    }
}
