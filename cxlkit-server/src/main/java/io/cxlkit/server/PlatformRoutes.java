package io.cxlkit.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.upload.FirmwareUploader;
import io.cxlkit.host.upload.UploadError;
import io.cxlkit.host.upload.UploadStatus;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.server.api.ApiException;
import io.cxlkit.server.api.ControlApi;
import io.cxlkit.server.api.EventHub;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;

/** What the control API's routes do on a {@link Platform} (wire.md §3). */
final class PlatformRoutes implements ControlApi.Routes {

    private static final Logger LOG = Logger.getLogger("io.cxlkit.server");
    private static final int SPOOL_BUFFER = 256 * 1024;

    private final Platform platform;
    private final EventHub events;

    PlatformRoutes(Platform platform, EventHub events) {
        this.platform = platform;
        this.events = events;
    }

    @Override
    public EventHub events() {
        return events;
    }

    private Memdev memdev(String name) throws ApiException {
        return platform.memdev(name).orElseThrow(() -> ApiException.notFound("no memdev " + name));
    }

    @Override
    public String listMemdevs() throws InterruptedException {
        return MemdevViews.jsonList(platform.memdevs());
    }

    @Override
    public String getMemdev(String name) throws ApiException, InterruptedException {
        return MemdevViews.json(memdev(name));
    }

    @Override
    public String upload(String name, InputStream body, long length)
            throws ApiException, IOException, InterruptedException {
        Memdev m = memdev(name);
        long max = m.device().config().maxPackageSize();
        if (length == 0) {
            throw ApiException.badRequest("the image is empty");
        }
        if (length > max) {
            throw tooLarge(length, max);
        }
        FirmwareUploader uploader = m.uploader();
        if (!uploader.begin(Math.max(length, 0))) {
            throw ApiException.conflict("upload-in-progress", name + ": a firmware upload is already running");
        }
        Path spool = m.spoolFile();
        long size;
        try {
            size = spool(body, spool, max, uploader, platform.pool());
        } catch (ApiException | IOException | RuntimeException e) {
            uploader.abandon(UploadError.READ_WRITE_ERROR);
            Files.deleteIfExists(spool);
            throw e;
        }
        if (size < 0) {
            Files.deleteIfExists(spool);
            uploader.abandon(UploadError.USER_ABORT);
            throw ApiException.conflict("cancelled", name + ": the upload was cancelled while receiving");
        }
        uploader.imageReceived(size);
        String accepted = MemdevViews.json(m);
        LOG.info(name + ": firmware upload started (" + size + " bytes)");
        platform.uploads().execute(() -> runUpload(m, spool));
        return accepted;
    }

    /**
     * Copies the body to the spool file, reading and writing at once ({@link SpoolWriter}); -1 if
     * cancelled meanwhile. Never holds the image whole.
     */
    private static long spool(InputStream body, Path spool, long max, FirmwareUploader uploader,
                              java.util.concurrent.Executor writer) throws ApiException, IOException {
        long total = 0;
        try (FileChannel out = FileChannel.open(spool, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             SpoolWriter w = new SpoolWriter(out, writer, SPOOL_BUFFER)) {
            int n;
            while ((n = body.readNBytes(w.buffer(), 0, SPOOL_BUFFER)) > 0) {
                total += n;
                if (total > max) {
                    throw tooLarge(total, max);
                }
                if (uploader.cancelRequested()) {
                    return -1;
                }
                w.write(n);
            }
            w.awaitWritten();
        }
        if (total == 0) {
            throw ApiException.badRequest("the image is empty");
        }
        return total;
    }

    private static ApiException tooLarge(long size, long max) {
        return new ApiException(413, "too-large", "image of " + size + " bytes is above fw_max_size " + max);
    }

    private void runUpload(Memdev m, Path spool) {
        try (FileChannel image = FileChannel.open(spool, StandardOpenOption.READ)) {
            UploadStatus end = m.uploader().run(image);
            LOG.info(m.name() + ": firmware upload " + end.failureMessage().map(f -> "failed: " + f)
                    .orElse("completed (" + end.bytesSent() + " bytes in " + end.partsSent() + " parts)"));
        } catch (IOException e) {
            m.uploader().abandon(UploadError.READ_WRITE_ERROR);
            LOG.warning(m.name() + ": firmware upload could not read its image: " + e.getMessage());
        } catch (InterruptedException e) {
            m.uploader().abandon(UploadError.USER_ABORT);
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException e) {
                LOG.fine("could not remove " + spool + ": " + e.getMessage());
            }
        }
    }

    @Override
    public String cancelUpload(String name) throws ApiException, InterruptedException {
        Memdev m = memdev(name);
        switch (m.uploader().cancel()) {
            case IDLE:
                throw ApiException.conflict("idle", name + ": no firmware upload is running");
            case TOO_LATE:
                throw ApiException.conflict("too-late", name + ": the last part was sent; the upload will finish");
            default:
                LOG.info(name + ": firmware upload cancel requested");
                return MemdevViews.json(m);
        }
    }

    @Override
    public String activate(String name, JsonNode request) throws ApiException, InterruptedException {
        Memdev m = memdev(name);
        JsonNode slotNode = request.get("slot");
        if (slotNode == null || !slotNode.isInt()) {
            throw ApiException.badRequest("'slot' (an integer) is required");
        }
        // Activate FW's Slot field is one byte: any value it can carry goes to the device, which
        // answers an unusable slot with 000Bh (422); one it cannot carry is the client's error.
        if (slotNode.asInt() < 0 || slotNode.asInt() > 0xFF) {
            throw ApiException.badRequest("'slot' must be 0..255, not " + slotNode.asInt());
        }
        JsonNode onlineNode = request.path("online");
        if (!onlineNode.isMissingNode() && !onlineNode.isBoolean()) {
            throw ApiException.badRequest("'online' must be true or false");
        }
        if (m.uploader().inProgress()) {
            throw ApiException.conflict("upload-in-progress", name + ": a firmware upload is running");
        }
        try {
            m.driver().activate(slotNode.asInt(), onlineNode.asBoolean(false));
        } catch (CciCommandException e) {
            throw new ApiException(422, "device-error", name + ": " + e.getMessage(),
                    "\"return_code\":\"" + ReturnCode.hex(e.returnCode()) + "\",\"return_code_name\":\""
                            + e.returnCodeName().replace("\"", "") + "\"");
        } catch (IOException e) {
            throw new ApiException(504, "device-timeout", name + ": " + e.getMessage());
        }
        LOG.info(name + ": Activate FW slot " + slotNode.asInt() + (onlineNode.asBoolean(false) ? " online" : " on next reset"));
        return MemdevViews.json(m);
    }

    @Override
    public String reset(String name) throws ApiException, InterruptedException {
        Memdev m = memdev(name);
        try {
            m.device().coldReset();
        } catch (IOException e) {
            throw new ApiException(500, "reset-failed", name + ": cold reset could not persist its state: "
                    + e.getMessage());
        }
        return MemdevViews.json(m);
    }

    @Override
    public void readSlot(String name, int slot, HttpExchange ex) throws ApiException, IOException {
        Memdev m = memdev(name);
        if (slot < 1 || slot > m.device().config().slots()) {
            throw ApiException.notFound(name + " has no slot " + slot);
        }
        Path file = m.device().slotFile(slot).orElseThrow(() -> ApiException.notFound("slot " + slot + " is empty"));
        // Slot files are only ever replaced by rename, so an open channel reads one whole package.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, ch.size());
            try (OutputStream out = ex.getResponseBody()) {
                ch.transferTo(0, ch.size(), java.nio.channels.Channels.newChannel(out));
            }
        }
    }

    @Override
    public String injectFault(String name, JsonNode request) throws ApiException {
        Memdev m = memdev(name);
        var change = FaultRequests.parse(request);
        m.device().withFaults(f -> {
            change.accept(f);
            return null;
        });
        LOG.info(name + ": fault injected: " + request.path("fault").asText());
        return faultsJson(m);
    }

    @Override
    public String clearFaults(String name) throws ApiException {
        Memdev m = memdev(name);
        m.device().withFaults(f -> {
            f.clear();
            return null;
        });
        return faultsJson(m);
    }

    private static String faultsJson(Memdev m) {
        var o = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
        o.put("memdev", m.name());
        var arr = o.putArray("faults");
        m.device().faults().forEach(arr::add);
        return o.toString() + "\n";
    }
}
