package dev.offload.storage;

import dev.offload.Command;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.PrintStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;

/**
 * {@code offload cleanup}: removes expired results (and whatever other {@link CleanupStep}s remove); run by a CronJob.
 * Unremovable: command mode looks commands up at run time, which the build cannot see as a use.
 */
@Unremovable
@ApplicationScoped
public class CleanupCommand implements Command {

    public static final String NAME = "cleanup";

    private final Instance<CleanupStep> steps;

    public CleanupCommand(Instance<CleanupStep> steps) {
        this.steps = steps;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String usage() {
        return NAME + "   removes expired results";
    }

    @Override
    public int run(List<String> args) {
        if (!args.isEmpty()) {
            System.err.println("usage: offload " + usage());
            return 2;
        }
        return run(OffsetDateTime.now(ZoneOffset.UTC), System.out, System.err);
    }

    /** Runs every step as of {@code now}; a failing step does not stop the others, but fails the command. */
    public int run(OffsetDateTime now, PrintStream out, PrintStream err) {
        int status = 0;
        for (CleanupStep step : steps.stream().sorted(Comparator.comparingInt(CleanupStep::order)).toList()) {
            try {
                out.println(NAME + ": " + step.name() + ": " + step.run(now) + " removed");
            } catch (RuntimeException e) {
                err.println(NAME + ": " + step.name() + " failed: " + e.getMessage());
                status = 1;
            }
        }
        return status;
    }
}
