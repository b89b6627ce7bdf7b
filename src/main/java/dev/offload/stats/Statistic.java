package dev.offload.stats;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One numeric value of a fetched statistics document: the endpoint it came from, when it was fetched
 * (its {@link StatisticFetch}), and its dotted key path. The three together are the key; rows are
 * written only by {@link StatisticWriter}.
 */
@Entity
@Table(name = "statistic")
@IdClass(Statistic.Key.class)
public class Statistic extends PanacheEntityBase {

    /** Characters the endpoint column holds (V3__statistics.sql). */
    public static final int ENDPOINT_LENGTH = 512;
    /** Characters the key column holds (V3__statistics.sql). */
    public static final int KEY_LENGTH = 512;

    @Id
    @Column(nullable = false, length = ENDPOINT_LENGTH)
    public String endpoint;

    @Id
    @Column(name = "fetched_at", nullable = false)
    public OffsetDateTime fetchedAt;

    @Id
    @Column(name = "key", nullable = false, length = KEY_LENGTH)
    public String key;

    @Column(name = "numeric_value", nullable = false)
    public BigDecimal numericValue;

    /** The primary key: endpoint, fetch time, key path. */
    public static class Key implements Serializable {
        public String endpoint;
        public OffsetDateTime fetchedAt;
        public String key;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Objects.equals(endpoint, other.endpoint)
                    && Objects.equals(fetchedAt, other.fetchedAt) && Objects.equals(key, other.key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(endpoint, fetchedAt, key);
        }
    }
}
