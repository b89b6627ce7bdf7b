package dev.offload.stats;

import dev.offload.Command;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.PrintStream;
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

/**
 * {@code gather-stats [--endpoint URL ...] [--header "Name: value" ...] [--timeout 10s] [--at TIME]}: fetches
 * each endpoint once and stores its statistics; prints one line per endpoint and exits 0 when every
 * endpoint was stored, 1 when any failed, 2 for a usage error. Without options it runs on
 * {@link StatsConfig}, as a CronJob does.
 */
@ApplicationScoped
@Named(GatherStatsCommand.NAME)
public class GatherStatsCommand implements Command {

    public static final String NAME = "gather-stats";
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    static final String USAGE_LINE = NAME + " [--endpoint URL ...] [--header \"Name: value\" ...] [--timeout 10s]"
            + " [--at 2025-01-31T12:00:00Z]";

    private final StatsGatherer gatherer;
    private final StatsConfig config;

    public GatherStatsCommand(StatsGatherer gatherer, StatsConfig config) {
        this.gatherer = gatherer;
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String usage() {
        return USAGE_LINE;
    }

    @Override
    public int run(List<String> args) {
        return run(args, System.out, System.err);
    }

    public int run(List<String> args, PrintStream out, PrintStream err) {
        GatherRequest request;
        try {
            request = request(args, Instant.now());
        } catch (IllegalArgumentException e) {
            err.println(NAME + ": " + e.getMessage());
            err.println("usage: offload " + USAGE_LINE);
            return USAGE;
        }
        boolean allStored = true;
        for (EndpointResult result : gatherer.gather(request)) {
            out.println(result.describe());
            allStored &= result.ok();
        }
        out.flush();
        return allStored ? 0 : FAILED;
    }

    /** The run the arguments and the configuration ask for; an option replaces its setting. */
    GatherRequest request(List<String> args, Instant now) {
        List<String> endpoints = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        Duration timeout = config.timeout();
        OffsetDateTime at = null;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (!List.of("--endpoint", "--header", "--timeout", "--at").contains(option)) {
                throw new IllegalArgumentException("unexpected argument: " + option);
            }
            if (i + 1 == args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args.get(++i);
            switch (option) {
                case "--endpoint" -> endpoints.add(value.trim());
                case "--header" -> headers.add(value);
                case "--timeout" -> timeout = duration(value);
                default -> at = instant(value);
            }
        }
        if (endpoints.isEmpty()) {
            config.endpoints().ifPresent(configured -> configured.stream().map(String::trim)
                    .filter(e -> !e.isEmpty()).forEach(endpoints::add));
        }
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no endpoint: give --endpoint URL or set OFFLOAD_STATS_ENDPOINTS");
        }
        if (headers.isEmpty()) {
            config.headers().ifPresent(headers::addAll);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("the timeout must be positive");
        }
        OffsetDateTime fetchedAt = at != null ? at : rounded(now, config.fetchedAtPrecision());
        return new GatherRequest(endpoints, headers(headers), timeout, config.maxBodySize().asLongValue(),
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

    private static Map<String, String> headers(List<String> headers) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String header : headers) {
            if (header.isBlank()) {
                continue;
            }
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("a header is 'Name: value', not '" + header + "'");
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            try {
                HttpRequest.newBuilder(URI.create("http://localhost/")).header(name, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the header '" + name + "' cannot be sent: " + e.getMessage());
            }
            parsed.put(name, value);
        }
        return parsed;
    }

    private static Duration duration(String value) {
        try {
            return DurationConverter.parseDuration(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--timeout takes a duration such as 10s, 500ms or 1m, not '" + value + "'");
        }
    }

    private static OffsetDateTime instant(String value) {
        try {
            return OffsetDateTime.parse(value.trim()).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--at takes a time such as 2025-01-31T12:00:00Z, not '" + value + "'");
        }
    }
}
