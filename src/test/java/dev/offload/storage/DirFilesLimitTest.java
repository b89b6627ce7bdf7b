package dev.offload.storage;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link FilesLimitTest} with the directory store: a refused upload leaves no file on it. */
@QuarkusTest
@TestProfile(SmallUploads.InDir.class)
class DirFilesLimitTest extends FilesLimitTest {
}
