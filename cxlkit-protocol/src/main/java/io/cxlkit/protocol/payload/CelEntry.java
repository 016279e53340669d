package io.cxlkit.protocol.payload;

import io.cxlkit.protocol.CelEffects;
import io.cxlkit.protocol.Opcode;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One Command Effects Log entry, 4 bytes: 00h opcode (2), 02h command effects (2). Reserved
 * effect bits (15:12) are written as zero and ignored when decoding.
 */
public record CelEntry(Opcode opcode, CelEffects effects) {

    public static final int SIZE = 4;

    public CelEntry {
        Objects.requireNonNull(opcode, "opcode");
        Objects.requireNonNull(effects, "effects");
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static CelEntry decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "CEL entry");
        CelEntry v = new CelEntry(Opcode.of(Wire.u16(b, 0)), CelEffects.fromBits(Wire.u16(b, 2)));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.putShort(0, (short) opcode.value());
        b.putShort(2, (short) effects.bits());
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
