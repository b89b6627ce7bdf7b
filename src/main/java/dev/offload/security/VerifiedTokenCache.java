package dev.offload.security;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies each distinct bearer token once. A client sends the same token with every call until it
 * expires, and checking an RS256 signature was a fifth of the API's CPU under load; a token that was
 * verified is remembered by its exact text until its {@code exp}, so the same bytes are never checked
 * twice. Anything that fails verification is not remembered. At most {@value #MAX_TOKENS} tokens are
 * kept; past that, expired ones are dropped and new ones are verified every time.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class VerifiedTokenCache extends JWTCallerPrincipalFactory {

    static final int MAX_TOKENS = 10_000;

    private record Verified(JWTCallerPrincipal principal, long expiresAtSecond) {
    }

    private final JWTCallerPrincipalFactory verifier;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    public VerifiedTokenCache() {
        this(new DefaultJWTCallerPrincipalFactory());
    }

    VerifiedTokenCache(JWTCallerPrincipalFactory verifier) {
        this.verifier = verifier;
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
        long now = System.currentTimeMillis() / 1000;
        Verified known = verified.get(token);
        if (known != null) {
            if (now < known.expiresAtSecond()) {
                return known.principal();
            }
            verified.remove(token);
        }
        JWTCallerPrincipal principal = verifier.parse(token, authContextInfo); // throws if invalid or expired
        long expiresAt = principal.getExpirationTime();
        if (expiresAt > now) {
            if (verified.size() >= MAX_TOKENS) {
                verified.values().removeIf(v -> v.expiresAtSecond() <= now);
            }
            if (verified.size() < MAX_TOKENS) {
                verified.put(token, new Verified(principal, expiresAt));
            }
        }
        return principal;
    }
}
