package io.cxlkit.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.CciTimeoutException;
import io.cxlkit.host.json.JsonC;
import io.cxlkit.host.json.MemdevJson;
import io.cxlkit.host.json.MemdevView;
import io.cxlkit.host.upload.FirmwareAction;
import io.cxlkit.host.upload.FirmwareBusyException;
import io.cxlkit.host.upload.FirmwareUploader;
import io.cxlkit.host.upload.UploadError;
import io.cxlkit.protocol.payload.VerificationLog;
import io.cxlkit.server.api.ApiException;
import io.cxlkit.server.api.ControlApi;
import io.cxlkit.server.api.EventHub;
import io.cxlkit.server.http.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.logging.Logger;

/** What the control API's routes do on a {@link Platform} (wire.md §3). */
final class PlatformRoutes implements ControlApi.Routes {

    private static final Logger LOG = Logger.getLogger("io.cxlkit.server");

    private final Platform platform;
    private final EventHub events;
    private final CciDirectory cci;

    PlatformRoutes(Platform platform, EventHub events, CciDirectory cci) {
        this.platform = platform;
        this.events = events;
        this.cci = cci;
    }

    @Override
    public String cciDirectory() {
        return cci.json();
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
            throw UploadSession.tooLarge(length, max);
        }
        UploadSession session = UploadSession.begin(m, length, platform.spool());
        long size = session.receive(body, max, platform.pool());
        String accepted;
        try {
            accepted = MemdevViews.json(m); // the memdev as it is at acceptance: still receiving
        } catch (InterruptedException | RuntimeException | Error e) {
            session.abandon(e instanceof InterruptedException ? UploadError.USER_ABORT : UploadError.HW_ERROR);
            throw e;
        }
        LOG.info(name + ": firmware upload started (" + size + " bytes)");
        session.start(platform.uploads());
        return accepted;
    }

    /** 409 for a firmware action refused because another one runs on the memdev. */
    static ApiException busy(String memdev, FirmwareBusyException e) {
        return ApiException.conflict(e.running().conflict(), memdev + ": " + e.getMessage());
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
        try {
            m.driver().activate(slotNode.asInt(), onlineNode.asBoolean(false));
        } catch (FirmwareBusyException e) {
            throw busy(name, e);
        } catch (CciCommandException e) {
            throw deviceError(name, e);
        } catch (CciTimeoutException e) {
            throw new ApiException(504, "device-timeout", name + ": " + e.getMessage());
        } catch (IOException e) {
            // an answer the host could not make sense of (a return code CXL r3.1 does not define)
            throw new ApiException(502, "bad-device-answer", name + ": " + e.getMessage());
        }
        LOG.info(name + ": Activate FW slot " + slotNode.asInt() + (onlineNode.asBoolean(false) ? " online" : " on next reset"));
        return MemdevViews.json(m);
    }

    /**
     * 422 for a device's refusal: the message is the device's reason, when the host found one, then
     * its answer in parentheses; {@code return_code}, {@code return_code_name} and [{@code reason}]
     * follow {@code error} and {@code message}.
     */
    static ApiException deviceError(String memdev, CciCommandException e) {
        JsonC.ObjBuilder extra = JsonC.object().put("return_code", e.returnCode().hex())
                .put("return_code_name", e.returnCode().specName());
        e.reason().ifPresent(r -> extra.put("reason", r));
        String members = JsonC.toPlainString(extra.build());
        return new ApiException(422, "device-error", memdev + ": " + e.describe(),
                members.substring(1, members.length() - 1));
    }

    /**
     * A cold reset. When it rejects the staged slot (its package fails verification), the answer's
     * {@code cxlkit.reset} says which slot and why, from the device's Verification Log as the host
     * driver reads it, and a {@code reset} event tells the event stream.
     */
    @Override
    public String reset(String name) throws ApiException, InterruptedException {
        Memdev m = memdev(name);
        Optional<VerificationLog.Record> rejected;
        // a reset in the middle of an upload would break it somewhere undefined: refused (409)
        try (FirmwareUploader.Claim claim = m.uploader().claim(FirmwareAction.RESET)) {
            OptionalLong mark = markVerificationLog(m);
            m.device().coldReset();
            rejected = m.driver().verificationLog().newestSince(mark, VerificationLog.Operation.COLD_RESET);
        } catch (FirmwareBusyException e) {
            throw busy(name, e);
        } catch (IOException e) {
            throw new ApiException(500, "reset-failed", name + ": cold reset could not persist its state: "
                    + e.getMessage());
        }
        MemdevView view = MemdevViews.build(m);
        if (rejected.isPresent()) {
            MemdevView.ResetView r = new MemdevView.ResetView(rejected.get().slot(), rejected.get().reason());
            view = view.withCxlkit(view.cxlkit().orElseThrow().withReset(r));
            // the event: the memdev, then the cxlkit.reset object's members
            JsonC.ObjBuilder event = JsonC.object().put("memdev", name);
            MemdevJson.reset(r).members().forEach(member -> event.put(member.key(), member.value()));
            events.publish("reset", JsonC.toPlainString(event.build()));
        }
        return MemdevViews.json(view);
    }

    /** What the log holds before a reset; empty (no reason to look for) when the mailbox does not answer. */
    private static OptionalLong markVerificationLog(Memdev m) {
        try {
            return m.driver().verificationLog().mark();
        } catch (CciTimeoutException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void readSlot(String name, int slot, Exchange ex) throws ApiException, IOException {
        Memdev m = memdev(name);
        if (slot < 1 || slot > m.device().config().slots()) {
            throw ApiException.notFound(name + " has no slot " + slot);
        }
        Path file = m.device().slotFile(slot).orElseThrow(() -> ApiException.notFound("slot " + slot + " is empty"));
        // Slot files are only ever replaced by rename, so an open channel reads one whole package.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ex.responseHeaders().set("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, ch.size());
            try (OutputStream out = ex.responseBody()) {
                ch.transferTo(0, ch.size(), java.nio.channels.Channels.newChannel(out));
            }
        }
    }

    @Override
    public String injectFault(String name, JsonNode request) throws ApiException {
        Memdev m = memdev(name);
        FaultRequests.parse(request).applyTo(m.device());
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

    /** {@code {"memdev","faults"}}, pretty like every other JSON answer of the API. */
    private static String faultsJson(Memdev m) {
        return JsonC.document(JsonC.object().put("memdev", m.name()).put("faults", JsonC.strings(m.device().faults()))
                .build());
    }
}
