package io.cxlkit.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.device.CxlDevice;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.CciTimeoutException;
import io.cxlkit.host.driver.AlertConfigChange;
import io.cxlkit.host.driver.MemdevDriver;
import io.cxlkit.host.driver.SanitizeRefusedException;
import io.cxlkit.host.driver.SecurityStatus;
import io.cxlkit.host.json.JsonC;
import io.cxlkit.host.json.MemdevJson;
import io.cxlkit.host.json.MemdevView;
import io.cxlkit.host.upload.FirmwareAction;
import io.cxlkit.host.upload.FirmwareBusyException;
import io.cxlkit.host.upload.FirmwareUploader;
import io.cxlkit.host.upload.UploadError;
import io.cxlkit.protocol.payload.AlertWarning;
import io.cxlkit.protocol.payload.DpaRange;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.SetAlertConfigRequest;
import io.cxlkit.protocol.payload.VerificationLog;
import io.cxlkit.server.api.ApiException;
import io.cxlkit.server.api.ControlApi;
import io.cxlkit.server.api.EventHub;
import io.cxlkit.server.api.Params;
import io.cxlkit.server.http.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
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
    public String listMemdevs(Set<MemdevJson.Include> include) throws InterruptedException {
        return MemdevViews.jsonList(platform.memdevs(), include);
    }

    @Override
    public String getMemdev(String name, Set<MemdevJson.Include> include) throws ApiException, InterruptedException {
        return MemdevViews.json(memdev(name), include);
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
        } catch (CciCommandException | IOException e) {
            throw driverFailed(name, e, "");
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
            try {
                m.device().coldReset();
            } finally {
                // the reset's volatile part runs even when a file step failed (and is then reported):
                // it dropped a running Sanitize, so the host's state is settled before this request
                // answers, and the device came back, so the host driver probes it again (§13.1)
                m.driver().coldResetDone();
                m.driver().attach();
            }
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

    // ------------------------------------------------------------------ labels, alerts, partitions

    /**
     * The size of {@code m}'s Label Storage Area as its host driver learned it at its last successful
     * attach; the route never attaches (§13.1): without one, the last attach's failure is the
     * route's (422, 504, 502).
     */
    private static long labelSize(Memdev m) throws ApiException, InterruptedException {
        try {
            return m.driver().attached().lsaSize();
        } catch (CciCommandException | IOException e) {
            throw labelsFailed(m.name(), e, false);
        }
    }

    /** The failure of a label transfer ({@link #driverFailed}); a write's adds that the labels may be inconsistent. */
    private static ApiException labelsFailed(String memdev, Exception e, boolean write) {
        return driverFailed(memdev, e, write ? "; " + MemdevDriver.LABELS_INCONSISTENT : "");
    }

    /**
     * A host driver call's failure, a {@link CciCommandException} or an {@link IOException}, as
     * ApiException: 422 with the device's answer ({@link #deviceError}), 504 when the device did not
     * answer in time, 502 for an answer the host could not make sense of (e.g. a return code CXL
     * r3.1 does not define); {@code after} ends the message.
     */
    private static ApiException driverFailed(String memdev, Exception e, String after) {
        if (e instanceof CciCommandException c) {
            ApiException d = deviceError(memdev, c);
            return new ApiException(422, d.error(), d.getMessage() + after, d.extraJson());
        }
        if (e instanceof CciTimeoutException) {
            return new ApiException(504, "device-timeout", memdev + ": " + e.getMessage() + after);
        }
        return new ApiException(502, "bad-device-answer", memdev + ": " + e.getMessage() + after);
    }

    /** The member a refusal over the label storage area's bounds adds: {@code "label_size":S}. */
    private static String labelSizeMember(long lsa) {
        return "\"label_size\":" + lsa;
    }

    /** {@code {"memdev","offset","size"}}: what a label write or zeroing did. */
    private static String labelsJson(String memdev, long offset, long size) {
        return JsonC.document(JsonC.object().put("memdev", memdev).put("offset", offset).put("size", size).build());
    }

    @Override
    public void readLabels(String name, long offset, long size, Exchange ex)
            throws ApiException, IOException, InterruptedException {
        Memdev m = memdev(name);
        long lsa = labelSize(m);
        if (offset > lsa || (size != 0 && size > lsa - offset)) {
            throw new ApiException(400, "out-of-range", name + ": " + size + " bytes at offset " + offset
                    + " are beyond the label storage area (" + lsa + " bytes)", labelSizeMember(lsa));
        }
        long length = size == 0 ? lsa - offset : size;
        byte[] bytes;
        try {
            bytes = m.driver().readLabels(offset, (int) length);
        } catch (CciCommandException | IOException e) {
            throw labelsFailed(name, e, false);
        }
        ex.responseHeaders().set("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.responseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public String writeLabels(String name, long offset, InputStream body, long length)
            throws ApiException, IOException, InterruptedException {
        Memdev m = memdev(name);
        long lsa = labelSize(m);
        long room = offset > lsa ? -1 : lsa - offset;
        if (length > room || (length < 0 && room < 0)) {
            throw new ApiException(413, "too-large", name + ": " + (length < 0 ? "the body" : length + " bytes")
                    + " at offset " + offset + " would go beyond the label storage area (" + lsa + " bytes)", labelSizeMember(lsa));
        }
        // at most the room left (+1 to see a chunked body that is longer): 16 MiB at most
        byte[] data = body.readNBytes((int) Math.max(0, room) + 1);
        if (data.length > room) {
            throw new ApiException(413, "too-large", name + ": a body above " + room + " bytes at offset " + offset
                    + " would go beyond the label storage area (" + lsa + " bytes)", labelSizeMember(lsa));
        }
        try {
            m.driver().writeLabels(offset, data);
        } catch (CciCommandException | IOException e) {
            throw labelsFailed(name, e, true);
        }
        return labelsJson(name, offset, data.length);
    }

    @Override
    public String zeroLabels(String name, JsonNode request) throws ApiException, InterruptedException {
        Memdev m = memdev(name);
        requireOnly(request, Set.of("offset", "size"));
        long offset = Params.unsigned(request, "offset", 0);
        long size = Params.unsigned(request, "size", 0);
        long lsa = labelSize(m);
        if (offset > lsa || (size != 0 && size > lsa - offset)) {
            throw new ApiException(400, "out-of-range", name + ": " + size + " bytes at offset " + offset
                    + " are beyond the label storage area (" + lsa + " bytes)", labelSizeMember(lsa));
        }
        long length = size == 0 ? lsa - offset : size;
        try {
            m.driver().zeroLabels(offset, (int) length);
        } catch (CciCommandException | IOException e) {
            throw labelsFailed(name, e, true);
        }
        return labelsJson(name, offset, length);
    }

    /** 400 for a member not in {@code allowed}, so that a typo is not silently ignored. */
    private static void requireOnly(JsonNode request, Set<String> allowed) throws ApiException {
        for (Iterator<String> it = request.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw ApiException.badRequest("unknown member '" + key + "' (" + String.join(", ",
                        allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    /**
     * {@code {"life_used":{"alert":"on","threshold":30},"over_temperature":{"alert":"off"}}}: ndctl's
     * set-alert-config with its rules and messages ({@link AlertConfigChange}), each a 400; then Set
     * Alert Configuration; the answer is the memdev with {@code alert_config}.
     */
    @Override
    public String setAlertConfig(String name, JsonNode request) throws ApiException, InterruptedException {
        Memdev m = memdev(name);
        requireOnly(request, Set.copyOf(AlertConfigChange.NAMES));
        Map<AlertWarning, AlertConfigChange.Setting> settings = new EnumMap<>(AlertWarning.class);
        for (AlertWarning w : AlertWarning.values()) {
            String key = AlertConfigChange.name(w);
            JsonNode s = request.get(key);
            if (s == null) {
                continue;
            }
            if (!s.isObject()) {
                throw ApiException.badRequest("'" + key + "' must be an object: {\"alert\":\"on\"|\"off\"[,"
                        + "\"threshold\":N]}");
            }
            requireOnly(s, Set.of("alert", "threshold"));
            JsonNode alert = s.get("alert");
            JsonNode threshold = s.get("threshold");
            if (alert != null && !alert.isTextual()) {
                throw ApiException.badRequest("'" + key + ".alert' must be \"on\" or \"off\"");
            }
            if (threshold != null && !threshold.isTextual() && !threshold.isIntegralNumber()) {
                throw ApiException.badRequest("'" + key + ".threshold' must be an integer");
            }
            settings.put(w, new AlertConfigChange.Setting(Optional.ofNullable(alert).map(JsonNode::asText),
                    Optional.ofNullable(threshold).map(JsonNode::asText)));
        }
        SetAlertConfigRequest change;
        try {
            change = AlertConfigChange.request(settings);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        try {
            m.driver().setAlertConfig(change);
        } catch (CciCommandException | IOException e) {
            throw driverFailed(name, e, "");
        }
        LOG.info(name + ": Set Alert Configuration " + change);
        return MemdevViews.json(m, Set.of(MemdevJson.Include.ALERT_CONFIG));
    }

    /**
     * {@code {"volatile_size":BYTES}}: Set Partition Info of that volatile capacity without
     * Immediate (the kernel refuses Immediate from user space); BYTES a multiple of 256 MiB. The
     * answer is the memdev with {@code partition_info}, whose next sizes show the change.
     */
    @Override
    public String setPartition(String name, JsonNode request) throws ApiException, InterruptedException {
        Memdev m = memdev(name);
        requireOnly(request, Set.of("volatile_size"));
        if (!request.has("volatile_size")) {
            throw ApiException.badRequest("'volatile_size' (bytes) is required");
        }
        long bytes = Params.unsigned(request, "volatile_size", 0);
        if (bytes % IdentifyMemoryDevice.CAPACITY_UNIT != 0) {
            throw ApiException.badRequest("'volatile_size' must be a multiple of 256 MiB (268435456), not " + bytes);
        }
        try {
            m.driver().setPartition(bytes);
        } catch (CciCommandException | IOException e) {
            throw driverFailed(name, e, "");
        }
        LOG.info(name + ": Set Partition Info, volatile " + bytes + " bytes at the next cold reset");
        return MemdevViews.json(m, Set.of(MemdevJson.Include.PARTITION_INFO));
    }

    // ------------------------------------------------------------------ sanitize, security, poison

    /**
     * {@code {"secure_erase":false}} (the body may be left out): Sanitize, or Secure Erase, through
     * the host driver (memdev-commands.md §13.3). 202 while a Sanitize runs on, 200 once the command
     * is done; 409 {@code sanitize-active} while one sent through the host runs; 409
     * {@code passphrase-set} when Get Security State says a user passphrase is set; a device's
     * refusal (0006h for another background operation included) is 422.
     */
    @Override
    public ControlApi.JsonAnswer sanitize(String name, JsonNode request) throws ApiException, InterruptedException {
        Memdev m = memdev(name);
        requireOnly(request, Set.of("secure_erase"));
        JsonNode erase = request.path("secure_erase");
        if (!erase.isMissingNode() && !erase.isBoolean()) {
            throw ApiException.badRequest("'secure_erase' must be true or false");
        }
        boolean secureErase = erase.asBoolean(false);
        boolean running;
        try {
            running = m.driver().sanitize(secureErase);
        } catch (SanitizeRefusedException e) {
            throw ApiException.conflict(e.why() == SanitizeRefusedException.Why.SANITIZE_ACTIVE ? "sanitize-active"
                    : "passphrase-set", e.getMessage());
        } catch (CciCommandException | IOException e) {
            throw driverFailed(name, e, "");
        }
        LOG.info(name + (secureErase ? ": Secure Erase completed" : running ? ": Sanitize started"
                : ": Sanitize completed"));
        SecurityStatus s = m.driver().securityStatus();
        return new ControlApi.JsonAnswer(running ? 202 : 200, JsonC.document(JsonC.object().put("memdev", name)
                .put("security_state", running ? SecurityStatus.SANITIZE : s.state()).build()));
    }

    /**
     * {@code {"memdev","security_state","last_sanitize"}}: the host's security state and how the
     * last Sanitize it saw finish ended ({@code {"return_code","return_code_name"}}, or null before
     * one); sends no command. With {@code waitMs}, answers once the state is not {@code sanitize}
     * or after that long.
     */
    @Override
    public String security(String name, long waitMs) throws ApiException, InterruptedException {
        Memdev m = memdev(name);
        SecurityStatus s = waitMs > 0 ? m.driver().awaitSanitize(Duration.ofMillis(waitMs))
                : m.driver().securityStatus();
        JsonC.Value last = s.lastSanitize().<JsonC.Value>map(rc -> JsonC.object().put("return_code", rc.hex())
                .put("return_code_name", rc.specName()).build()).orElse(JsonC.nullValue());
        return JsonC.document(JsonC.object().put("memdev", name).put("security_state", s.state())
                .put("last_sanitize", last).build());
    }

    @Override
    public String injectPoison(String name, JsonNode request) throws ApiException, InterruptedException {
        Memdev m = memdev(name);
        requireOnly(request, Set.of("dpa"));
        if (!request.has("dpa")) {
            throw ApiException.badRequest("'dpa' (a number, or a string in decimal or 0x-prefixed hexadecimal) is "
                    + "required");
        }
        long dpa = lineAddress(Params.unsigned(request, "dpa", 0));
        try {
            m.driver().injectPoison(dpa);
        } catch (CciCommandException | IOException e) {
            throw driverFailed(name, e, "");
        }
        LOG.info(name + ": Inject Poison at 0x" + Long.toHexString(dpa));
        return poisonJson(name, dpa);
    }

    @Override
    public String clearPoison(String name, OptionalLong dpa) throws ApiException, InterruptedException {
        Memdev m = memdev(name);
        if (dpa.isEmpty()) {
            throw ApiException.badRequest("'dpa' (decimal or 0x-prefixed hexadecimal) is required");
        }
        long line = lineAddress(dpa.getAsLong());
        try {
            m.driver().clearPoison(line);
        } catch (CciCommandException | IOException e) {
            throw driverFailed(name, e, "");
        }
        LOG.info(name + ": Clear Poison at 0x" + Long.toHexString(line));
        return poisonJson(name, line);
    }

    /** A poison command's DPA: a 64-byte line's address (the kernel's debugfs files refuse others too). */
    private static long lineAddress(long dpa) throws ApiException {
        if (dpa % DpaRange.LINE != 0) {
            throw ApiException.badRequest("'dpa' must be 64-byte aligned, not 0x" + Long.toHexString(dpa));
        }
        return dpa;
    }

    /** {@code {"memdev","dpa"}}: what a poison command was sent for. */
    private static String poisonJson(String memdev, long dpa) {
        return JsonC.document(JsonC.object().put("memdev", memdev).put("dpa", dpa).build());
    }

    /**
     * {@code ?dpa=D&length=N}: N bytes of media data from D as the device model holds them, as
     * {@code application/octet-stream} (emulator inspection: not through the host driver, so it
     * also reads while media is disabled). D and N 64-byte aligned, N at most 1 MiB, the range
     * inside the device; anything else is a 400 naming it.
     */
    @Override
    public void readMedia(String name, OptionalLong dpa, OptionalLong length, Exchange ex)
            throws ApiException, IOException {
        Memdev m = memdev(name);
        if (dpa.isEmpty() || length.isEmpty()) {
            throw ApiException.badRequest("'dpa' and 'length' (decimal or 0x-prefixed hexadecimal) are required");
        }
        if (length.getAsLong() > CxlDevice.MAX_MEDIA_READ) {
            throw ApiException.badRequest("'length' is at most " + CxlDevice.MAX_MEDIA_READ + " (1 MiB), not "
                    + length.getAsLong());
        }
        byte[] bytes;
        try {
            bytes = m.device().readMedia(dpa.getAsLong(), (int) length.getAsLong());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage()); // "mem0: media read of ... is not ..."
        }
        ex.responseHeaders().set("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.responseBody()) {
            out.write(bytes);
        }
    }
}
