package dev.offload.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.Priority;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The two rules of JSON request bodies that the types cannot say. No field of a request is nullable: a
 * {@code null} anywhere in the body (the body itself included) is a 400 naming the field — leave a field
 * out to get its default. An empty body means "all defaults" where a call has a default for every field (a
 * call that needs a field says so with a 400). Bodies are at most {@code quarkus.http.limits.max-body-size}
 * ({@link LimitedBodies} counts them first), so this reads one whole before the resource does.
 */
@Provider
@Priority(LimitedBodies.PRIORITY + 1)
public class JsonBodies implements ReaderInterceptor {

    private static final String NOT_NULL = "must not be null (leave it out for its default)";

    private final ObjectMapper json;

    public JsonBodies(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return context.proceed();
        }
        byte[] body = context.getInputStream().readAllBytes();
        context.setInputStream(new ByteArrayInputStream(body));
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JsonProcessingException e) {
            return context.proceed(); // not JSON: the reader's own 400
        }
        if (tree != null && !tree.isMissingNode()) {
            if (tree.isNull()) {
                throw new InvalidBodyException("the request body is null; send a JSON object (or no body at all "
                        + "where every field has a default)");
            }
            String field = firstNull(tree, "");
            if (field != null) {
                throw new InvalidParameterException(field, NOT_NULL);
            }
        }
        return context.proceed();
    }

    /** The path of the first null in the tree (as the problem's {@code errors[].field} spells it), or null. */
    private static String firstNull(JsonNode node, String path) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                String found = field.getValue().isNull() ? at : firstNull(field.getValue(), at);
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String at = path + "[" + i + "]";
                String found = node.get(i).isNull() ? at : firstNull(node.get(i), at);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** A JSON body refused as a whole: 400. */
    public static class InvalidBodyException extends RuntimeException {
        public InvalidBodyException(String message) {
            super(message);
        }
    }
}
