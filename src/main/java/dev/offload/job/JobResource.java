package dev.offload.job;

import dev.offload.config.OffloadConfig;
import dev.offload.storage.FileDownloads;
import dev.offload.workflow.TransitionLog;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Every job, whatever its kind: read, list, follow, apply a client transition (cancel, ...), download its result. */
@Path(JobResource.PATH)
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    public static final String PATH = "/api/v1/jobs";
    /** How long a status stream waits for this process to listen before it shows the job's current state. */
    private static final Duration LISTEN_WAIT = Duration.ofSeconds(5);

    public record TransitionResponse(long id, String transition, @Schema(nullable = true) String fromState,
            String toState, OffsetDateTime at, @Schema(nullable = true) String actor,
            @Schema(nullable = true) Map<String, Object> extra,
            @Schema(nullable = true) Map<String, Object> attributes) {

        static TransitionResponse of(TransitionLog log) {
            return new TransitionResponse(log.id(), log.transition(), log.fromState(), log.toState(), log.at(),
                    log.actor(), log.extra(), log.attributes());
        }
    }

    private final JobService jobs;
    private final JobKinds kinds;
    private final JobEvents events;
    private final SecurityIdentity identity;
    private final OffloadConfig config;
    private final FileDownloads downloads;
    private final RequestAttributes requestAttributes;

    public JobResource(JobService jobs, JobKinds kinds, JobEvents events, SecurityIdentity identity, OffloadConfig config,
            FileDownloads downloads, RequestAttributes requestAttributes) {
        this.downloads = downloads;
        this.requestAttributes = requestAttributes;
        this.jobs = jobs;
        this.kinds = kinds;
        this.events = events;
        this.identity = identity;
        this.config = config;
    }

    @GET
    public Uni<Page<JobResponse>> list(@QueryParam("kind") String kind, @QueryParam("state") String state,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        PageRequest request = Paging.of(page, size, config.maxPageSize());
        Caller caller = caller();
        return jobs.list(caller, new JobService.Filter(kind, state), request).chain(found -> responses(found, caller));
    }

    @GET
    @Path("{id}")
    public Uni<JobResponse> get(@PathParam("id") UUID id) {
        Caller caller = caller();
        return jobs.find(id, caller).chain(view -> response(view, caller));
    }

    @GET
    @Path("{id}/transitions")
    public Uni<List<TransitionResponse>> transitions(@PathParam("id") UUID id) {
        return jobs.transitions(id, caller()).map(log -> log.stream().map(TransitionResponse::of).toList());
    }

    /**
     * Applies a transition the job's kind lets clients apply ({@code cancel}; {@code confirm} for imports):
     * 409 with the ones the job offers when not allowed, 404 for another user's job.
     */
    @APIResponse(responseCode = "200", description = "Applied: the job as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JobResponse.class)))
    @APIResponse(responseCode = "409", description = "Not available from the job's state, refused by a check or rolled back by a hook: transition, state, available_transitions, reason")
    @POST
    @Path("{id}/{transition}")
    public Uni<JobResponse> apply(@PathParam("id") UUID id, @PathParam("transition") String transition) {
        Caller caller = caller();
        return jobs.transition(id, transition, caller, requestAttributes.get())
                .chain(view -> response(view, caller));
    }

    /** The job's result file, streamed: 404 for others, 409 while it has none, 410 once expired or removed. */
    @APIResponse(responseCode = "200", description = "The file, streamed as an attachment with its own type, "
            + "Content-Length, Content-Disposition and ETag",
            content = @Content(mediaType = "*/*", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "409", description = "The job has no result (yet)")
    @APIResponse(responseCode = "410", description = "The result expired or was removed")
    @GET
    @Path("{id}/result")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Uni<Response> result(@PathParam("id") UUID id) {
        return jobs.result(id, caller()).map(result -> downloads.download(result.file(), filename(result)));
    }

    @APIResponse(responseCode = "200", description = "The download's headers (type, length, disposition, ETag), no body")
    @APIResponse(responseCode = "409", description = "The job has no result (yet)")
    @APIResponse(responseCode = "410", description = "The result expired or was removed")
    @HEAD
    @Path("{id}/result")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Uni<Response> resultHeaders(@PathParam("id") UUID id) {
        return jobs.result(id, caller()).map(result -> downloads.head(result.file(), filename(result)));
    }

    /** The name the job gave its result, else {@code <kind>-<id>}. */
    private static String filename(JobService.Result result) {
        Job job = result.job().job();
        return result.file().name() != null ? result.file().name() : job.kind + "-" + job.id;
    }

    /**
     * Server-sent events: the job's current state first, then every state and progress change, wherever
     * the job runs; the stream ends after a final state.
     */
    @APIResponse(responseCode = "200", description = "Server-sent events until a final state, then the stream ends; "
            + "each event's data is a job event in JSON: id, kind, state, attempt, done, total (null when unknown)",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @GET
    @Path("{id}/events")
    @FoundBeforeStreaming.JobFirst
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<JobEvent> events(@PathParam("id") UUID id) {
        Caller caller = caller();
        return jobs.find(id, caller).map(JobView::job).onItem().transformToMulti(job -> {
            JobKind<?> kind = kinds.get(job.kind);
            if (kind.workflow().isFinal(job.state)) {
                return Multi.createFrom().item(JobEvent.of(job)); // nothing more to come: no need to listen
            }
            return Multi.createFrom().<JobEvent>emitter(emitter -> {
                JobEvent[] shown = new JobEvent[1]; // the event shown last; guarded by itself
                Runnable stop = events.listen(id, event -> {
                    List<JobEvent> toShow;
                    synchronized (shown) {
                        toShow = event.after(shown[0]);
                        toShow.forEach(emitter::emit);
                        if (!toShow.isEmpty()) {
                            shown[0] = event;
                        }
                    }
                    if (!toShow.isEmpty() && kind.workflow().isFinal(event.state())) {
                        emitter.complete();
                    }
                });
                emitter.onTermination(stop);
                // Read once listening, so no change falls between the snapshot and the stream; shown only
                // if no change came first (a change is as new as the snapshot, or newer). Read on this
                // request's context, where its session lives, not on the listening connection's.
                Context request = Vertx.currentContext();
                events.listening()
                        // Not listening yet (the database unreachable): the snapshot still, changes as they come.
                        .ifNoItem().after(LISTEN_WAIT).recoverWithItem(() -> null)
                        .onFailure().recoverWithNull()
                        .emitOn(task -> request.runOnContext(ignored -> task.run()))
                        .chain(() -> jobs.find(id, caller)).map(JobView::job).subscribe().with(current -> {
                    synchronized (shown) {
                        if (shown[0] == null) {
                            shown[0] = JobEvent.of(current);
                            emitter.emit(shown[0]);
                        }
                    }
                    if (kind.workflow().isFinal(current.state)) {
                        emitter.complete();
                    }
                }, emitter::fail);
            });
        });
    }

    private Uni<JobResponse> response(JobView<?> view, Caller caller) {
        return jobs.response(view, caller);
    }

    private Uni<Page<JobResponse>> responses(Page<JobView<?>> found, Caller caller) {
        return jobs.responses(found, caller);
    }

    private Caller caller() {
        return Callers.of(identity);
    }
}
