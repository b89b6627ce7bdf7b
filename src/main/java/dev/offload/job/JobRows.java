package dev.offload.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Map;

/**
 * Rows as the engine reads them ({@code to_jsonb} of a row: columns by name) and writes them: a job, and a
 * kind's typed row, whose record components are its table's columns in camelCase.
 */
public final class JobRows {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE, false)
            .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final TypeReference<Map<String, Object>> COLUMNS = new TypeReference<>() {
    };

    private JobRows() {
    }

    /** A job from its row as JSON. */
    public static Job job(JsonObject row) {
        return read(row, Job.class);
    }

    /** A kind's row from its row as JSON ({@code job_id} and columns the type does not name are ignored). */
    public static <R> R read(JsonObject row, Class<R> type) {
        try {
            return MAPPER.readValue(row.toBuffer().getBytes(), type);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read a " + type.getSimpleName() + " from its row: " + e.getMessage(), e);
        }
    }

    /** A kind's row as column → value, without its null fields (so the table's defaults apply). */
    public static Map<String, Object> columns(Object row) {
        return MAPPER.convertValue(row, COLUMNS);
    }
}
