package dev.offload.stats;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One stored fetch of an endpoint: when, how many rows it stored and how many values it skipped.
 * Its key makes storing the same fetch twice a no-op; written only by {@link StatisticWriter}.
 */
@Entity
@Table(name = "statistic_fetch")
@IdClass(StatisticFetch.Key.class)
public class StatisticFetch extends PanacheEntityBase {

    @Id
    @Column(nullable = false, length = Statistic.ENDPOINT_LENGTH)
    public String endpoint;

    @Id
    @Column(name = "fetched_at", nullable = false)
    public OffsetDateTime fetchedAt;

    @Column(name = "row_count", nullable = false)
    public int rowCount;

    @Column(nullable = false)
    public int skipped;

    /** The primary key: endpoint, fetch time. */
    public static class Key implements Serializable {
        public String endpoint;
        public OffsetDateTime fetchedAt;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Objects.equals(endpoint, other.endpoint)
                    && Objects.equals(fetchedAt, other.fetchedAt);
        }

        @Override
        public int hashCode() {
            return Objects.hash(endpoint, fetchedAt);
        }
    }
}
