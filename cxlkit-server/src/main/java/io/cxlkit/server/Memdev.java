package io.cxlkit.server;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.host.driver.MemdevDriver;

/**
 * One memdev of the platform: the emulated device and the host driver attached to its mailbox.
 * The control API reaches the device through the driver,
 * except for emulator-only actions (reset, faults, slot read-out).
 *
 * @param eid the device's MCTP endpoint ID on its listener
 */
public record Memdev(String name, CxlDevice device, MemdevDriver driver, int eid) {

    public io.cxlkit.host.upload.FirmwareUploader uploader() {
        return driver.uploader();
    }
}
