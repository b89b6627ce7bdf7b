package dev.offload.console;

import dev.offload.security.TokenCommand;
import dev.offload.web.Problem;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the console needs from the server besides the API and its own static files (META-INF/resources/console):
 * a way in at {@code /console}, and in development a token for a typed user name.
 */
@Path("/console")
@PermitAll
public class ConsoleResource {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

    private final ConsoleConfig config;

    public ConsoleResource(ConsoleConfig config) {
        this.config = config;
    }

    /** The console's pages are relative to {@code /console/}. */
    @GET
    public Response root() {
        return Response.status(Response.Status.MOVED_PERMANENTLY).location(URI.create("/console/")).build();
    }

    /** Which ways of signing in this process offers. */
    @GET
    @Path("sign-in")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> signInOptions() {
        return Map.of("dev_sign_in", config.devSignIn());
    }

    /** A development token: 404 unless {@code offload.console.dev-sign-in} is on (dev and test profiles). */
    @POST
    @Path("dev-token")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response devToken(DevSignInRequest request) {
        if (!config.devSignIn()) {
            return Problem.of(Response.Status.NOT_FOUND, "development sign-in is off in this profile").toResponse();
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        String user = request == null || request.user() == null ? "" : request.user().trim();
        if (!NAME.matcher(user).matches()) {
            errors.add(new Problem.FieldError("user",
                    "a user name is 1 to 100 letters, digits, '.', '_', '@' or '-'"));
        }
        Set<String> groups = new LinkedHashSet<>();
        if (request != null && request.groups() != null) {
            Arrays.stream(request.groups().split(",")).map(String::trim).filter(g -> !g.isEmpty()).forEach(groups::add);
        }
        if (groups.stream().anyMatch(g -> !NAME.matcher(g).matches())) {
            errors.add(new Problem.FieldError("groups",
                    "groups are names of letters, digits, '.', '_', '@' or '-', separated by commas"));
        }
        if (!errors.isEmpty()) {
            return Problem.of(Response.Status.BAD_REQUEST, "the sign-in is invalid").withErrors(errors).toResponse();
        }
        return Response.ok(Map.of("token", TokenCommand.sign(user, groups, config.devTokenTtl()),
                "user", user, "groups", List.copyOf(groups))).build();
    }
}
