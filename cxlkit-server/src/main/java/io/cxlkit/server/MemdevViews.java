package io.cxlkit.server;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.host.json.MemdevJson;
import io.cxlkit.host.json.MemdevView;
import io.cxlkit.host.upload.UploadStatus;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the host's view of a memdev, as sysfs is for ndctl: from Get FW Info and Identify Memory
 * Device sent by the host driver over the mailbox (never read from device objects), plus the
 * driver's upload state. ndctl's objects carry ndctl's keys only; the {@code cxlkit} object adds the
 * upload's stage and outcome and emulator facts (limits, policy, faults).
 */
final class MemdevViews {
    private MemdevViews() {
    }

    static MemdevView build(Memdev m) throws InterruptedException {
        Optional<IdentifyMemoryDevice> identify = m.driver().identify();
        Optional<FwInfo> fw = m.driver().firmwareInfo();
        long unit = IdentifyMemoryDevice.CAPACITY_UNIT;
        MemdevView v = MemdevView.of(m.name(), identify.map(i -> i.persistentOnlyCapacity() * unit).orElse(0L),
                identify.map(i -> i.volatileOnlyCapacity() * unit).orElse(0L), m.driver().serial(), m.driver().host());
        if (identify.isPresent()) {
            v = v.withFirmwareVersion(identify.get());
        }
        UploadStatus upload = m.uploader().status();
        if (fw.isPresent()) {
            // ndctl's object gets what the kernel's firmware loader shows; the stage and the last
            // error go into cxlkit.upload alone
            MemdevView.FirmwareView f = MemdevView.FirmwareView.from(fw.get());
            v = v.withFirmware(upload.inProgress() ? f.inProgress(upload.remainingSize()) : f);
        }
        DeviceConfig c = m.device().config();
        return v.withCxlkit(new MemdevView.CxlkitView(c.maxPackageSize(), c.verifyPolicy().label(),
                m.device().securityFloor(), m.device().faults(), uploadView(upload)));
    }

    static MemdevView.UploadView uploadView(UploadStatus s) {
        return new MemdevView.UploadView(s.stage().label(), s.error(), s.failureReason(),
                s.failedOpcode().map(Opcode::toString),
                s.failedReturnCode().map(ReturnCode::hex), s.failedReturnCode().map(ReturnCode::specName),
                s.bytesSent(), s.partsSent(), s.started(), s.finished());
    }

    /** One memdev as the API returns it: ndctl's keys with the firmware and cxlkit objects. */
    static String json(Memdev m) throws InterruptedException {
        return json(build(m));
    }

    static String json(MemdevView v) {
        return io.cxlkit.host.json.JsonC.document(object(v));
    }

    /** The same object on one line without whitespace: the data of a {@code device} event. */
    static String compactJson(Memdev m) throws InterruptedException {
        return io.cxlkit.host.json.JsonC.toPlainString(object(build(m)));
    }

    private static io.cxlkit.host.json.JsonC.Obj object(MemdevView v) {
        return MemdevJson.object(v, false, true, true);
    }

    static String jsonList(List<Memdev> memdevs) throws InterruptedException {
        List<MemdevView> views = new ArrayList<>();
        for (Memdev m : memdevs) {
            views.add(build(m));
        }
        return MemdevJson.list(views, false, true, true);
    }
}
