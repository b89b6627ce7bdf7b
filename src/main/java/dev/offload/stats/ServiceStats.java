package dev.offload.stats;

import dev.offload.job.JobKind;
import dev.offload.job.JobKinds;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Counts the service's jobs by kind and state, and those waiting for a worker. Counts come from the
 * job rows, which are the truth (a queue message is only a wake-up).
 */
@ApplicationScoped
public class ServiceStats {

    private static final String COUNTS = "SELECT kind, state, count(*) FROM job GROUP BY kind, state";

    private final Pool pool;
    private final JobKinds kinds;

    public ServiceStats(Pool pool, JobKinds kinds) {
        this.pool = pool;
        this.kinds = kinds;
    }

    public Uni<ServiceStatsResponse> current() {
        return pool.query(COUNTS).execute().map(rows -> {
            // Every declared kind and state appears, zero or not, so each key has an unbroken series.
            Map<String, Map<String, Long>> counts = new TreeMap<>();
            for (JobKind kind : kinds.all()) {
                Map<String, Long> byState = new TreeMap<>();
                kind.workflow().states().forEach(state -> byState.put(state, 0L));
                counts.put(kind.name(), byState);
            }
            rows.forEach(row -> counts.computeIfAbsent(row.getString("kind"), k -> new TreeMap<>())
                    .merge(row.getString("state"), row.getLong("count"), Long::sum));

            Map<String, ServiceStatsResponse.Kind> byKind = new TreeMap<>();
            Map<String, Long> waitingByKind = new TreeMap<>();
            counts.forEach((kind, byState) -> {
                long total = byState.values().stream().mapToLong(Long::longValue).sum();
                byKind.put(kind, new ServiceStatsResponse.Kind(total, byState));
                Set<String> waiting = kinds.find(kind)
                        .map(k -> k.phases().stream().map(JobKind.Phase::waiting).collect(Collectors.toSet()))
                        .orElse(Set.of());
                waitingByKind.put(kind, waiting.stream().mapToLong(s -> byState.getOrDefault(s, 0L)).sum());
            });
            long total = byKind.values().stream().mapToLong(ServiceStatsResponse.Kind::total).sum();
            long waiting = waitingByKind.values().stream().mapToLong(Long::longValue).sum();
            return new ServiceStatsResponse(new ServiceStatsResponse.Jobs(total, byKind),
                    new ServiceStatsResponse.QueueDepth(waiting, waitingByKind));
        });
    }
}
