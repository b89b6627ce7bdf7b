package dev.offload.archive;

/** A backend clients may name: its id, the extension of its archives and their media type. */
public record BackendResponse(String id, String extension, String contentType) {

    static BackendResponse of(ArchiveBackend backend) {
        return new BackendResponse(backend.id(), backend.extension(), backend.contentType());
    }
}
