package dev.offload.web;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * What every operation of {@code /api/} does that the scan of the resources cannot see, written into the
 * OpenAPI document so that it describes the API: every error is {@code application/problem+json} (the
 * {@code Problem} schema); a call with a bearer token can be 401; one with a path parameter can be 404 (also
 * another user's); one with query parameters or a body can be 400; one with a JSON body can be 413 and 415;
 * a HEAD has no body. What only one call does (202 submits, 409, 410, binary downloads) is annotated on it.
 */
public class OpenApiTruth implements OASFilter {

    public static final String PROBLEM = "Problem";

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        openApi.getComponents().addSchema(PROBLEM, problemSchema());
        if (openApi.getPaths() == null || openApi.getPaths().getPathItems() == null) {
            return;
        }
        openApi.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/")) {
                item.getOperations().forEach((method, operation) -> describe(path, item, method, operation));
            }
        });
    }

    private static void describe(String path, PathItem item, PathItem.HttpMethod method, Operation operation) {
        if (operation.getOperationId() == null) {
            operation.setOperationId(operationId(method, path));
        }
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        addIfMissing(responses, "401", "No bearer token, or one that is invalid or expired.");
        if (path.contains("{")) {
            addIfMissing(responses, "404", "Nothing by that id that the caller may see (another user's is a 404 too).");
        }
        parameters(item, operation).forEach(OpenApiTruth::paging);
        boolean queried = parameters(item, operation).stream().anyMatch(p -> p.getIn() == Parameter.In.QUERY);
        boolean jsonBody = operation.getRequestBody() != null && operation.getRequestBody().getContent() != null
                && operation.getRequestBody().getContent().hasMediaType("application/json");
        if (queried || operation.getRequestBody() != null) {
            addIfMissing(responses, "400", "Invalid input: problem+json naming the parameter or field at fault.");
        }
        if (jsonBody) {
            addIfMissing(responses, "413", "The body is over the limit (1 MiB).");
            addIfMissing(responses, "415", "The body is not application/json.");
        }
        if (responses.getAPIResponses() == null) {
            return;
        }
        responses.getAPIResponses().forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                response.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema()
                                .ref("#/components/schemas/" + PROBLEM))));
            } else if (method == PathItem.HttpMethod.HEAD) {
                response.setContent(null); // the headers of the GET, and no body
            }
            if ("403".equals(code)) {
                response.setDescription("The token lacks the role this call needs.");
            }
            if ("401".equals(code)) {
                response.setDescription("No bearer token, or one that is invalid or expired.");
            }
        });
    }

    /**
     * A name for an operation that has none, from its method and path, so that generated clients get stable
     * method names: {@code GET /api/v1/jobs/{id}/events} is {@code getJobsByIdEvents}.
     */
    static String operationId(PathItem.HttpMethod method, String path) {
        StringBuilder id = new StringBuilder(method.name().toLowerCase());
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals("api") || segment.matches("v[0-9]+")) {
                continue;
            }
            boolean parameter = segment.startsWith("{");
            if (parameter) {
                id.append("By");
            }
            for (String word : segment.replaceAll("[{}]", "").split("[^A-Za-z0-9]+")) {
                if (!word.isEmpty()) {
                    id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
                }
            }
        }
        return id.toString();
    }

    /**
     * Listings read {@code page} and {@code size} as text to answer a 400 naming them (dev.offload.job.Paging),
     * but take whole numbers: so the document says.
     */
    private static void paging(Parameter parameter) {
        if (parameter.getIn() != Parameter.In.QUERY) {
            return;
        }
        if ("page".equals(parameter.getName())) {
            parameter.setSchema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32")
                    .minimum(java.math.BigDecimal.ZERO).defaultValue(0));
            parameter.setDescription("The page, from 0; a page past the end is empty");
        } else if ("size".equals(parameter.getName())) {
            parameter.setSchema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32")
                    .minimum(java.math.BigDecimal.ONE).defaultValue(50));
            parameter.setDescription("Items per page, from 1 to the largest page (OFFLOAD_MAX_PAGE_SIZE, 200 unless "
                    + "configured otherwise); more is a 400 naming the largest");
        }
    }

    private static List<Parameter> parameters(PathItem item, Operation operation) {
        List<Parameter> all = new java.util.ArrayList<>();
        if (item.getParameters() != null) {
            all.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            all.addAll(operation.getParameters());
        }
        return all;
    }

    private static void addIfMissing(APIResponses responses, String code, String description) {
        if (!responses.hasAPIResponse(code)) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description));
        }
    }

    /** RFC 9457, as {@link Problem} writes it; a problem may carry more members (state, available_transitions...). */
    private static Schema problemSchema() {
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema fieldError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .required(List.of("field", "message"))
                .properties(Map.of("field", string, "message", string));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("An RFC 9457 problem: what went wrong, never a stack trace. Invalid input names each "
                        + "field at fault in errors; other members depend on the problem's type.")
                .required(List.of("type", "title", "status", "detail"))
                .properties(new java.util.LinkedHashMap<>(Map.of(
                        "type", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                                .description("A URI reference naming the kind of problem (about:blank: the status says it)"),
                        "title", string,
                        "status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32"),
                        "detail", string,
                        "errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError))))
                .additionalPropertiesBoolean(true);
    }
}
