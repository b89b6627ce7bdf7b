package dev.offload;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/** With no arguments, the service (in the role {@code offload.role} says); with arguments, a command ({@code offload help}). */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (args.length == 0) {
            Quarkus.run(Server.class, args);
            return;
        }
        System.exit(Commands.run(args));
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
