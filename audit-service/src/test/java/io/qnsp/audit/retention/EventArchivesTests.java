package io.qnsp.audit.retention;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventArchivesTests {

    @TempDir
    Path root;

    @TempDir
    Path elsewhere;

    @Test
    void eachOwnerHasADirectoryNoOtherOwnerCanName() {
        assertThat(EventArchives.directoryOf(new RetentionOwner("tenant-1"))).isEqualTo("tenant-1");
        assertThat(EventArchives.directoryOf(new RetentionOwner(null))).isEqualTo("~platform");
        for (String unfit : new String[] {"Tenant-1", "..", ".", "a/b", "a\\b", "", "~platform", "x".repeat(201),
                "ténant"}) {
            assertThat(EventArchives.directoryOf(new RetentionOwner(unfit))).as(unfit).matches("~[0-9a-f]{64}");
        }
        assertThat(EventArchives.directoryOf(new RetentionOwner("Tenant-1")))
                .isNotEqualTo(EventArchives.directoryOf(new RetentionOwner("tenant-1")));
    }

    @Test
    void aSymbolicLinkCannotLeadATenantsArchiveOutOfItsDirectory() throws IOException {
        Path tenantDirectory = Files.createDirectories(root.resolve("tenant-1"));
        Files.createSymbolicLink(tenantDirectory.resolve("link"), elsewhere);
        EventArchives archives = archives();

        assertThatThrownBy(() -> archives.write(new RetentionOwner("tenant-1"), "link/cold", UUID.randomUUID(),
                sink -> sink.accept(event()))).isInstanceOf(ArchiveUnavailable.class);

        try (Stream<Path> files = Files.walk(elsewhere)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void anArchiveIsCompleteUnderItsFinalNameWithNoPartialFileLeft() throws IOException {
        EventArchives archives = archives();
        UUID executionId = UUID.randomUUID();

        String file = archives.write(new RetentionOwner("tenant-1"), "a/b", executionId,
                sink -> sink.accept(event()));

        assertThat(file).isEqualTo("tenant-1/a/b/" + executionId + ".jsonl.gz");
        try (Stream<Path> files = Files.list(root.resolve("tenant-1/a/b"))) {
            assertThat(files).containsExactly(root.resolve(file));
        }
    }

    @Test
    void aSourceThatFailsLeavesNoFileBehind() {
        EventArchives archives = archives();

        assertThatThrownBy(() -> archives.write(new RetentionOwner("tenant-1"), "a", UUID.randomUUID(), sink -> {
            sink.accept(event());
            throw new IllegalStateException("the database went away");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(root.resolve("tenant-1/a")).isEmptyDirectory();
    }

    private EventArchives archives() {
        return new EventArchives(new RetentionSettings(root, 100, 1000, Duration.ofDays(1)),
                JsonMapper.builder().build());
    }

    private static RetainedEvents.ArchivedEvent event() {
        return new RetainedEvents.ArchivedEvent(UUID.randomUUID(), "tenant-1", Instant.EPOCH, "user-1", "a.b",
                null, null, "success", null, "svc", JsonMapper.builder().build().readTree("{}"), Instant.EPOCH);
    }
}
