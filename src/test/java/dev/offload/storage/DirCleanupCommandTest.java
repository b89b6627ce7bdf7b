package dev.offload.storage;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link CleanupCommandTest} on the directory store: expired files leave the directory too. */
@QuarkusTest
@TestProfile(DirStorage.class)
class DirCleanupCommandTest extends CleanupCommandTest {
}
