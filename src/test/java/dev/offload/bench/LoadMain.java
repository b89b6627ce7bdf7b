package dev.offload.bench;

import dev.offload.support.Tokens;
import java.time.Duration;

/** Manual load for profiling: {@code LoadMain <port> <seconds> <concurrency> [path] [json]}. Prints what it saw. */
public final class LoadMain {

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        String path = args.length > 3 ? args[3] : "/api/v1/canaries";
        String body = args.length > 4 ? args[4] : "{\"sleep_ms\":0}";
        try (Load load = new Load(port, concurrency, path, Tokens.admin("load-main"), body)) {
            Load.Result r = load.closedLoop(concurrency, Duration.ofSeconds(seconds));
            System.out.printf("accepted %d/s, failed %d, p50 %.2f ms, p99 %.2f ms%n", (long) r.acceptedPerSecond(),
                    r.failed(), r.p(50), r.p(99));
        }
        System.exit(0);
    }
}
