package dev.offload.bench;

import dev.offload.archive.ArchiveBenchmark;
import java.util.Map;

/**
 * The archive backends against the command-line tools on the same generated corpus, single-threaded and on
 * the cores, taking turns within each round: {@link ArchiveBenchmark} prints its table (MB/s, sizes, CPU, the
 * ratios per round and their medians). Needs no service.
 */
public class ArchiveBackendsScenario implements Scenario {

    @Override
    public String name() {
        return "archive-backends";
    }

    @Override
    public String description() {
        return "archive backends (zip, tar, tar.gz, tar.bz2, tar.xz) single / parallel vs zip -6, tar czf/cjf/cJf: MB/s, sizes";
    }

    @Override
    public int repetitions(boolean quick) {
        return 1; // takes turns within itself
    }

    @Override
    public Map<String, Double> run(BenchEnv env) throws Exception {
        ArchiveBenchmark.main(env.quick() ? new String[] {"--mib", "16", "--rounds", "1"}
                : new String[] {"--mib", "64", "--rounds", "3"});
        return Map.of();
    }
}
