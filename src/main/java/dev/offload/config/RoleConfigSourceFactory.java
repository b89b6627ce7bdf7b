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
 * Derives settings from {@code offload.role}: an API-only process opens no queue consumers
 * ({@code offload-derived.consumers-enabled=false}, which the channels' {@code enabled} attribute reads).
 */
public class RoleConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue role = context.getValue("offload.role");
        String value = role == null || role.getValue() == null ? "all" : role.getValue().toLowerCase(Locale.ROOT);
        boolean consumers = !value.equals("api");
        return List.of(new MapBackedConfigSource("offload-role", Map.of(
                "offload-derived.consumers-enabled", Boolean.toString(consumers)), 50) {
        });
    }
}
