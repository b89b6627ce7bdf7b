package dev.offload.transfer;

import dev.offload.job.Callers;
import dev.offload.storage.FileNames;
import dev.offload.tabular.Column;
import dev.offload.tabular.Progress;
import dev.offload.tabular.Sheet;
import dev.offload.tabular.XlsxWriter;
import dev.offload.web.InvalidParameterException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The resources that may be imported and exported, and an empty file with each one's header. */
@Path("/api/v1/resources")
@Authenticated
public class ResourcesResource {

    private final TransferService transfers;
    private final SecurityIdentity identity;

    public ResourcesResource(TransferService transfers, SecurityIdentity identity) {
        this.transfers = transfers;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The resources: names, columns, types, keys")
    public List<ResourceResponse> list() {
        return transfers.visible(Callers.of(identity)).stream().map(ResourceResponse::of).toList();
    }

    @GET
    @Path("{name}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One resource")
    @APIResponse(responseCode = "200", description = "The resource: its columns, types and keys",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ResourceResponse.class)))
    @APIResponse(responseCode = "404", description = "No such resource", content = @Content(mediaType = "application/problem+json"))
    public ResourceResponse get(@PathParam("name") String name) {
        return ResourceResponse.of(find(name));
    }

    @GET
    @Path("{name}/template")
    @Blocking
    @Operation(summary = "An empty file with the resource's header, as csv (default), tsv or xlsx")
    @APIResponse(responseCode = "200", description = "The template",
            content = @Content(mediaType = "*/*", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "400", description = "An unknown format", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "No such resource", content = @Content(mediaType = "application/problem+json"))
    public Response template(@PathParam("name") String name, @QueryParam("format") String format) throws Exception {
        TransferResource resource = find(name);
        TransferFormat chosen = format == null ? TransferFormat.CSV : TransferFormat.of(format)
                .filter(f -> f != TransferFormat.JSON)
                .orElseThrow(() -> new InvalidParameterException("format", "must be csv, tsv or xlsx"));
        List<ResourceColumn> columns = resource.columns().stream().filter(c -> !c.readOnly()).toList();
        byte[] body;
        if (chosen == TransferFormat.XLSX) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            XlsxWriter.write(List.of(new Sheet(resource.name(), columns.stream()
                    .map(c -> Column.text(c.header(), Math.max(12, c.header().length() + 2))).toList(), 0, sink -> {
                    })), Progress.NONE, out);
            body = out.toByteArray();
        } else {
            String separator = chosen == TransferFormat.TSV ? "\t" : ",";
            body = (columns.stream().map(c -> quote(c.header(), separator)).collect(Collectors.joining(separator))
                    + "\r\n").getBytes(StandardCharsets.UTF_8);
        }
        return Response.ok(body, chosen.contentType())
                .header("Content-Disposition", FileNames.contentDisposition(resource.name() + "." + chosen.extension()))
                .build();
    }

    private static String quote(String header, String separator) {
        return header.contains(separator) || header.contains("\"") || header.contains("\n")
                ? "\"" + header.replace("\"", "\"\"") + "\"" : header;
    }

    private TransferResource find(String name) {
        return transfers.visible(Callers.of(identity)).stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("no resource " + name));
    }
}
