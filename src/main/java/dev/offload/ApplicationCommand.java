package dev.offload;

import java.util.concurrent.Callable;

/**
 * A command that works on the application's database or broker. Its arguments are checked before
 * anything starts; it then runs in the started application as a CDI bean of its own (dependent, so
 * picocli sets its options on the object itself), with {@code offload.role=command}: no HTTP
 * listener, no queue consumers, no scheduled tasks. {@link #call()} returns the exit status.
 */
public interface ApplicationCommand extends Callable<Integer> {
}
