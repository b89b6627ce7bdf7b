package dev.offload.transfer;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A resource as {@code GET /api/v1/resources} lists it: its columns with their types, and its key. */
public record ResourceResponse(String name, List<ColumnResponse> columns, List<String> key, boolean importable,
        @Schema(nullable = true) String timeZone) {

    public record ColumnResponse(String name, String header, String type, String sqlType, boolean nullable,
            boolean hasDefault, @Schema(nullable = true) Integer maxLength,
            @Schema(nullable = true) Integer precision, @Schema(nullable = true) Integer scale, boolean key, boolean readOnly) {
    }

    static ResourceResponse of(TransferResource r) {
        return new ResourceResponse(r.name(), r.columns().stream().map(c -> new ColumnResponse(c.name(), c.header(),
                c.type().value(), c.sqlType(), !c.notNull(), c.hasDefault(), c.maxLength() > 0 ? c.maxLength() : null,
                c.precision() > 0 ? c.precision() : null, c.precision() > 0 ? c.scale() : null, c.key(), c.readOnly()))
                .toList(), r.key(), !r.exportOnly(), r.zone().map(Object::toString).orElse(null));
    }
}
