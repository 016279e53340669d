package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;

/**
 * Get Alert Configuration (4201h) output, 10h bytes (r3.1 §8.2.9.9.3.2, Table 8-134).
 *
 * <pre>
 * 00h 1 Valid Alerts: bit i = warning i ({@link AlertWarning}) is enabled; bits 7:5 reserved
 * 01h 1 Programmable Alerts: bit i = warning i can be set; bits 7:5 reserved
 * 02h 1 Life Used Critical Alert Threshold, percent
 * 03h 1 Life Used Programmable Warning Threshold, percent
 * 04h 2 Device Over-Temperature Critical Alert Threshold, degrees Celsius, two's complement
 * 06h 2 Device Under-Temperature Critical Alert Threshold, likewise
 * 08h 2 Device Over-Temperature Programmable Warning Threshold, likewise
 * 0Ah 2 Device Under-Temperature Programmable Warning Threshold, likewise
 * 0Ch 2 Corrected Volatile Memory Error Programmable Warning Threshold, a count
 * 0Eh 2 Corrected Persistent Memory Error Programmable Warning Threshold, a count
 * </pre>
 *
 * Reserved bits are ignored when decoding and written as zero. Temperatures are signed 16-bit
 * values (-32768..32767); the counts unsigned.
 */
public record AlertConfig(int validAlerts, int programmableAlerts, int lifeUsedCritical, int lifeUsedWarning,
                          int overTemperatureCritical, int underTemperatureCritical, int overTemperatureWarning,
                          int underTemperatureWarning, int correctedVolatileWarning,
                          int correctedPersistentWarning) {

    public static final int SIZE = 0x10;

    public AlertConfig {
        Wire.checkUnsigned("valid alerts", validAlerts, 5);
        Wire.checkUnsigned("programmable alerts", programmableAlerts, 5);
        Wire.checkUnsigned("life used critical alert threshold", lifeUsedCritical, 8);
        Wire.checkUnsigned("life used warning threshold", lifeUsedWarning, 8);
        Wire.checkSigned("over-temperature critical alert threshold", overTemperatureCritical, 16);
        Wire.checkSigned("under-temperature critical alert threshold", underTemperatureCritical, 16);
        Wire.checkSigned("over-temperature warning threshold", overTemperatureWarning, 16);
        Wire.checkSigned("under-temperature warning threshold", underTemperatureWarning, 16);
        Wire.checkUnsigned("corrected volatile error warning threshold", correctedVolatileWarning, 16);
        Wire.checkUnsigned("corrected persistent error warning threshold", correctedPersistentWarning, 16);
    }

    /** Whether {@code warning} is enabled (its Valid Alerts bit). */
    public boolean valid(AlertWarning warning) {
        return warning.in(validAlerts);
    }

    /** Whether {@code warning} can be set (its Programmable Alerts bit). */
    public boolean programmable(AlertWarning warning) {
        return warning.in(programmableAlerts);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static AlertConfig decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Get Alert Configuration output");
        AlertConfig v = new AlertConfig(Wire.u8(b, 0x00) & AlertWarning.ALL_BITS,
                Wire.u8(b, 0x01) & AlertWarning.ALL_BITS, Wire.u8(b, 0x02), Wire.u8(b, 0x03), b.getShort(0x04),
                b.getShort(0x06), b.getShort(0x08), b.getShort(0x0A), Wire.u16(b, 0x0C), Wire.u16(b, 0x0E));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.put(0x00, (byte) validAlerts);
        b.put(0x01, (byte) programmableAlerts);
        b.put(0x02, (byte) lifeUsedCritical);
        b.put(0x03, (byte) lifeUsedWarning);
        b.putShort(0x04, (short) overTemperatureCritical);
        b.putShort(0x06, (short) underTemperatureCritical);
        b.putShort(0x08, (short) overTemperatureWarning);
        b.putShort(0x0A, (short) underTemperatureWarning);
        b.putShort(0x0C, (short) correctedVolatileWarning);
        b.putShort(0x0E, (short) correctedPersistentWarning);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
