package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;

/**
 * Set Alert Configuration (4202h) input, 0Ch bytes (r3.1 §8.2.9.9.3.3, Table 8-135).
 *
 * <pre>
 * 00h 1 Valid Alert Actions: bit i = this request sets warning i ({@link AlertWarning}); bits 7:5 reserved
 * 01h 1 Enable Alert Actions: bit i = enable warning i (else disable it); bits 7:5 reserved
 * 02h 1 Life Used Programmable Warning Threshold, percent
 * 03h 1 reserved
 * 04h 2 Device Over-Temperature Programmable Warning Threshold, degrees Celsius, two's complement
 * 06h 2 Device Under-Temperature Programmable Warning Threshold, likewise
 * 08h 2 Corrected Volatile Memory Error Programmable Warning Threshold, a count
 * 0Ah 2 Corrected Persistent Memory Error Programmable Warning Threshold, a count
 * </pre>
 *
 * Reserved bits and bytes are ignored when decoding and written as zero. Thresholds are carried
 * whatever the valid and enable bits say; which of them count is the device's rule.
 */
public record SetAlertConfigRequest(int validAlertActions, int enableAlertActions, int lifeUsedWarning,
                                    int overTemperatureWarning, int underTemperatureWarning,
                                    int correctedVolatileWarning, int correctedPersistentWarning) {

    public static final int SIZE = 0x0C;

    public SetAlertConfigRequest {
        Wire.checkUnsigned("valid alert actions", validAlertActions, 5);
        Wire.checkUnsigned("enable alert actions", enableAlertActions, 5);
        Wire.checkUnsigned("life used warning threshold", lifeUsedWarning, 8);
        Wire.checkSigned("over-temperature warning threshold", overTemperatureWarning, 16);
        Wire.checkSigned("under-temperature warning threshold", underTemperatureWarning, 16);
        Wire.checkUnsigned("corrected volatile error warning threshold", correctedVolatileWarning, 16);
        Wire.checkUnsigned("corrected persistent error warning threshold", correctedPersistentWarning, 16);
    }

    /** Whether this request sets {@code warning} (its Valid Alert Actions bit). */
    public boolean sets(AlertWarning warning) {
        return warning.in(validAlertActions);
    }

    /** Whether this request enables {@code warning} (its Enable Alert Actions bit). */
    public boolean enables(AlertWarning warning) {
        return warning.in(enableAlertActions);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static SetAlertConfigRequest decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Set Alert Configuration input");
        SetAlertConfigRequest v = new SetAlertConfigRequest(Wire.u8(b, 0x00) & AlertWarning.ALL_BITS,
                Wire.u8(b, 0x01) & AlertWarning.ALL_BITS, Wire.u8(b, 0x02), b.getShort(0x04), b.getShort(0x06),
                Wire.u16(b, 0x08), Wire.u16(b, 0x0A));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.put(0x00, (byte) validAlertActions);
        b.put(0x01, (byte) enableAlertActions);
        b.put(0x02, (byte) lifeUsedWarning);
        b.putShort(0x04, (short) overTemperatureWarning);
        b.putShort(0x06, (short) underTemperatureWarning);
        b.putShort(0x08, (short) correctedVolatileWarning);
        b.putShort(0x0A, (short) correctedPersistentWarning);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
