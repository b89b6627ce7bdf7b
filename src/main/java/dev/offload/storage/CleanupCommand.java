package dev.offload.storage;

import dev.offload.ApplicationCommand;
import dev.offload.HelpOption;
import dev.offload.db.Timestamps;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.OffsetDateTime;
import java.util.Comparator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code offload cleanup}: removes expired results (and whatever other {@link CleanupStep}s remove); run by a CronJob. */
@Command(name = CleanupCommand.NAME,
        description = {"Removes expired stored results and whatever else is due for removal.",
                "Expired files go with their chunks, abandoned uploads included; prints what each step removed."
                        + " Run it from a CronJob: hourly is plenty."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every step ran", "1:a step failed (the others ran; the next run picks up the rest)",
                "2:a usage error"})
@Dependent
@Unremovable // made at run time by dev.offload.Commands, which the build cannot see as a use
public class CleanupCommand implements ApplicationCommand {

    static final String NAME = "cleanup";

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    /**
     * Replaces {@code offload.archives.keep} for this run. Set while the arguments are checked, before the
     * application starts, so the archive step reads it as its setting (storage names no kind).
     */
    @picocli.CommandLine.Option(names = "--archives-older-than", paramLabel = "AGE",
            converter = dev.offload.DurationOption.class,
            description = "Delete archives older than this (7d, 3600s, ...) instead of OFFLOAD_ARCHIVES_KEEP.")
    void archivesOlderThan(java.time.Duration age) {
        System.setProperty("offload.archives.keep", age.toString());
    }

    // Injected, not constructed: picocli makes this object before the application starts, to check the
    // arguments, and the application makes it again to run it (see dev.offload.Commands).
    @Inject
    Instance<CleanupStep> steps;

    @Override
    public Integer call() {
        return run(Timestamps.now(), spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Runs every step as of {@code now}; a failing step does not stop the others, but fails the command. */
    public int run(OffsetDateTime now, PrintWriter out, PrintWriter err) {
        int status = 0;
        for (CleanupStep step : steps.stream().sorted(Comparator.comparingInt(CleanupStep::order)).toList()) {
            try {
                long removed = step.run(now, what -> out.println(NAME + ":   removed " + what));
                out.println(NAME + ": " + step.name() + ": " + removed + " removed");
            } catch (RuntimeException e) {
                err.println(NAME + ": " + step.name() + " failed: " + e.getMessage());
                status = 1;
            }
        }
        out.flush();
        return status;
    }
}
