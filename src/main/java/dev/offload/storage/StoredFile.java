package dev.offload.storage;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A complete file in the store: who owns it, what it is, how big, its SHA-256 and when it expires.
 * {@code chunks} counts the PostgreSQL chunks holding its content (0 when the content is elsewhere, or empty);
 * {@code name} is the name it was uploaded with, null for results written before files had names.
 */
public record StoredFile(UUID id, String owner, String contentType, long size, String sha256, int chunks,
        OffsetDateTime createdAt, OffsetDateTime expiresAt, String name) {
}
