package dev.offload;

import dev.offload.security.TokenCommand;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;
import java.util.List;

/** With no arguments, the service (in the role {@code offload.role} says); with a command name, that command. */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("token")) {
            // Signing needs only the development key: no database, no broker, no port.
            System.exit(TokenCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && !args[0].startsWith("-")) {
            System.setProperty("offload.role", "command");
            Quarkus.run(CommandMode.class, (code, failure) -> {
                if (failure != null) {
                    Throwable root = failure;
                    while (root.getCause() != null) {
                        root = root.getCause();
                    }
                    System.err.println(args[0] + ": " + root.getMessage());
                }
                System.exit(code);
            }, args);
            return;
        }
        Quarkus.run(Server.class, args);
    }

    /** The service: runs until stopped. */
    public static class Server implements QuarkusApplication {
        @Override
        public int run(String... args) {
            Quarkus.waitForExit();
            return 0;
        }
    }

    /** Runs the named command and exits with its status. */
    public static class CommandMode implements QuarkusApplication {
        @Override
        public int run(String... args) throws Exception {
            List<Command> commands = Arc.container().select(Command.class).stream().toList();
            for (Command command : commands) {
                if (command.name().equals(args[0])) {
                    return command.run(List.of(args).subList(1, args.length));
                }
            }
            System.err.println("unknown command: " + args[0]);
            System.err.println("commands:");
            System.err.println("  token <user> [--groups g1,g2] [--ttl 1h]");
            commands.forEach(c -> System.err.println("  " + c.usage()));
            return 2;
        }
    }
}
