package dev.offload.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The response that downloads a stored file, for any resource that serves one (the files API, a job's result, a
 * report): the content streamed with its Content-Type, Content-Length (never chunked as well), a
 * Content-Disposition naming {@code filename} (RFC 6266, with the RFC 5987 form for non-ASCII names), and an ETag
 * made of its SHA-256. Check who may read the file before calling.
 */
@ApplicationScoped
public class FileDownloads {

    private final FileStore store;

    public FileDownloads(FileStore store) {
        this.store = store;
    }

    /** {@code GET}: the headers and the content. */
    public Response download(StoredFile file, String filename) {
        return headers(Response.ok(new FileContent(file.size(), store.content(file))), file, filename).build();
    }

    /** {@code HEAD}: the same headers, no content. */
    public Response head(StoredFile file, String filename) {
        return headers(Response.ok(), file, filename).build();
    }

    /** The ETag of a stored file: its checksum, the same wherever and whenever it is served. */
    public static String etag(StoredFile file) {
        return "\"sha256-" + file.sha256() + "\"";
    }

    private static Response.ResponseBuilder headers(Response.ResponseBuilder response, StoredFile file, String filename) {
        return response.header(HttpHeaders.CONTENT_TYPE, file.contentType())
                .header(HttpHeaders.CONTENT_LENGTH, Long.toString(file.size()))
                .header("Content-Disposition", FileNames.contentDisposition(filename))
                .header(HttpHeaders.ETAG, etag(file))
                .header(HttpHeaders.CACHE_CONTROL, "private, no-store")
                // served as a download of what a user sent: a browser must not guess it is a page
                .header("X-Content-Type-Options", "nosniff");
    }
}
