package dev.offload.bench;

import dev.offload.support.Tokens;
import java.time.Duration;

/**
 * Manual load for profiling: {@code LoadMain <port> <seconds> <concurrency | @rate> [path] [json]}: a closed
 * loop of that many clients, or ({@code @1000}) an open loop at that many requests per second. Prints what it saw.
 */
public final class LoadMain {

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        boolean open = args[2].startsWith("@");
        int n = Integer.parseInt(args[2].replace("@", ""));
        String path = args.length > 3 ? args[3] : "/api/v1/canaries";
        String body = args.length > 4 ? args[4] : "{\"sleep_ms\":0}";
        try (Load load = new Load(port, open ? 64 : n, path, Tokens.admin("load-main"), body)) {
            Duration duration = Duration.ofSeconds(seconds);
            Load.Result r = open ? load.openLoop(n, duration) : load.closedLoop(n, duration);
            System.out.printf("accepted %d/s, failed %d, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    (long) r.acceptedPerSecond(), r.failed(), r.p(50), r.p(99), r.p(100));
        }
        System.exit(0);
    }
}
