package dev.offload.job;

import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller of a request, from its verified token: the subject owns what it submits. */
public final class Callers {

    private Callers() {
    }

    public static Caller of(SecurityIdentity identity) {
        String name = identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null
                ? jwt.getSubject()
                : identity.getPrincipal().getName();
        return new Caller(name, identity.hasRole(Caller.ADMIN_GROUP));
    }
}
