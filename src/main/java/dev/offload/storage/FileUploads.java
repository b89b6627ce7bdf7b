package dev.offload.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.config.OffloadConfig;
import dev.offload.db.Timestamps;
import dev.offload.security.CallerIdentity;
import dev.offload.web.InvalidParameterException;
import dev.offload.web.Problem;
import io.netty.handler.codec.DecoderException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/v1/files}: an upload streamed into the store as it arrives, a piece at a time, whatever its
 * size. Either multipart with a {@value MultipartBody#FILE_PART} part, or the raw body with its name in
 * {@value #FILENAME_HEADER} (percent-encoded UTF-8) and its type in Content-Type.
 * <p>
 * A Vert.x route, not a REST method: Quarkus REST reads a body whole (up to the 1M body limit, which stays for
 * every other call) before it calls a method. This route runs after Quarkus has set up authentication and before
 * any body limit, authenticates the bearer token as {@code @Authenticated} would, and answers in problem+json
 * like the rest of the API. A refused upload (too large, unnamed, cut off) leaves nothing behind.
 */
@ApplicationScoped
public class FileUploads {

    /** After Quarkus's authentication (-200) and authorization (-100), before the body limits (-3, -2). */
    public static final int ROUTE_ORDER = -50;
    public static final String FILENAME_HEADER = "X-Filename";
    static final String DEFAULT_TYPE = "application/octet-stream";
    private static final int MAX_TYPE_LENGTH = 255;
    private static final Logger LOG = Logger.getLogger(FileUploads.class);

    /**
     * What another route does with a multipart upload once its file is stored as {@code POST /api/v1/files}
     * would store it: decide on it with the form's other fields. A failure refuses the request (an
     * {@link InvalidParameterException} as a 400 naming its field) and the file is deleted.
     */
    @FunctionalInterface
    public interface FormHandler {
        Uni<Answer> accept(StoredFile file, MultiMap form, CallerIdentity caller);
    }

    /** The answer of a {@link FormHandler}: its status, its Location (or null) and its JSON body. */
    public record Answer(int status, String location, Object body) {
    }

    private final FileStore store;
    private final FilesConfig files;
    private final OffloadConfig offload;
    private final UploadAnswers answers;
    private final Duration idle;

    public FileUploads(FileStore store, FilesConfig files, OffloadConfig offload, ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.idle-timeout", defaultValue = "30M") Duration idle) {
        this.store = store;
        this.files = files;
        this.offload = offload;
        this.answers = new UploadAnswers(json);
        this.idle = idle;
    }

    void install(@Observes Router router) {
        if (offload.role().servesApi()) {
            router.post(FilesResource.PATH).order(ROUTE_ORDER).handler(this::upload);
        }
    }

    /**
     * Takes {@code multipart/form-data} POSTs to {@code path} (other bodies go on to the REST resources): the part
     * named {@value MultipartBody#FILE_PART} is stored as an upload of the caller, under the same limits, then
     * {@code handler} decides with the other fields.
     */
    public void routeForm(Router router, String path, FormHandler handler) {
        if (!offload.role().servesApi()) {
            return;
        }
        router.post(path).order(ROUTE_ORDER).handler(ctx -> {
            String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
                ctx.next();
                return;
            }
            ctx.request().pause();
            Context context = Vertx.currentContext();
            identity(ctx).emitOn(task -> context.runOnContext(ignored -> task.run())).subscribe().with(identity -> {
                if (identity == null || identity.isAnonymous()) {
                    answers.refuse(ctx, UploadAnswers.unauthenticated());
                } else {
                    CallerIdentity caller = CallerIdentity.of(identity);
                    multipart(ctx, context, caller, file -> handler.accept(file, ctx.request().formAttributes(), caller)
                            .emitOn(task -> context.runOnContext(ignored -> task.run()))
                            .subscribe().with(answer -> answers.send(ctx, answer), failure -> {
                                ctx.vertx().executeBlocking(() -> store.delete(file.id()), false);
                                answers.refuse(ctx, UploadAnswers.problem(failure));
                            }));
                }
            }, failure -> answers.refuse(ctx, UploadAnswers.unauthenticated()));
        });
    }

    private void upload(RoutingContext ctx) {
        ctx.request().pause(); // (it is, until a handler is set) the body flows once the caller is known
        Context context = Vertx.currentContext();
        identity(ctx).emitOn(task -> context.runOnContext(ignored -> task.run())).subscribe().with(identity -> {
            if (identity == null || identity.isAnonymous()) {
                answers.refuse(ctx, UploadAnswers.unauthenticated());
            } else {
                accept(ctx, context, CallerIdentity.of(identity));
            }
        }, failure -> answers.refuse(ctx, UploadAnswers.unauthenticated()));
    }

    /** The caller, authenticated on demand as for any {@code @Authenticated} call; failures come back here. */
    private static Uni<SecurityIdentity> identity(RoutingContext ctx) {
        BiConsumer<RoutingContext, Throwable> answeredBelow = (event, failure) -> {
        };
        ctx.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, answeredBelow);
        return QuarkusHttpUser.getSecurityIdentity(ctx, null);
    }

    private void accept(RoutingContext ctx, Context context, CallerIdentity caller) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            multipart(ctx, context, caller);
        } else {
            raw(ctx, context, caller, type == null ? DEFAULT_TYPE : type.trim());
        }
    }

    private void raw(RoutingContext ctx, Context context, CallerIdentity caller, String contentType) {
        HttpServerRequest request = ctx.request();
        String header = request.getHeader(FILENAME_HEADER);
        if (header == null) {
            answers.refuse(ctx, UploadAnswers.invalid(FILENAME_HEADER, "is required: the file's name (percent-encoded UTF-8), "
                    + "or send multipart/form-data with a '" + MultipartBody.FILE_PART + "' part"));
            return;
        }
        String name;
        try {
            name = FileNames.fromHeader(header);
        } catch (IllegalArgumentException e) {
            answers.refuse(ctx, UploadAnswers.invalid(FILENAME_HEADER, e.getMessage()));
            return;
        }
        String why = FileNames.problem(name);
        if (why != null) {
            answers.refuse(ctx, UploadAnswers.invalid(FILENAME_HEADER, why));
            return;
        }
        why = typeProblem(contentType);
        if (why != null) {
            answers.refuse(ctx, UploadAnswers.invalid("Content-Type", why));
            return;
        }
        long declared = declaredLength(request);
        if (declared > files.maxSize().asLongValue()) {
            answers.refuse(ctx, tooLarge());
            return;
        }
        BodyInputStream body = new BodyInputStream(request, context, idle);
        UploadAnswers.continueIfExpected(ctx);
        body.start();
        store(ctx, () -> write(caller, name, contentType, body, () -> {
        }), body::discard);
    }

    private void multipart(RoutingContext ctx, Context context, CallerIdentity caller) {
        multipart(ctx, context, caller, file -> answers.send(ctx, new Answer(201, FileResponse.location(file.id()), FileResponse.of(file))));
    }

    private void multipart(RoutingContext ctx, Context context, CallerIdentity caller,
            java.util.function.Consumer<StoredFile> onStored) {
        MultipartBody body;
        try {
            body = new MultipartBody(ctx.request(), context, idle);
        } catch (IllegalStateException e) {
            answers.refuse(ctx, UploadAnswers.invalid("Content-Type", "is multipart/form-data without a boundary"));
            return;
        }
        UploadAnswers.continueIfExpected(ctx);
        ctx.request().resume();
        store(ctx, () -> {
            MultipartBody.Part part = body.file();
            if (part == null) {
                throw new Refusal(UploadAnswers.invalid(MultipartBody.FILE_PART, "is required: a part named '"
                        + MultipartBody.FILE_PART + "' with a filename"));
            }
            String why = FileNames.problem(part.filename());
            if (why != null) {
                throw new Refusal(UploadAnswers.invalid(MultipartBody.FILE_PART, "has a filename that " + why));
            }
            String type = part.contentType() == null || part.contentType().isBlank() ? DEFAULT_TYPE : part.contentType();
            why = typeProblem(type);
            if (why != null) {
                throw new Refusal(UploadAnswers.invalid(MultipartBody.FILE_PART, "has a Content-Type that " + why));
            }
            return write(caller, part.filename(), type, part.body(), () -> {
                int parts = body.awaitEnd();
                if (parts > 1) {
                    throw new Refusal(UploadAnswers.invalid(MultipartBody.FILE_PART, "must be sent once, not " + parts + " times"));
                }
            });
        }, body::discard, onStored);
    }

    /** Stores on a worker thread, then answers on the request's context: 201, or why not. */
    private void store(RoutingContext ctx, java.util.concurrent.Callable<StoredFile> upload, Runnable discard) {
        store(ctx, upload, discard, file -> answers.send(ctx, new Answer(201, FileResponse.location(file.id()), FileResponse.of(file))));
    }

    private void store(RoutingContext ctx, java.util.concurrent.Callable<StoredFile> upload, Runnable discard,
            java.util.function.Consumer<StoredFile> onStored) {
        ctx.vertx().executeBlocking(upload, false).onComplete(result -> {
            if (result.succeeded()) {
                onStored.accept(result.result());
                return;
            }
            Throwable failure = result.cause();
            discard.run();
            if (failure instanceof Refusal refusal) {
                answers.refuse(ctx, refusal.problem);
            } else if (ctx.response().closed() || causedBy(failure, HttpClosedException.class)) {
                LOG.debugf("an upload was cut off: %s", failure.getMessage());
            } else if (causedBy(failure, DecoderException.class)) {
                answers.refuse(ctx, Problem.of(400, "Bad Request", "the multipart body cannot be read: " + rootMessage(failure)));
            } else {
                LOG.error("an upload failed", failure);
                answers.refuse(ctx, Problem.of(500, "Internal Server Error", "the server failed; the error is logged"));
            }
        });
    }

    /** Blocking: the body into a new file, counted against the limit; complete only if {@code check} passes. */
    private StoredFile write(CallerIdentity caller, String name, String contentType, InputStream body, Check check)
            throws Exception {
        long limit = files.maxSize().asLongValue();
        FileSink sink = store.create(caller.name(), name, contentType, Timestamps.now().plus(files.expireAfter()));
        boolean complete = false;
        try {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = body.read(buffer)) >= 0;) {
                total += n;
                if (total > limit) {
                    throw new Refusal(tooLarge());
                }
                sink.write(buffer, 0, n);
            }
            check.run();
            sink.close();
            complete = true;
        } finally {
            if (!complete) {
                sink.abort();
            }
        }
        StoredFile file = StoredFileRows.await(store.find(sink.id()));
        if (file == null) {
            throw new IllegalStateException("stored file " + sink.id() + " vanished once complete (expire-after "
                    + files.expireAfter() + ")");
        }
        return file;
    }

    /** Why a Content-Type cannot be stored with a file, or null. */
    static String typeProblem(String type) {
        if (type.length() > MAX_TYPE_LENGTH) {
            return "must be at most " + MAX_TYPE_LENGTH + " characters";
        }
        try {
            MediaType parsed = MediaType.valueOf(type);
            if (parsed.isWildcardType() || parsed.isWildcardSubtype() || type.indexOf('/') < 0) {
                return "must name a media type (type/subtype), not '" + type + "'";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return "is not a media type: '" + type + "'";
        }
    }

    private static long declaredLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Problem tooLarge() {
        long limit = files.maxSize().asLongValue();
        return Problem.of(413, "Content Too Large", "the file is larger than the " + bytes(limit) + " (" + limit
                + " bytes) an upload may be").with("max_size", limit);
    }

    static String bytes(long size) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        double value = size;
        while (value >= 1024 && unit < units.length - 1 && size % (1L << (10 * (unit + 1))) == 0) {
            value /= 1024;
            unit++;
        }
        return (long) value + " " + units[unit];
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? "it is malformed" : root.getMessage();
    }

    /** A check made before a file is completed, which may refuse it. */
    @FunctionalInterface
    private interface Check {
        void run() throws Exception;
    }

    /** An upload refused for what the client sent: answered with its problem, nothing kept. */
    private static final class Refusal extends Exception {
        private final Problem problem;

        Refusal(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }
    }
}
