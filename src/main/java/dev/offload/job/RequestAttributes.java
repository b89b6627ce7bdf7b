package dev.offload.job;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * What a request says about its client, for the transition log of workflows that keep it: the client's
 * address ({@code client_address}: the first hop of {@code X-Forwarded-For}, else the peer) and the API
 * client the token was issued to ({@code client_id}: its {@code azp} or {@code client_id} claim).
 */
@RequestScoped
public class RequestAttributes {

    public static final String CLIENT_ADDRESS = "client_address";
    public static final String CLIENT_ID = "client_id";

    private final HttpServerRequest request;
    private final JsonWebToken token;

    public RequestAttributes(HttpServerRequest request, JsonWebToken token) {
        this.request = request;
        this.token = token;
    }

    public Map<String, Object> get() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        String forwarded = request.getHeader("X-Forwarded-For");
        String address = forwarded != null && !forwarded.isBlank() ? forwarded.split(",")[0].trim()
                : request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        if (address != null && address.length() <= 255) {
            attributes.put(CLIENT_ADDRESS, address);
        }
        Object client = token == null ? null : token.getClaim("azp");
        if (client == null && token != null) {
            client = token.getClaim("client_id");
        }
        if (client != null) {
            attributes.put(CLIENT_ID, client.toString());
        }
        return attributes;
    }
}
