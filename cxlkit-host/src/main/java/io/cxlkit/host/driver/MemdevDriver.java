package io.cxlkit.host.driver;

import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.CciTimeoutException;
import io.cxlkit.host.cci.CciTransport;
import io.cxlkit.host.upload.FirmwareAction;
import io.cxlkit.host.upload.FirmwareBusyException;
import io.cxlkit.host.upload.FirmwareUploader;
import io.cxlkit.host.upload.UploadStatus;
import io.cxlkit.host.verification.VerificationLogReader;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.ActivateFwAction;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.VerificationLog;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The host's driver for one memory device, as the kernel's cxl_pci/cxl_mem pair sits on a PCI
 * function: what enumeration tells it (name, PCI address, serial from the DSN capability) plus a
 * CCI client over the device's mailbox, the firmware uploader, and the commands behind sysfs.
 * Mailbox commands from the views, activation and the uploader share one transport, which runs
 * one command at a time.
 */
public final class MemdevDriver implements AutoCloseable {

    private final String name;
    private final String host;
    private final long serial;
    private final CciClient client;
    private final FirmwareUploader uploader;
    private final VerificationLogReader verificationLog;

    public MemdevDriver(String name, String host, long serial, CciTransport mailbox, Clock wallClock,
                        Consumer<UploadStatus> uploadListener) {
        this.name = name;
        this.host = host;
        this.serial = serial;
        this.client = new CciClient(mailbox);
        this.uploader = new FirmwareUploader(client, wallClock, uploadListener);
        this.verificationLog = new VerificationLogReader(client);
    }

    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    public long serial() {
        return serial;
    }

    public CciClient client() {
        return client;
    }

    public FirmwareUploader uploader() {
        return uploader;
    }

    /** The device's Verification Log, read over this driver's mailbox. */
    public VerificationLogReader verificationLog() {
        return verificationLog;
    }

    /** Get FW Info, or empty if the device refuses or does not answer (the view then omits it). */
    public Optional<FwInfo> firmwareInfo() throws InterruptedException {
        try {
            return Optional.of(client.getFwInfo());
        } catch (IOException | CciCommandException e) {
            return Optional.empty();
        }
    }

    /** Identify Memory Device, or empty if the device refuses or does not answer. */
    public Optional<IdentifyMemoryDevice> identify() throws InterruptedException {
        try {
            return Optional.of(client.identifyMemoryDevice());
        } catch (IOException | CciCommandException e) {
            return Optional.empty();
        }
    }

    /**
     * Activate FW for {@code slot}: online (waiting for a background activation) or on the next
     * reset. Never in the middle of an upload: the firmware is claimed for the activation first.
     * An online activation that fails (000Ch, 000Dh) carries the device's reason when its
     * Verification Log has a new record for it.
     *
     * @throws FirmwareBusyException if an upload or a reset runs on this memdev
     * @throws CciTimeoutException   if the device does not answer; also when it does not answer the
     *                               Get Log before Activate FW, which then is not sent: its doorbell
     *                               is stuck, and Activate FW would have timed out there
     */
    public void activate(int slot, boolean online)
            throws IOException, InterruptedException, CciCommandException, FirmwareBusyException {
        try (FirmwareUploader.Claim claim = uploader.claim(FirmwareAction.ACTIVATION)) {
            if (!online) {
                client.activateFw(ActivateFwRequest.of(ActivateFwAction.ON_NEXT_RESET, slot));
                return;
            }
            OptionalLong mark = verificationLog.mark();
            try {
                client.activateFw(ActivateFwRequest.of(ActivateFwAction.ONLINE, slot));
            } catch (CciCommandException e) {
                if (e.returnCode() == ReturnCode.ACTIVATION_FAILED_ROLLED_BACK
                        || e.returnCode() == ReturnCode.ACTIVATION_FAILED_COLD_RESET_REQUIRED) {
                    throw e.withReason(verificationLog.newestSince(mark, VerificationLog.Operation.ONLINE_ACTIVATION,
                            slot).map(VerificationLog.Record::reason));
                }
                throw e;
            }
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
