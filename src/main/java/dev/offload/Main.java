package dev.offload;

import dev.offload.security.TokenCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/** With no arguments, the service (in the role {@code offload.role} says); with a command name, that command. */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("token")) {
            // Signing needs only the development key: no database, no broker, no port.
            System.exit(TokenCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && !args[0].startsWith("-")) {
            System.err.println("unknown command: " + args[0]);
            System.err.println("commands: token <user> [--groups g1,g2] [--ttl 1h]");
            System.exit(2);
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
}
