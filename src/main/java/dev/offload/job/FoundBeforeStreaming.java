package dev.offload.job;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A stream's status line and headers go out as soon as its method returns, so a job the caller may not see
 * must be refused before: a method marked {@link JobFirst} runs only once its {@code {id}} is a job the
 * caller sees, else the answer is the ordinary 404 problem+json.
 */
public class FoundBeforeStreaming {

    /** The method streams about the job named by its {@code {id}} path parameter. */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ ElementType.METHOD, ElementType.TYPE })
    public @interface JobFirst {
    }

    private final JobService jobs;
    private final SecurityIdentity identity;

    public FoundBeforeStreaming(JobService jobs, SecurityIdentity identity) {
        this.jobs = jobs;
        this.identity = identity;
    }

    @JobFirst
    @ServerRequestFilter
    public Uni<Response> jobFirst(UriInfo uri) {
        UUID id;
        try {
            id = UUID.fromString(uri.getPathParameters().getFirst("id"));
        } catch (RuntimeException e) {
            return Uni.createFrom().nullItem(); // not an id: the resource's own 404
        }
        return jobs.find(id, Callers.of(identity)).replaceWith((Response) null);
    }
}
