package dev.offload;

import dev.offload.security.TokenCommand;
import dev.offload.stats.GatherStatsCommand;
import dev.offload.db.MigrateCommand;
import dev.offload.job.TopologyCommand;
import dev.offload.storage.CleanupCommand;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.Spec;

/**
 * {@code offload COMMAND [options]}: the commands of the jar. picocli parses and checks the arguments
 * before anything starts, so {@code help}, {@code --help}, a usage error (exit 2) and {@code token}
 * need neither the database nor the broker; an {@link ApplicationCommand} then runs in the started
 * application, which parses the same arguments again, this time making the commands as its beans.
 */
@Command(name = "offload", synopsisSubcommandLabel = "COMMAND",
        description = {"Offload's commands: each does one thing and exits with its status (2 for a usage error).",
                "With no arguments the jar runs the service instead, in the role OFFLOAD_ROLE names."},
        subcommands = {TokenCommand.class, GatherStatsCommand.class, CleanupCommand.class, TopologyCommand.class, MigrateCommand.class,
                HelpCommand.class},
        footer = "%nRun 'offload help COMMAND' or 'offload COMMAND --help' for a command's options.")
public class Commands implements Runnable {

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing the command");
    }

    /** Runs the command {@code args} name, starting the application if it needs it; its exit status. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine line = commandLine(CommandLine.defaultFactory(), out, err);
        line.setExecutionStrategy(parsed -> {
            Integer help = CommandLine.executeHelpRequest(parsed);
            if (help != null) {
                return help;
            }
            List<CommandLine> chosen = parsed.asCommandLineList();
            CommandLine command = chosen.get(chosen.size() - 1);
            if (command.getCommand() instanceof ApplicationCommand) {
                return startApplication(command.getCommandName(), err, args);
            }
            return new RunLast().execute(parsed);
        });
        return line.execute(args);
    }

    /** Runs {@code args} in this started application, its commands made as its beans: its exit status. */
    public static int runInApplication(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(Commands::bean, out, err).execute(args);
    }

    /** The application in command mode: runs the command and stops. */
    public static class InApplication implements QuarkusApplication {
        @Override
        public int run(String... args) {
            return runInApplication(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        }
    }

    private static int startApplication(String command, PrintWriter err, String... args) {
        System.setProperty("offload.role", "command");
        AtomicInteger status = new AtomicInteger(1);
        Quarkus.run(InApplication.class, (code, failure) -> {
            if (failure != null) {
                err.println(command + ": " + rootMessage(failure));
            }
            status.set(code);
        }, args);
        return status.get();
    }

    private static CommandLine commandLine(IFactory factory, PrintWriter out, PrintWriter err) {
        CommandLine line = new CommandLine(Commands.class, factory);
        line.setOut(out);
        line.setErr(err);
        // One line, as a CronJob's log should show it, not a stack trace.
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            failed.getErr().println(failed.getCommandName() + ": " + rootMessage(e));
            return failed.getCommandSpec().exitCodeOnExecutionException();
        });
        return line;
    }

    private static <K> K bean(Class<K> type) throws Exception {
        if (type.isAnnotationPresent(Command.class)) {
            InstanceHandle<K> bean = Arc.container().instance(type);
            if (bean.isAvailable()) {
                return bean.get();
            }
        }
        return CommandLine.defaultFactory().create(type);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
