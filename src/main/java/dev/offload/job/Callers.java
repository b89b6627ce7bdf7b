package dev.offload.job;

import dev.offload.security.CallerIdentity;
import io.quarkus.security.identity.SecurityIdentity;

/** The caller of a request, from its verified token ({@link CallerIdentity}): the subject owns what it submits. */
public final class Callers {

    private Callers() {
    }

    public static Caller of(SecurityIdentity identity) {
        CallerIdentity caller = CallerIdentity.of(identity);
        return new Caller(caller.name(), caller.admin());
    }
}
