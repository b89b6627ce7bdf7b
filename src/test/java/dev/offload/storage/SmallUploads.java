package dev.offload.storage;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Uploads limited to 64 KiB, so a test can go over the limit cheaply. */
public class SmallUploads implements QuarkusTestProfile {

    public static final int LIMIT = 64 * 1024;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("offload.files.max-size", "64K");
    }

    /** The same limit, with the directory store. */
    public static class InDir implements QuarkusTestProfile {

        public static final java.nio.file.Path ROOT = DirStorage.ROOT.resolveSibling(DirStorage.ROOT.getFileName() + "-small");

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("offload.files.max-size", "64K", "offload.storage.backend", "dir:" + ROOT);
        }
    }
}
