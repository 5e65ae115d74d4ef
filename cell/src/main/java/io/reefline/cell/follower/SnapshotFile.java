package io.reefline.cell.follower;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The follower's last good snapshot on local disk, so a restart answers OFREP at once, also while the primary is
 * unreachable. Written to a temporary file, forced to disk and renamed over the old one: a crash leaves either the
 * old snapshot or the new one, never half of one.
 */
final class SnapshotFile {

    private final Path file;

    SnapshotFile(Path directory) {
        this.file = directory.resolve("snapshot.json");
    }

    Path path() {
        return file;
    }

    Optional<byte[]> read() throws IOException {
        return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    void write(byte[] snapshot) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling("snapshot.json.tmp");
        try (FileChannel channel = FileChannel.open(
                temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(snapshot);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
