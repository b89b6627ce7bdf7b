package dev.offload.job;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * What the engine needs of every job, whatever its kind: a row of the {@value #TABLE} table. Its state
 * attributes change only through {@link dev.offload.workflow.WorkflowService}; the engine reads it with
 * SQL ({@link JobRows}).
 */
public class Job {

    public static final String TABLE = "job";

    public UUID id;
    public String kind;
    public String owner;
    public String state;
    public int attempt;
    public int maxAttempts;
    public String leaseOwner;
    public OffsetDateTime leaseExpiresAt;
    public long progressDone;
    public Long progressTotal;
    public String errorMessage;
    public String errorType;
    public String errorTrace;
    public OffsetDateTime createdAt;
    public OffsetDateTime queuedAt;
    public OffsetDateTime startedAt;
    public OffsetDateTime finishedAt;
    /** The stored file the job produced, if its kind produces one; set when a phase succeeds. */
    public UUID resultFileId;
}
