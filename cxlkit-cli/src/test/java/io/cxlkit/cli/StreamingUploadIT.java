package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon with a 48 MiB heap takes a 128 MiB upload and stores it with the right digest: the
 * image is streamed (spool file, parts, staging file), never held whole in memory.
 */
class StreamingUploadIT {

    private static final int IMAGE_BYTES = 128 << 20;

    @Test
    void a128MiBUploadFitsThroughA48MiBHeap(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("big.img");
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        Random random = new Random(128);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(image)) {
            for (int i = 0; i < IMAGE_BYTES / chunk.length; i++) {
                random.nextBytes(chunk);
                written.update(chunk);
                out.write(chunk);
            }
        }
        Path state = dir.resolve("state");
        try (DaemonProcess d = DaemonProcess.start(state, Map.of("CXLKIT_JAVA_OPTS", "-Xmx48m"),
                "--fw-max-size", "256MiB", "--payload-size", "1MiB", "--timing", "instant", "--fw-verify", "none")) {
            // the serving JVM really runs with the small heap
            assertThat(ProcessHandle.of(d.info().pid()).orElseThrow().info().arguments().orElseThrow())
                    .contains("-Xmx48m");
            String launcher = LauncherProcess.root().resolve("bin/cxlkit").toString();
            LauncherProcess.Result r = LauncherProcess.run(dir, LauncherProcess.noChange(), launcher,
                    "update-firmware", "mem0", "-F", image.toString(), "-w", "--state-dir", state.toString());
            assertThat(r.exit()).as(r.stderr() + d.log()).isZero();
            assertThat(r.stdout()).contains("\"staged_slot\":2");

            // the stored package, read from the slot file as the device keeps it
            MessageDigest stored = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream in = new DigestInputStream(
                    Files.newInputStream(state.resolve("mem0").resolve("slot-2.pkg")), stored)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            assertThat(HexFormat.of().formatHex(stored.digest()))
                    .isEqualTo(HexFormat.of().formatHex(written.digest()));
            assertThat(d.log()).doesNotContain("OutOfMemoryError");
        }
    }
}
