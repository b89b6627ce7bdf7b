package dev.offload.stats;

import dev.offload.ApplicationCommand;
import dev.offload.DurationOption;
import dev.offload.HelpOption;
import dev.offload.db.Timestamps;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code offload gather-stats}: fetches each endpoint once and stores its statistics; prints one line per
 * endpoint. Without options it runs on {@link StatsConfig}, as a CronJob does; an option replaces its setting.
 */
@Command(name = "gather-stats",
        description = {"Fetches JSON statistics from each endpoint once and stores them.",
                "Every number in the document becomes a row (flattened key path, value, fetch time); prints one line"
                        + " per endpoint. Without options it gathers what OFFLOAD_STATS_ENDPOINTS, OFFLOAD_STATS_HEADERS"
                        + " and OFFLOAD_STATS_TIMEOUT say; an option replaces its setting."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every endpoint was stored", "1:an endpoint failed (the others were stored)", "2:a usage error"})
@Dependent
@Unremovable // made at run time by dev.offload.Commands, which the build cannot see as a use
public class GatherStatsCommand implements ApplicationCommand {

    public static final int FAILED = 1;

    @Option(names = "--endpoint", paramLabel = "URL", description = "An http(s) URL to fetch; repeat for more.")
    List<String> endpoints = new ArrayList<>();

    @Option(names = "--header", paramLabel = "HEADER", description = "A header 'Name: value' sent with every fetch"
            + " (to the endpoint's own origin only, not after a redirect elsewhere); repeat for more.")
    List<String> headers = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationOption.class,
            description = "The longest one fetch may take, e.g. 10s (the setting's default) or 500ms.")
    Duration timeout;

    @Option(names = "--at", paramLabel = "TIME", converter = FetchTime.class,
            description = "The fetch time to store, e.g. 2025-01-31T12:00:00Z (default: now, rounded down to the"
                    + " minute, so a CronJob started twice stores its fetch once).")
    OffsetDateTime at;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    // Injected, not constructed: picocli makes this object before the application starts, to check the
    // arguments, and the application makes it again to run it (see dev.offload.Commands).
    @Inject
    StatsGatherer gatherer;

    @Inject
    StatsConfig config;

    @Override
    public Integer call() {
        GatherRequest request = request(Timestamps.now().toInstant());
        PrintWriter out = spec.commandLine().getOut();
        boolean allStored = true;
        for (EndpointResult result : gatherer.gather(request)) {
            out.println(result.describe());
            allStored &= result.ok();
        }
        out.flush();
        return allStored ? 0 : FAILED;
    }

    /** The run the options and the configuration ask for; an option replaces its setting. */
    private GatherRequest request(Instant now) {
        List<String> urls = new ArrayList<>(endpoints.stream().map(String::trim).toList());
        if (urls.isEmpty()) {
            config.endpoints().ifPresent(configured -> configured.stream().map(String::trim)
                    .filter(e -> !e.isEmpty()).forEach(urls::add));
        }
        if (urls.isEmpty()) {
            throw usage("No endpoint: give --endpoint URL or set OFFLOAD_STATS_ENDPOINTS");
        }
        List<String> sent = headers.isEmpty() ? config.headers().orElse(List.of()) : headers;
        Duration limit = timeout != null ? timeout : config.timeout();
        if (limit.isZero() || limit.isNegative()) {
            throw usage("OFFLOAD_STATS_TIMEOUT must be positive, not " + limit);
        }
        OffsetDateTime fetchedAt = at != null ? at : rounded(now, config.fetchedAtPrecision());
        return new GatherRequest(urls, headers(sent), limit, config.maxBodySize().asLongValue(),
                config.maxDepth(), config.maxRedirects(), fetchedAt);
    }

    /** The fetch time: now, rounded down to the precision; PostgreSQL keeps microseconds. */
    static OffsetDateTime rounded(Instant now, Duration precision) {
        Instant micros = now.truncatedTo(ChronoUnit.MICROS);
        long step = precision.toNanos() / 1000;
        if (step > 1) {
            long epochMicros = ChronoUnit.MICROS.between(Instant.EPOCH, micros);
            micros = Instant.EPOCH.plus(Math.floorDiv(epochMicros, step) * step, ChronoUnit.MICROS);
        }
        return micros.atOffset(ZoneOffset.UTC);
    }

    private Map<String, String> headers(List<String> headers) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String header : headers) {
            if (header.isBlank()) {
                continue;
            }
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw usage("A header is 'Name: value', not '" + header + "'");
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            try {
                HttpRequest.newBuilder(URI.create("http://localhost/")).header(name, value);
            } catch (IllegalArgumentException e) {
                throw usage("The header '" + name + "' cannot be sent: " + e.getMessage());
            }
            parsed.put(name, value);
        }
        return parsed;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** {@code --at}: a time with its offset, stored in UTC to the microsecond. */
    public static final class FetchTime implements ITypeConverter<OffsetDateTime> {
        @Override
        public OffsetDateTime convert(String value) {
            try {
                return OffsetDateTime.parse(value.trim()).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a time such as 2025-01-31T12:00:00Z");
            }
        }
    }
}
