package dev.offload.job;

import dev.offload.storage.FileStore;
import dev.offload.storage.StoredFile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestMulti;

/** Streams a stored file as a download: type, length, disposition and ETag from the file; a chunk at a time. */
@ApplicationScoped
public class ResultDownloads {

    /** A file to download under {@code filename}. */
    public record Download(StoredFile file, String filename) {
    }

    private final FileStore store;

    public ResultDownloads(FileStore store) {
        this.store = store;
    }

    public RestMulti<Buffer> stream(Uni<Download> download) {
        return RestMulti.fromUniResponse(download, d -> store.content(d.file()), ResultDownloads::headers);
    }

    public Uni<Response> headers(Uni<Download> download) {
        return download.map(d -> {
            Response.ResponseBuilder response = Response.ok();
            headers(d).forEach((name, values) -> values.forEach(v -> response.header(name, v)));
            return response.build();
        });
    }

    private static Map<String, List<String>> headers(Download download) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put(HttpHeaders.CONTENT_TYPE, List.of(download.file().contentType()));
        headers.put(HttpHeaders.CONTENT_LENGTH, List.of(Long.toString(download.file().size())));
        headers.put("Content-Disposition", List.of("attachment; filename=\"" + download.filename().replace("\"", "") + "\""));
        headers.put(HttpHeaders.ETAG, List.of("\"sha256-" + download.file().sha256() + "\""));
        headers.put(HttpHeaders.CACHE_CONTROL, List.of("private, no-store"));
        return headers;
    }
}
