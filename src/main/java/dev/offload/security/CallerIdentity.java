package dev.offload.security;

import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, from the verified token: the subject owns what it submits or uploads; a member of the
 * {@value #ADMIN_GROUP} group sees and acts on everyone's.
 */
public record CallerIdentity(String name, boolean admin) {

    public static final String ADMIN_GROUP = "admin";

    public static CallerIdentity of(SecurityIdentity identity) {
        String name = identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null
                ? jwt.getSubject()
                : identity.getPrincipal().getName();
        return new CallerIdentity(name, identity.hasRole(ADMIN_GROUP));
    }

    /** Whether this caller may see and act on what {@code owner} owns. */
    public boolean mayAccess(String owner) {
        return admin || name.equals(owner);
    }
}
