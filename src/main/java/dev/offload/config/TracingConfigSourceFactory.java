package dev.offload.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tracing is off unless an OTLP endpoint is configured ({@code offload.tracing.endpoint}, {@code
 * OFFLOAD_TRACING_ENDPOINT}): then spans go there over OTLP (gRPC on 4317, or {@code http/protobuf} with
 * {@code offload.tracing.protocol}). Without one the OpenTelemetry SDK is disabled, so nothing is exported
 * nor tried; an explicit {@code QUARKUS_OTEL_SDK_DISABLED} still wins.
 */
public class TracingConfigSourceFactory implements ConfigSourceFactory {

    static final String ENDPOINT = "offload.tracing.endpoint";
    static final String PROTOCOL = "offload.tracing.protocol";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String endpoint = value(context, ENDPOINT);
        Map<String, String> derived = new java.util.HashMap<>();
        if (endpoint == null) {
            derived.put("quarkus.otel.sdk.disabled", "true");
        } else {
            derived.put("quarkus.otel.sdk.disabled", "false");
            derived.put("quarkus.otel.exporter.otlp.traces.endpoint", endpoint);
            String protocol = value(context, PROTOCOL);
            if (protocol != null) {
                derived.put("quarkus.otel.exporter.otlp.traces.protocol", protocol);
            }
        }
        // Above application.properties (250), below the environment (300) and system properties (400).
        return List.of(new MapBackedConfigSource("offload-tracing", derived, 275) {
        });
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? null : value.getValue().trim();
    }
}
