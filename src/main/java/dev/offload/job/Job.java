package dev.offload.job;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * What the engine needs of every job, whatever its kind. The state attributes change only through
 * {@link dev.offload.workflow.WorkflowService}.
 */
@Entity
@Table(name = "job")
public class Job extends PanacheEntityBase {

    public static final String ENTITY = "Job";
    public static final String TABLE = "job";

    @Id
    public UUID id;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String owner;

    @Column(nullable = false)
    public String state;

    @Column(nullable = false)
    public int attempt;

    @Column(name = "max_attempts", nullable = false)
    public int maxAttempts;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_expires_at")
    public OffsetDateTime leaseExpiresAt;

    @Column(name = "progress_done", nullable = false)
    public long progressDone;

    @Column(name = "progress_total")
    public Long progressTotal;

    @Column(name = "error_message")
    public String errorMessage;

    @Column(name = "error_type")
    public String errorType;

    @Column(name = "error_trace")
    public String errorTrace;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "queued_at", nullable = false)
    public OffsetDateTime queuedAt;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    /** The stored file the job produced, if its kind produces one; set when the job succeeds. */
    @Column(name = "result_file_id")
    public UUID resultFileId;
}
