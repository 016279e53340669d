package io.cxlkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolWriterTest {

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void piecesLandInOrderWhileTheNextOneIsFilled() throws IOException {
        byte[] body = new byte[1_000_003];
        new Random(7).nextBytes(body);
        Path file = dir.resolve("upload.img");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             SpoolWriter w = new SpoolWriter(out, pool, 4096)) {
            byte[] previous = null;
            for (int at = 0; at < body.length; at += 4096) {
                int n = Math.min(4096, body.length - at);
                byte[] buf = w.buffer();
                assertThat(buf).as("the buffer being written is never handed out").isNotSameAs(previous);
                System.arraycopy(body, at, buf, 0, n);
                w.write(n);
                previous = buf;
            }
            w.awaitWritten();
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(body);
    }

    @Test
    void aFailedWriteIsReportedToTheReader() throws IOException {
        Path file = dir.resolve("upload.img");
        FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        out.close(); // every write fails
        try (SpoolWriter w = new SpoolWriter(out, pool, 16)) {
            w.write(16);
            assertThatThrownBy(w::awaitWritten).isInstanceOf(java.nio.channels.ClosedChannelException.class);
            w.write(16);
            assertThatThrownBy(() -> w.write(16)).isInstanceOf(IOException.class);
        }
    }
}
