package dev.offload.archive;

import java.io.IOException;

/**
 * An archive read was refused: a hostile or unsupported entry, a limit passed, or a corrupt or truncated archive.
 * Thrown as soon as it is seen, out of {@link ArchiveReader} or out of an entry's content stream while a handler
 * reads it; whatever the caller stored of the archive so far must be discarded.
 */
public class ArchiveRefusedException extends IOException {

    /** Why, for a client to act on. */
    public enum Reason {
        /** An entry's path breaks {@link EntryPaths}' rules. */
        PATH,
        /** A path that occurs twice, or a file that is also another entry's directory. */
        DUPLICATE,
        /** A symbolic or hard link. */
        LINK,
        /** A device, FIFO, sparse file or other entry that is not a plain file or directory. */
        SPECIAL_FILE,
        /** An encrypted entry. */
        ENCRYPTED,
        /** More entries than allowed. */
        TOO_MANY_ENTRIES,
        /** More uncompressed content than allowed. */
        TOO_LARGE,
        /** Compressed beyond the allowed ratio: a decompression bomb. */
        RATIO,
        /** Not a format (or a compression method) a backend reads. */
        UNSUPPORTED,
        /** Damaged or cut short. */
        CORRUPT
    }

    private final Reason reason;
    private final String entry;

    public ArchiveRefusedException(Reason reason, String entry, String message) {
        this(reason, entry, message, null);
    }

    public ArchiveRefusedException(Reason reason, String entry, String message, Throwable cause) {
        super(entry == null ? message : "entry " + EntryPaths.quote(entry) + " " + message, cause);
        this.reason = reason;
        this.entry = entry;
    }

    public Reason reason() {
        return reason;
    }

    /** The entry at fault, as the archive names it; null when the archive as a whole is. */
    public String entry() {
        return entry;
    }
}
