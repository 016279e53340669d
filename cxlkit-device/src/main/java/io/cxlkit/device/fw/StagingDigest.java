package io.cxlkit.device.fw;

import io.cxlkit.protocol.fwpkg.BodyDigest;
import io.cxlkit.protocol.fwpkg.PackageFormatException;
import io.cxlkit.protocol.fwpkg.PackageHeader;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The SHA-256 of a staged package's body, computed while its parts are written, so that End need
 * not read the body back and hash it after the fsync. device-behaviour.md §5 allows this only if
 * it provably equals the digest of the stored bytes, hence the rule: it stays valid only while
 * every write lands exactly where the previous one ended, from offset 0 of a freshly truncated
 * file. Anything else (a retransmission, the corrupt-staging fault, a write it was not told of)
 * makes it invalid, and verification reads the file as before. The body length comes from the
 * first 128 bytes as written.
 *
 * <p>Hashing runs on {@code hashing}, beside the transfer of the next part, one chunk after the
 * other. The chunks must not change once handed over; each array is released once hashed. Its methods are called by one thread at a
 * time (the device's worker order).
 */
final class StagingDigest {

    /** At most this many bytes wait to be hashed; a writer beyond it waits (bounded memory). */
    static final long MAX_PENDING_BYTES = 16L << 20;
    /** Small parts are handed over in batches of this much: a hand-off per 4 KiB part would cost more than its hashing. */
    static final long BATCH_BYTES = 256L << 10;

    private record Chunk(byte[] data, int from, int length) {
    }

    private final Executor hashing;
    private final Consumer<byte[]> release;
    private final byte[] header = new byte[PackageHeader.SIZE];
    private MessageDigest md;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private boolean valid;
    private long written;
    private long bodyEnd = -1;
    private long pendingBytes;
    private final List<Chunk> batch = new ArrayList<>();
    private long batchBytes;

    /** @param release told of each array {@link #written} kept, once it has been hashed (or dropped) */
    StagingDigest(Executor hashing, Consumer<byte[]> release) {
        this.hashing = hashing;
        this.release = release;
    }

    StagingDigest(Executor hashing) {
        this(hashing, a -> { });
    }

    /** The staging file was truncated to zero bytes. */
    void begin() {
        batch.forEach(c -> release.accept(c.data()));
        batch.clear();
        batchBytes = 0;
        awaitHashed();
        md = sha256();
        valid = true;
        written = 0;
        bodyEnd = -1;
    }

    /** Something changed the stored bytes other than {@link #written}. */
    void invalidate() {
        valid = false;
    }

    /**
     * {@code data[from, from + length)} was written to the staging file at {@code offset}. Returns
     * true if the digest keeps {@code data} to hash it later: the caller must then leave it as it
     * is, and gets it back through {@code release}.
     */
    boolean written(long offset, byte[] data, int from, int length) {
        if (!valid || offset != written) {
            valid = false;
            return false;
        }
        int headerBytes = (int) Math.max(0, Math.min(length, PackageHeader.SIZE - offset));
        if (headerBytes > 0) {
            System.arraycopy(data, from, header, (int) offset, headerBytes);
            if (offset + headerBytes == PackageHeader.SIZE) {
                bodyEnd = bodyEndOf(header);
                if (bodyEnd < 0) {
                    valid = false; // not a package header: verification reads the file and says why
                    return false;
                }
            }
        }
        long start = offset + headerBytes;
        written = offset + length;
        if (bodyEnd >= 0 && start < bodyEnd) {
            int skip = (int) (start - offset);
            int n = (int) (Math.min(written, bodyEnd) - start);
            hash(data, from + skip, n);
            return true;
        }
        return false;
    }

    private void hash(byte[] data, int from, int n) {
        batch.add(new Chunk(data, from, n));
        batchBytes += n;
        if (batchBytes >= BATCH_BYTES) {
            handOver();
        }
    }

    private void handOver() {
        if (batch.isEmpty()) {
            return;
        }
        if (pendingBytes + batchBytes > MAX_PENDING_BYTES) {
            awaitHashed();
        }
        List<Chunk> chunks = List.copyOf(batch);
        pendingBytes += batchBytes;
        batch.clear();
        batchBytes = 0;
        MessageDigest digest = md;
        tail = tail.thenRunAsync(() -> {
            for (Chunk c : chunks) {
                digest.update(c.data(), c.from(), c.length());
                release.accept(c.data());
            }
        }, hashing);
    }

    /** The body's digest if it covers exactly the stored {@code size} bytes' body, else empty. */
    Optional<BodyDigest> result(long size) {
        handOver();
        awaitHashed();
        if (!valid || written != size || bodyEnd < 0 || size < bodyEnd) {
            return Optional.empty();
        }
        valid = false; // digest() resets the MessageDigest: one answer per staging
        return Optional.of(new BodyDigest(bodyEnd - PackageHeader.SIZE, md.digest()));
    }

    private void awaitHashed() {
        try {
            tail.join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            valid = false; // the pool refused a chunk (shutting down): verification reads the file
            tail = CompletableFuture.completedFuture(null);
        }
        pendingBytes = 0;
    }

    /** 128 + the body length the header states, or -1 if the bytes are not a package header. */
    private static long bodyEndOf(byte[] h) {
        try {
            return PackageHeader.SIZE + PackageHeader.parse(h).bodyLength();
        } catch (PackageFormatException e) {
            return -1;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
