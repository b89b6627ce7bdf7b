package dev.offload.archive;

import java.util.List;

/** An archive format id no backend declares; carries the ids that exist. */
public class UnknownArchiveBackendException extends RuntimeException {

    private final String id;
    private final List<String> known;

    public UnknownArchiveBackendException(String id, List<String> known) {
        super("unknown archive format '" + id + "'; known formats: " + String.join(", ", known));
        this.id = id;
        this.known = List.copyOf(known);
    }

    public String id() {
        return id;
    }

    public List<String> known() {
        return known;
    }
}
