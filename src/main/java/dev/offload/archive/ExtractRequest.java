package dev.offload.archive;

import java.util.UUID;

/** An uploaded archive to unpack; its backend is found from its first bytes or name when left out. */
public record ExtractRequest(UUID fileId, String backend) {
}
