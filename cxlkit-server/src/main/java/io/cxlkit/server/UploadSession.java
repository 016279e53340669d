package io.cxlkit.server;

import io.cxlkit.host.upload.FirmwareBusyException;
import io.cxlkit.host.upload.FirmwareUploader;
import io.cxlkit.host.upload.UploadError;
import io.cxlkit.host.upload.UploadStatus;
import io.cxlkit.server.api.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Logger;

/**
 * One upload through the control API, from the PUT to its published end, and the only owner of
 * everything it holds: the claim on the memdev's firmware, the spool file with the image (a name
 * of its own in the server's {@link SpoolDirectory}) and the channel reading it. Every way out
 * (refused body, cancel while receiving, read failure, device error, reset, shutdown) goes through
 * {@link #finish}: close and delete first, publish the end last, the order of the kernel's
 * {@code fw_upload_main}, so a client that reacts to the end at once finds the memdev ready.
 */
final class UploadSession {

    private static final Logger LOG = Logger.getLogger("io.cxlkit.server");
    /** The body is read and written in pieces of this size (two of them, see {@link SpoolWriter}). */
    static final int SPOOL_BUFFER = 256 * 1024;

    private final Memdev memdev;
    private final FirmwareUploader.Upload upload;
    private final Path spool;
    private boolean finished;

    private UploadSession(Memdev memdev, FirmwareUploader.Upload upload, Path spool) {
        this.memdev = memdev;
        this.upload = upload;
        this.spool = spool;
    }

    /**
     * Claims {@code memdev}'s firmware for an upload of (about) {@code length} bytes and gives it a
     * spool file.
     *
     * @throws ApiException 409 if an upload, an activation or a reset runs; 500 if no spool file
     */
    static UploadSession begin(Memdev memdev, long length, SpoolDirectory spools) throws ApiException {
        FirmwareUploader.Upload upload;
        try {
            upload = memdev.uploader().begin(Math.max(length, 0));
        } catch (FirmwareBusyException e) {
            throw PlatformRoutes.busy(memdev.name(), e);
        }
        Path file;
        try {
            file = spools.newFile(memdev.name());
        } catch (IOException e) {
            upload.end(upload.failure(UploadError.READ_WRITE_ERROR));
            throw spoolFailed(memdev.name(), e);
        }
        return new UploadSession(memdev, upload, file);
    }

    /**
     * Copies the request body into the spool file, reading and writing at once ({@link SpoolWriter});
     * never holds the image whole. On any failure the upload ends (and is cleaned up) before this
     * throws.
     *
     * @return the image's size
     * @throws ApiException 413 above {@code max}, 400 for an empty body, 409 if cancelled meanwhile,
     *                      500 if the spool file cannot be written
     * @throws IOException  if the client's body could not be read (the client is gone)
     */
    long receive(InputStream body, long max, Executor writer) throws ApiException, IOException {
        long total = 0;
        Refusal refusal = null;
        // the catch clauses run once the channel is closed and the writer done: clean-up, then the end
        try (FileChannel out = FileChannel.open(spool, StandardOpenOption.WRITE);
             SpoolWriter w = new SpoolWriter(out, writer, SPOOL_BUFFER)) {
            while (true) {
                int n = readBody(body, w.buffer());
                if (n <= 0) {
                    break;
                }
                total += n;
                if (total > max) {
                    refusal = new Refusal(UploadError.INVALID_FILE_SIZE, tooLarge(total, max));
                    break;
                }
                if (upload.cancelRequested()) {
                    refusal = new Refusal(UploadError.USER_ABORT, ApiException.conflict("cancelled",
                            memdev.name() + ": the upload was cancelled while receiving"));
                    break;
                }
                w.write(n);
            }
            if (refusal == null) {
                w.awaitWritten();
            }
        } catch (BodyReadException e) {
            finish(upload.failure(UploadError.READ_WRITE_ERROR));
            throw e.getCause();
        } catch (IOException | RuntimeException e) {
            finish(upload.failure(UploadError.READ_WRITE_ERROR));
            throw spoolFailed(memdev.name(), e);
        } catch (Error e) {
            finish(upload.failure(UploadError.READ_WRITE_ERROR));
            throw e;
        }
        if (refusal == null && total == 0) {
            refusal = new Refusal(UploadError.INVALID_FILE_SIZE, ApiException.badRequest("the image is empty"));
        }
        if (refusal != null) {
            finish(upload.failure(refusal.recordedAs()));
            throw refusal.answer();
        }
        upload.imageReceived(total);
        return total;
    }

    /** A body refused while it arrived: how the upload's end records it, and the client's answer. */
    private record Refusal(UploadError recordedAs, ApiException answer) {
    }

    /** Runs the transfer on {@code uploads}; the session ends there. */
    void start(Executor uploads) {
        try {
            uploads.execute(this::run);
        } catch (RejectedExecutionException e) {
            // the daemon is stopping
            finish(upload.failure(UploadError.USER_ABORT));
        }
    }

    /** Ends a received upload that will not be transferred after all (its accepting answer failed). */
    void abandon(UploadError error) {
        finish(upload.failure(error));
    }

    private void run() {
        UploadStatus ending = null;
        try (FileChannel image = FileChannel.open(spool, StandardOpenOption.READ)) {
            ending = upload.transfer(image);
        } catch (IOException e) {
            LOG.warning(memdev.name() + ": firmware upload could not read its image " + spool + ": " + e.getMessage());
            ending = upload.failure(UploadError.READ_WRITE_ERROR);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ending = upload.failure(UploadError.USER_ABORT);
        } catch (RuntimeException e) {
            LOG.severe(memdev.name() + ": firmware upload failed unexpectedly: " + e);
            ending = upload.failure(UploadError.HW_ERROR);
        } finally {
            // also for an Error: the memdev is never left claimed by an upload that is gone
            finish(ending != null ? ending : upload.failure(UploadError.HW_ERROR));
        }
        LOG.info(memdev.name() + ": firmware upload " + ending.failureMessage().map(f -> "failed: " + f)
                .orElse("completed (" + ending.bytesSent() + " bytes in " + ending.partsSent() + " parts)"));
    }

    /** Clean-up first, the end last: the one way every upload of this session ends. */
    private void finish(UploadStatus ending) {
        if (finished) {
            return;
        }
        finished = true;
        try {
            Files.deleteIfExists(spool);
        } catch (IOException e) {
            LOG.warning(memdev.name() + ": could not remove the spooled image " + spool + ": " + e.getMessage());
        }
        upload.end(ending);
    }

    private static int readBody(InputStream body, byte[] buffer) throws BodyReadException {
        try {
            return body.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            throw new BodyReadException(e);
        }
    }

    static ApiException tooLarge(long size, long max) {
        return new ApiException(413, "too-large", "image of " + size + " bytes is above fw_max_size " + max);
    }

    private static ApiException spoolFailed(String memdev, Exception e) {
        return new ApiException(500, "spool-failed", memdev + ": the image could not be stored for the upload: "
                + e.getMessage());
    }

    /** The client's body could not be read: told apart from a failure to write the spool file. */
    private static final class BodyReadException extends IOException {
        BodyReadException(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
