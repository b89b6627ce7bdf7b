package dev.offload.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import java.util.ArrayList;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/** A token is verified once and then remembered until it expires; failures are never remembered. */
class VerifiedTokenCacheTest {

    /** Stands in for signature verification: counts calls; "bad" tokens fail; the exp is in the token text. */
    private static final class CountingVerifier extends JWTCallerPrincipalFactory {
        final List<String> verified = new ArrayList<>();

        @Override
        public JWTCallerPrincipal parse(String token, JWTAuthContextInfo info) throws ParseException {
            verified.add(token);
            if (token.startsWith("bad")) {
                throw new ParseException("signature does not match");
            }
            JwtClaims claims = new JwtClaims();
            claims.setSubject("someone");
            claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(Long.parseLong(token.split(":")[1])));
            return new DefaultJWTCallerPrincipal(claims);
        }
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    @Test
    void shouldVerifyTheSameTokenOnceWhileItIsValid() throws Exception {
        CountingVerifier verifier = new CountingVerifier();
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier);
        String token = "good:" + (now() + 300);

        JWTCallerPrincipal first = cache.parse(token, new JWTAuthContextInfo());
        JWTCallerPrincipal second = cache.parse(token, new JWTAuthContextInfo());

        assertSame(first, second);
        assertEquals(List.of(token), verifier.verified, "the signature was checked once");
        assertEquals("someone", second.getSubject());
    }

    @Test
    void shouldVerifyAgainOnceTheRememberedTokenExpired() throws Exception {
        CountingVerifier verifier = new CountingVerifier();
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier);
        String expired = "good:" + (now() - 1); // accepted by the verifier (clock skew), never remembered past exp

        cache.parse(expired, new JWTAuthContextInfo());
        cache.parse(expired, new JWTAuthContextInfo());

        assertEquals(List.of(expired, expired), verifier.verified);
    }

    @Test
    void shouldNeverRememberATokenThatFailedVerification() {
        CountingVerifier verifier = new CountingVerifier();
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier);

        assertThrows(ParseException.class, () -> cache.parse("bad:" + (now() + 300), new JWTAuthContextInfo()));
        assertThrows(ParseException.class, () -> cache.parse("bad:" + (now() + 300), new JWTAuthContextInfo()));

        assertEquals(2, verifier.verified.size());
    }

    @Test
    void shouldTellDifferentTokensApart() throws Exception {
        CountingVerifier verifier = new CountingVerifier();
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier);

        cache.parse("good:" + (now() + 300), new JWTAuthContextInfo());
        cache.parse("good:" + (now() + 301), new JWTAuthContextInfo());

        assertEquals(2, verifier.verified.size());
    }
}
