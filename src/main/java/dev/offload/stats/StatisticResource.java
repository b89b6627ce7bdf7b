package dev.offload.stats;

import dev.offload.config.OffloadConfig;
import dev.offload.job.PageRequest;
import dev.offload.job.Paging;
import dev.offload.web.InvalidParameterException;
import dev.offload.web.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Reads the statistics gather-stats stored (admins only: they describe the whole installation). */
@Path("/api/v1/statistics")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class StatisticResource {

    public record StatisticResponse(String endpoint, String key, BigDecimal value, OffsetDateTime fetchedAt) {

        static StatisticResponse of(Statistic s) {
            return new StatisticResponse(s.endpoint, s.key, s.numericValue, s.fetchedAt);
        }
    }

    public record StatisticPageResponse(List<StatisticResponse> items, int page, int size, boolean hasMore) {
    }

    public record StatisticListResponse(List<StatisticResponse> items) {
    }

    public record StatisticSeriesResponse(String endpoint, String key, List<Point> points) {

        public record Point(OffsetDateTime fetchedAt, BigDecimal value) {
        }
    }

    public record StatisticSegmentsResponse(String pattern, String segment, List<String> values) {
    }

    private final StatisticService statistics;
    private final OffloadConfig config;

    public StatisticResource(StatisticService statistics, OffloadConfig config) {
        this.statistics = statistics;
        this.config = config;
    }

    @GET
    public Uni<StatisticPageResponse> list(@QueryParam("endpoint") String endpoint, @QueryParam("prefix") String prefix,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        PageRequest request = Paging.of(page, size, config.maxPageSize());
        int pageSize = request.size();
        return statistics.list(blankToNull(endpoint), prefix(prefix), time("from", from), time("to", to), request)
                .map(found -> new StatisticPageResponse(
                        found.stream().limit(pageSize).map(StatisticResponse::of).toList(),
                        request.page(), pageSize, found.size() > pageSize));
    }

    /**
     * The values of each endpoint's most recent fetch; with {@code nested=true} (which needs an endpoint)
     * as the document they came from, as far as its numbers go.
     */
    @APIResponse(responseCode = "200", description = "Flat, {\"items\": [statistic, ...]}; with nested=true, the "
            + "endpoint's document in its own shape (numbers only)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.OBJECT, additionalProperties = Schema.True.class)))
    @GET
    @Path("latest")
    public Uni<Response> latest(@QueryParam("endpoint") String endpoint, @QueryParam("prefix") String prefix,
            @Parameter(schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
            @QueryParam("nested") String nestedParameter) {
        boolean nested = flag("nested", nestedParameter);
        String source = blankToNull(endpoint);
        if (nested && source == null) {
            throw new InvalidQueryException("endpoint", "is required with nested=true: each endpoint has a shape of its own");
        }
        return statistics.latest(source, prefix(prefix)).map(latest -> {
            if (!nested) {
                return Response.ok(new StatisticListResponse(latest.stream().map(StatisticResponse::of).toList())).build();
            }
            Map<String, BigDecimal> flat = new LinkedHashMap<>();
            latest.forEach(s -> flat.put(s.key, s.numericValue));
            return Response.ok(Flattener.nest(flat)).build();
        });
    }

    @GET
    @Path("series")
    public Uni<StatisticSeriesResponse> series(@QueryParam("endpoint") @NotBlank String endpoint,
            @QueryParam("key") @NotBlank String key, @QueryParam("from") String from, @QueryParam("to") String to) {
        return statistics.series(endpoint, key, time("from", from), time("to", to))
                .map(points -> new StatisticSeriesResponse(endpoint, key, points.stream()
                        .map(s -> new StatisticSeriesResponse.Point(s.fetchedAt, s.numericValue)).toList()));
    }

    /**
     * The distinct values of the segment a pattern names, gatherstats' "list of institutions" query: in
     * the most recent fetch of each endpoint, or in every fetch between {@code from} and {@code to}.
     */
    @GET
    @Path("segments")
    public Uni<StatisticSegmentsResponse> segments(@QueryParam("pattern") String pattern,
            @QueryParam("endpoint") String endpoint, @QueryParam("from") String from, @QueryParam("to") String to) {
        SegmentPattern parsed;
        try {
            parsed = SegmentPattern.parse(pattern);
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("pattern", e.getMessage());
        }
        return statistics.segmentValues(parsed, blankToNull(endpoint), time("from", from), time("to", to))
                .map(values -> new StatisticSegmentsResponse(pattern, parsed.segment(), values));
    }

    @ServerExceptionMapper
    public Response invalidQuery(InvalidQueryException e) {
        return Problem.of(Response.Status.BAD_REQUEST, "the request is invalid: " + e.field() + " " + e.getMessage())
                .withType("/problems/validation")
                .withErrors(List.of(new Problem.FieldError(e.field(), e.getMessage())))
                .toResponse();
    }

    /** A query parameter that cannot be used, and why. */
    static class InvalidQueryException extends RuntimeException {
        private final String field;

        InvalidQueryException(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    /** ISO-8601 with an offset; a '+' that arrived unencoded as a space is taken back. */
    private static OffsetDateTime time(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim().replace(' ', '+'));
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException(field, "is not a time such as 2025-01-31T12:00:00Z");
        }
    }

    /** A key path prefix; a trailing dot is the same prefix. */
    private static String prefix(String value) {
        String prefix = blankToNull(value);
        while (prefix != null && prefix.endsWith(".")) {
            prefix = blankToNull(prefix.substring(0, prefix.length() - 1));
        }
        return prefix;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** {@code true} or {@code false}, nothing else (absent: false). */
    private static boolean flag(String name, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw new InvalidParameterException(name, "must be true or false, not '" + value + "'");
    }
}
