package dev.offload.canary;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** The canary's own fields, keyed by the job id. */
@Entity
@Table(name = "canary_job")
public class CanaryJob extends PanacheEntityBase {

    @Id
    @Column(name = "job_id")
    public UUID jobId;

    @Column(name = "sleep_ms", nullable = false)
    public int sleepMs;

    @Column(nullable = false)
    public boolean fail;

    @Column(name = "progress_steps", nullable = false)
    public int progressSteps;
}
