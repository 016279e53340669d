package io.cxlkit.server;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.host.driver.MemdevDriver;
import io.cxlkit.host.json.MemdevJson;
import io.cxlkit.host.json.MemdevView;
import io.cxlkit.host.upload.UploadStatus;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.PartitionInfo;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the host's view of a memdev, as sysfs is for ndctl: the capacities the host driver learned
 * when it attached (memdev-commands.md §13.1), Get FW Info and Identify Memory Device sent by the host
 * driver over the mailbox (never read from device objects), plus the driver's upload state; and, when
 * asked for ({@code include=}), Get Health Info, Get Alert Configuration, Get Partition Info and the
 * poison list (Get Poison List), each left out when its command fails. ndctl's objects carry ndctl's keys only; the {@code cxlkit} object
 * adds the upload's stage and outcome and emulator facts (limits, policy, faults).
 */
final class MemdevViews {
    private MemdevViews() {
    }

    /** What every answer prints: the objects a view has (each is built only when asked for). */
    static final Set<MemdevJson.Include> EVERYTHING = EnumSet.allOf(MemdevJson.Include.class);

    static MemdevView build(Memdev m) throws InterruptedException {
        return build(m, Set.of());
    }

    /** The view with the optional objects of {@code include} (firmware and cxlkit are always built). */
    static MemdevView build(Memdev m, Set<MemdevJson.Include> include) throws InterruptedException {
        MemdevDriver driver = m.driver();
        // what the last successful attach learned: a view never attaches (only the daemon's start and
        // a cold reset do, §13.1); without one the capacities are 0, as for a failed command
        Optional<MemdevDriver.Attachment> attached = driver.attachment();
        MemdevView v = MemdevView.of(m.name(), attached.map(MemdevDriver.Attachment::pmemSize).orElse(0L),
                attached.map(MemdevDriver.Attachment::ramSize).orElse(0L), driver.serial(), driver.host());
        if (include.contains(MemdevJson.Include.HEALTH)) {
            v = driver.healthInfo().map(v::withHealth).orElse(v);
        }
        if (include.contains(MemdevJson.Include.ALERT_CONFIG)) {
            v = driver.alertConfig().map(v::withAlertConfig).orElse(v);
        }
        Optional<IdentifyMemoryDevice> identify = driver.identify();
        Optional<FwInfo> fw = driver.firmwareInfo();
        if (identify.isPresent()) {
            v = v.withFirmwareVersion(identify.get());
            if (include.contains(MemdevJson.Include.PARTITION_INFO)) {
                // as ndctl: Get Partition Info only when the device has an alignment
                Optional<PartitionInfo> partitions = identify.get().partitionAlignment() == 0 ? Optional.empty()
                        : driver.partitionInfo();
                v = v.withPartitionInfo(MemdevView.PartitionView.from(identify.get(), partitions));
            }
        }
        if (include.contains(MemdevJson.Include.MEDIA_ERRORS)) {
            // every Get Poison List output of the host's read (§13.4); none when one failed
            v = driver.poisonList().map(MemdevView.MediaError::from).map(v::withMediaErrors).orElse(v);
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

    /** The same with the optional objects of {@code include}. */
    static String json(Memdev m, Set<MemdevJson.Include> include) throws InterruptedException {
        return json(build(m, include));
    }

    static String json(MemdevView v) {
        return io.cxlkit.host.json.JsonC.document(object(v));
    }

    /** The same object on one line without whitespace: the data of a {@code device} event. */
    static String compactJson(Memdev m) throws InterruptedException {
        return io.cxlkit.host.json.JsonC.toPlainString(object(build(m)));
    }

    private static io.cxlkit.host.json.JsonC.Obj object(MemdevView v) {
        return MemdevJson.object(v, false, EVERYTHING);
    }

    static String jsonList(List<Memdev> memdevs, Set<MemdevJson.Include> include) throws InterruptedException {
        List<MemdevView> views = new ArrayList<>();
        for (Memdev m : memdevs) {
            views.add(build(m, include));
        }
        return MemdevJson.list(views, false, EVERYTHING);
    }
}
