package io.cxlkit.device.fw;

/** A device's persisted state cannot be used as configured (e.g. a conflicting slot count). */
public final class DeviceStateException extends Exception {
    public DeviceStateException(String message) {
        super(message);
    }
}
