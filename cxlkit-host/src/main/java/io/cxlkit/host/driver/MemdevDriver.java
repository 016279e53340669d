package io.cxlkit.host.driver;

import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.CciTransport;
import io.cxlkit.host.upload.FirmwareAction;
import io.cxlkit.host.upload.FirmwareBusyException;
import io.cxlkit.host.upload.FirmwareUploader;
import io.cxlkit.host.upload.UploadStatus;
import io.cxlkit.protocol.payload.ActivateFwAction;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
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

    public MemdevDriver(String name, String host, long serial, CciTransport mailbox, Clock wallClock,
                        Consumer<UploadStatus> uploadListener) {
        this.name = name;
        this.host = host;
        this.serial = serial;
        this.client = new CciClient(mailbox);
        this.uploader = new FirmwareUploader(client, wallClock, uploadListener);
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
     *
     * @throws FirmwareBusyException if an upload or a reset runs on this memdev
     */
    public void activate(int slot, boolean online)
            throws IOException, InterruptedException, CciCommandException, FirmwareBusyException {
        try (FirmwareUploader.Claim claim = uploader.claim(FirmwareAction.ACTIVATION)) {
            client.activateFw(ActivateFwRequest.of(online ? ActivateFwAction.ONLINE : ActivateFwAction.ON_NEXT_RESET,
                    slot));
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
