package dev.offload.linecount;

import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/** What a client sends: the stored file to count. */
public record LineCountRequest(@NotNull UUID fileId) {
}
