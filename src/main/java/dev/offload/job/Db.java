package dev.offload.job;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * Database work from a blocking thread (a worker's job): Hibernate Reactive runs on a Vert.x context,
 * and this thread waits for the result.
 */
public final class Db {

    private Db() {
    }

    public static <T> T inTransaction(Supplier<Uni<T>> work) {
        return await(() -> Panache.withTransaction(work));
    }

    /** As {@link #inTransaction(Supplier)}, retrying the whole transaction with back-off when it fails. */
    public static <T> T inTransaction(Supplier<Uni<T>> work, java.time.Duration backoff, int retries) {
        return await(() -> Panache.withTransaction(work)
                .onFailure().retry().withBackOff(backoff, backoff.multipliedBy(16)).atMost(retries));
    }

    public static <T> T inSession(Supplier<Uni<T>> work) {
        return await(() -> Panache.withSession(work));
    }

    private static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
