package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;

/**
 * Get Log Capabilities (0402h) output, 4 bytes (r3.1 §8.2.9.5.3, Table 8-90): 00h Parameter Flags.
 *
 * <pre>
 * bit 0 Clear Log Supported
 * bit 1 Populate Log Supported
 * bit 2 Auto Populate Supported
 * bit 3 Persistent across Cold Reset
 * bits 31:4 reserved
 * </pre>
 */
public record LogCapabilities(boolean clearLogSupported, boolean populateLogSupported,
                              boolean autoPopulateSupported, boolean persistentAcrossColdReset) {

    public static final int SIZE = 4;

    public static final int CLEAR_LOG_SUPPORTED = 1 << 0;
    public static final int POPULATE_LOG_SUPPORTED = 1 << 1;
    public static final int AUTO_POPULATE_SUPPORTED = 1 << 2;
    public static final int PERSISTENT_ACROSS_COLD_RESET = 1 << 3;

    /** The Parameter Flags; reserved bits are ignored. */
    public static LogCapabilities fromFlags(long flags) {
        return new LogCapabilities((flags & CLEAR_LOG_SUPPORTED) != 0, (flags & POPULATE_LOG_SUPPORTED) != 0,
                (flags & AUTO_POPULATE_SUPPORTED) != 0, (flags & PERSISTENT_ACROSS_COLD_RESET) != 0);
    }

    /** The Parameter Flags. */
    public int flags() {
        return (clearLogSupported ? CLEAR_LOG_SUPPORTED : 0) | (populateLogSupported ? POPULATE_LOG_SUPPORTED : 0)
                | (autoPopulateSupported ? AUTO_POPULATE_SUPPORTED : 0)
                | (persistentAcrossColdReset ? PERSISTENT_ACROSS_COLD_RESET : 0);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static LogCapabilities decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Get Log Capabilities output");
        LogCapabilities v = fromFlags(Wire.u32(b, 0));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.putInt(0, flags());
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
