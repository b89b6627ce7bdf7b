package dev.offload.storage;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link FilesResourceTest} with the directory store. */
@QuarkusTest
@TestProfile(DirStorage.class)
class DirFilesResourceTest extends FilesResourceTest {
}
