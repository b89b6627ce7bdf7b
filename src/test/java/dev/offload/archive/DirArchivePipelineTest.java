package dev.offload.archive;

import dev.offload.storage.DirStorage;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link ArchivePipelineTest} with the directory store: archives, extraction and cleanup on files on disk. */
@QuarkusTest
@TestProfile(DirStorage.class)
class DirArchivePipelineTest extends ArchivePipelineTest {
}
