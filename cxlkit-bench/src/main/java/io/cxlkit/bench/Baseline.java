package io.cxlkit.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The physical floor of a firmware update of N bytes on this machine: one FileChannel write of
 * the bytes, force(true), one SHA-256 pass. Best of 5 after 3 warm-ups.
 */
final class Baseline {
    private Baseline() {
    }

    static double writeFsyncDigestSeconds(Path dir, byte[] bytes) throws IOException {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            Path f = dir.resolve("baseline.bin");
            long t0 = System.nanoTime();
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            sha256(bytes);
            double s = (System.nanoTime() - t0) / 1e9;
            Files.delete(f);
            if (i >= 3) {
                best = Math.min(best, s);
            }
        }
        return best;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
