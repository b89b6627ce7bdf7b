package dev.offload.storage;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A stored file as clients see it: its metadata and where its content is. */
public record FileResponse(UUID id, @Schema(nullable = true) String name, String owner, long size, String sha256,
        @Schema(nullable = true) String contentType, OffsetDateTime createdAt,
        @Schema(nullable = true) OffsetDateTime expiresAt, Map<String, String> links) {

    public static String location(UUID id) {
        return FilesResource.PATH + "/" + id;
    }

    public static FileResponse of(StoredFile file) {
        String self = location(file.id());
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", self);
        links.put("content", self + "/content");
        return new FileResponse(file.id(), file.name(), file.owner(), file.size(), file.sha256(), file.contentType(),
                file.createdAt(), file.expiresAt(), links);
    }
}
