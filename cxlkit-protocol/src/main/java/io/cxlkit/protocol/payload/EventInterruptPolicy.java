package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * Get Event Interrupt Policy (0102h) output and Set Event Interrupt Policy (0103h) input
 * (r3.1 §8.2.9.2.4–5, Tables 8-55, 8-56): one settings byte per log.
 *
 * <pre>
 * 00h 1 Informational Event Log Interrupt Settings
 * 01h 1 Warning Event Log Interrupt Settings
 * 02h 1 Failure Event Log Interrupt Settings
 * 03h 1 Fatal Event Log Interrupt Settings
 * 04h 1 Dynamic Capacity Event Log Interrupt Settings (Set: optional)
 *
 * each: bits 1:0 Interrupt Mode (00b none, 01b MSI/MSI-X, 10b FW interrupt); bits 3:2 reserved;
 *       bits 7:4 Interrupt Message Number
 * </pre>
 *
 * The Set input is 4 or 5 bytes, the Get output 5. cxlkit has no Dynamic Capacity log: byte 04h
 * is ignored when decoding and written as 00h. {@link #decode} takes every remaining byte as the
 * payload, so that a 4-byte input is told from a 5-byte one, and rejects other lengths.
 */
public record EventInterruptPolicy(Setting informational, Setting warning, Setting failure, Setting fatal) {

    /** The Get output's length, and what {@link #encode()} writes. */
    public static final int SIZE = 5;
    /** The shortest Set input: without the Dynamic Capacity byte. */
    public static final int MIN_SIZE = 4;

    /** Every log without interrupts: the state after a cold reset. */
    public static final EventInterruptPolicy NONE = new EventInterruptPolicy(Setting.NONE, Setting.NONE,
            Setting.NONE, Setting.NONE);

    public EventInterruptPolicy {
        Objects.requireNonNull(informational, "informational");
        Objects.requireNonNull(warning, "warning");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(fatal, "fatal");
    }

    /** The setting of {@code log}. */
    public Setting setting(EventLog log) {
        return switch (log) {
            case INFORMATIONAL -> informational;
            case WARNING -> warning;
            case FAILURE -> failure;
            case FATAL -> fatal;
        };
    }

    /**
     * Decodes every byte from {@code in}'s position to its limit, advancing it to the limit; a
     * length other than 4 or 5 is malformed (and the position is left alone).
     */
    public static EventInterruptPolicy decode(ByteBuffer in) {
        Wire.checkLength("Event Interrupt Policy", in.remaining(), MIN_SIZE, SIZE);
        ByteBuffer b = Wire.view(in, MIN_SIZE, "Event Interrupt Policy");
        EventInterruptPolicy v = new EventInterruptPolicy(Setting.fromBits(Wire.u8(b, 0)),
                Setting.fromBits(Wire.u8(b, 1)), Setting.fromBits(Wire.u8(b, 2)), Setting.fromBits(Wire.u8(b, 3)));
        in.position(in.limit());
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.put(0, (byte) informational.bits());
        b.put(1, (byte) warning.bits());
        b.put(2, (byte) failure.bits());
        b.put(3, (byte) fatal.bits());
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }

    /** Interrupt Mode values. */
    public enum Mode {
        NONE(0b00),
        MSI(0b01),
        FW_INTERRUPT(0b10);

        private final int value;

        Mode(int value) {
            this.value = value;
        }

        public int value() {
            return value;
        }

        /** The mode with this value, or empty for 11b (reserved). */
        public static Optional<Mode> fromValue(int value) {
            for (Mode m : values()) {
                if (m.value == value) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * One log's settings byte. {@code mode} is raw (0..3) so that a device can decode, and refuse,
     * the reserved 11b.
     */
    public record Setting(int mode, int messageNumber) {

        public static final Setting NONE = new Setting(0, 0);

        public Setting {
            Wire.checkUnsigned("interrupt mode", mode, 2);
            Wire.checkUnsigned("interrupt message number", messageNumber, 4);
        }

        public static Setting of(Mode mode, int messageNumber) {
            return new Setting(mode.value(), messageNumber);
        }

        public Optional<Mode> knownMode() {
            return Mode.fromValue(mode);
        }

        /** The settings byte; bits 3:2 (reserved) are ignored. */
        public static Setting fromBits(int bits) {
            return new Setting(bits & 0x3, (bits >>> 4) & 0xF);
        }

        public int bits() {
            return mode | messageNumber << 4;
        }
    }
}
