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
 * scheduled tasks. (Which processes consume the kinds' queues follows from the role too: see
 * {@code dev.offload.job.JobConsumers}.)
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
        }
        return List.of(new MapBackedConfigSource("offload-role", derived, 50) {
        });
    }
}
