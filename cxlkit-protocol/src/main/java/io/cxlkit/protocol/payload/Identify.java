package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;

/**
 * Identify (0001h) output, 12h bytes (r3.1 §8.2.9.1.1).
 *
 * <pre>
 * 00h 2 PCIe Vendor ID
 * 02h 2 PCIe Device ID
 * 04h 2 PCIe Subsystem Vendor ID
 * 06h 2 PCIe Subsystem ID
 * 08h 8 Device Serial Number
 * 10h 1 Max Supported Message Size n (2^n bytes of request payload)
 * 11h 1 Component Type
 * </pre>
 *
 * @param serialNumber the 64-bit serial, unsigned on the wire
 */
public record Identify(int vendorId, int deviceId, int subsystemVendorId, int subsystemId, long serialNumber,
                       int maxMessageSizeExponent, int componentType) {

    public static final int SIZE = 0x12;
    public static final int COMPONENT_TYPE_SWITCH = 0x00;
    public static final int COMPONENT_TYPE_TYPE3 = 0x03;
    public static final int COMPONENT_TYPE_GFD = 0x04;

    public Identify {
        Wire.checkUnsigned("vendor ID", vendorId, 16);
        Wire.checkUnsigned("device ID", deviceId, 16);
        Wire.checkUnsigned("subsystem vendor ID", subsystemVendorId, 16);
        Wire.checkUnsigned("subsystem ID", subsystemId, 16);
        Wire.checkUnsigned("max message size exponent", maxMessageSizeExponent, 8);
        Wire.checkUnsigned("component type", componentType, 8);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static Identify decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Identify");
        Identify v = Wire.build("Identify", () -> new Identify(Wire.u16(b, 0x00), Wire.u16(b, 0x02),
                Wire.u16(b, 0x04), Wire.u16(b, 0x06), b.getLong(0x08), Wire.u8(b, 0x10), Wire.u8(b, 0x11)));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.putShort(0x00, (short) vendorId);
        b.putShort(0x02, (short) deviceId);
        b.putShort(0x04, (short) subsystemVendorId);
        b.putShort(0x06, (short) subsystemId);
        b.putLong(0x08, serialNumber);
        b.put(0x10, (byte) maxMessageSizeExponent);
        b.put(0x11, (byte) componentType);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
