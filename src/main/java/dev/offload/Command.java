package dev.offload;

import java.util.List;

/**
 * A command run by the same jar in command mode ({@code offload <name> [args]}), e.g. by a CronJob:
 * it does one thing and returns the process's exit status. Commands are CDI beans; the process runs
 * with {@code offload.role=command}: no HTTP listener, no queue consumers, no scheduled tasks.
 */
public interface Command {

    String name();

    /** One line for the usage text. */
    String usage();

    int run(List<String> args) throws Exception;
}
