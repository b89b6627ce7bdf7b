package dev.offload.report;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A report's own fields, keyed by its job id; the job row holds its state and its result file. */
@Entity
@Table(name = "report")
public class Report extends PanacheEntityBase {

    public static final String ENTITY = "Report";

    @Id
    @Column(name = "job_id")
    public UUID jobId;

    @Column(name = "generator_type", nullable = false)
    public String generatorType;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "generator_options", nullable = false)
    public Map<String, Object> generatorOptions;

    /** Whether the owner was an admin at submit: generators scope what they show by it. */
    @Column(name = "owner_is_admin", nullable = false)
    public boolean ownerIsAdmin;

    @Column(name = "output_filename")
    public String outputFilename;

    @Column(name = "content_type")
    public String contentType;

    @Column(name = "size")
    public Long size;

    /** When the result stops being downloadable (and {@code cleanup} deletes it). */
    @Column(name = "expires_at")
    public java.time.OffsetDateTime expiresAt;
}
