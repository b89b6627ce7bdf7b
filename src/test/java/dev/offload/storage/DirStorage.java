package dev.offload.storage;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.Map;

/**
 * The directory store, on a directory of its own under target/ for this run (named for the process: the profile
 * is loaded by the test's class loader and by the application's, and both must name the same directory).
 */
public class DirStorage implements QuarkusTestProfile {

    public static final Path ROOT = Path.of("target", "file-store-" + ProcessHandle.current().pid()).toAbsolutePath();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("offload.storage.backend", "dir:" + ROOT);
    }
}
