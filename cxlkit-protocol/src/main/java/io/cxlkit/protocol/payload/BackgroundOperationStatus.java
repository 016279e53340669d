package io.cxlkit.protocol.payload;

import io.cxlkit.protocol.Opcode;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Background Operation Status (0002h) output, 8 bytes (r3.1 §8.2.9.1.2).
 *
 * <pre>
 * 00h 1 bit 0 background operation in progress, bits 7:1 percentage complete (0..100)
 * 01h 1 reserved
 * 02h 2 command opcode of the running or last background operation
 * 04h 2 return code (valid once the operation stopped)
 * 06h 2 vendor specific extended status
 * </pre>
 */
public record BackgroundOperationStatus(boolean inProgress, int percentComplete, Opcode opcode, int returnCode,
                                        int vendorStatus) {

    public static final int SIZE = 8;

    public BackgroundOperationStatus {
        if (percentComplete < 0 || percentComplete > 100) {
            throw new IllegalArgumentException("percentage complete is 0..100: " + percentComplete);
        }
        Objects.requireNonNull(opcode, "opcode");
        Wire.checkUnsigned("return code", returnCode, 16);
        Wire.checkUnsigned("vendor status", vendorStatus, 16);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. A percentage above 100 is malformed. */
    public static BackgroundOperationStatus decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Background Operation Status");
        int status = Wire.u8(b, 0);
        BackgroundOperationStatus v = Wire.build("Background Operation Status",
                () -> new BackgroundOperationStatus((status & 1) != 0, status >>> 1, Opcode.of(Wire.u16(b, 2)),
                        Wire.u16(b, 4), Wire.u16(b, 6)));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.put(0, (byte) ((percentComplete << 1) | (inProgress ? 1 : 0)));
        b.putShort(2, (short) opcode.value());
        b.putShort(4, (short) returnCode);
        b.putShort(6, (short) vendorStatus);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
