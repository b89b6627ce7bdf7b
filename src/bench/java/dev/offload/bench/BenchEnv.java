package dev.offload.bench;

import dev.offload.support.ServiceProcess;
import dev.offload.support.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a scenario works with: its own database and virtual host on the real services, the packaged
 * service started as child processes with the configuration it asks for, the size to run at, and the
 * baseline build to compare with, if one was given.
 */
public final class BenchEnv implements AutoCloseable {

    private final boolean quick;
    private final Path baseline;
    private final String database;
    private final String vhost;
    private final List<ServiceProcess> started = new ArrayList<>();

    BenchEnv(boolean quick, Path baseline) {
        this.quick = quick;
        this.baseline = baseline;
        this.database = TestServices.uniqueName("offload_bench");
        this.vhost = TestServices.uniqueName("offload-bench");
        TestServices.createDatabase(database);
        TestServices.createVirtualHost(vhost);
    }

    /** True for {@code --quick}: small sizes, the whole run in a few minutes. */
    public boolean quick() {
        return quick;
    }

    /** The baseline build's jar ({@code --baseline}), if one was given. */
    public Optional<Path> baseline() {
        return Optional.ofNullable(baseline);
    }

    /** Another environment of the same size, with a database and a virtual host of its own. */
    public BenchEnv another() {
        return new BenchEnv(quick, baseline);
    }

    /** {@code quick} when quick, else {@code full}. */
    public int size(int quickSize, int fullSize) {
        return quick ? quickSize : fullSize;
    }

    public String database() {
        return database;
    }

    public String virtualHost() {
        return vhost;
    }

    public Connection connect() throws java.sql.SQLException {
        return TestServices.connect(database);
    }

    /** The configuration every service process of this run shares; scenarios add to it. */
    public Map<String, String> baseConfig(String role) {
        Map<String, String> config = TestServices.serviceConfig(database, vhost, role);
        config.put("quarkus.log.level", "WARN");
        return config;
    }

    /** Starts the packaged service; it is stopped when the scenario's environment closes. */
    public ServiceProcess start(String name, Map<String, String> config) throws Exception {
        return start(ServiceProcess.JAR, name, config);
    }

    /** Starts the service from {@code jar} (another build's), as {@link #start(String, Map)} does. */
    public ServiceProcess start(Path jar, String name, Map<String, String> config) throws Exception {
        ServiceProcess service = ServiceProcess.start(jar, "bench-" + name, config);
        started.add(service);
        return service;
    }

    /** Stops a service early (to start another configuration against the same data). */
    public void stop(ServiceProcess service) throws InterruptedException {
        service.close();
        started.remove(service);
    }

    /** Peak resident set size of a process so far, in MiB (VmHWM). */
    public static double peakRssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0;
                }
            }
        } catch (Exception e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux's usual builds). */
    private static final double TICKS_PER_S = 100.0;

    /**
     * CPU time the whole machine has used since boot, in ms: every core and process, PostgreSQL,
     * RabbitMQ and the clients included (/proc/stat: all but idle and iowait).
     */
    public static double machineCpuMs() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) { // user nice system idle iowait irq softirq steal
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * 1000 / TICKS_PER_S;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /** CPU time a process has used so far (user and system, all its threads), in ms: /proc/PID/stat. */
    public static double processCpuMs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // fields from the 3rd (state) on
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / TICKS_PER_S; // utime, stime
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess service : started) {
            service.close();
        }
        started.clear();
        TestServices.deleteVirtualHost(vhost);
        TestServices.dropDatabase(database);
    }

    static Map<String, String> machine() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        try {
            String total = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D+", "");
            m.put("memory_gib", String.format("%.1f", Long.parseLong(total) / 1024.0 / 1024.0));
        } catch (Exception e) {
            m.put("memory_gib", "?");
        }
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return m;
    }
}
