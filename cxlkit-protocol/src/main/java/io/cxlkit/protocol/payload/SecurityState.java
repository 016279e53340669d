package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;

/**
 * Get Security State (4500h) output, 4 bytes (r3.1 §8.2.9.9.6.1): 00h (4) Security
 * State, bit 0 User Passphrase Set, bit 1 Master Passphrase Set, bit 2 Locked, bit 3 Frozen, bit 4
 * User Passphrase Attempt Count Reached, bit 5 Master Passphrase Attempt Count Reached; bits 31:6
 * reserved (ignored when decoding, written as zero). Sanitize (4400h) and Secure Erase (4401h)
 * have no payload.
 */
public record SecurityState(boolean userPassphraseSet, boolean masterPassphraseSet, boolean locked, boolean frozen,
                            boolean userAttemptCountReached, boolean masterAttemptCountReached) {

    public static final int SIZE = 4;
    /** No passphrase, unlocked, not frozen: 00000000h. */
    public static final SecurityState NONE = new SecurityState(false, false, false, false, false, false);

    /** The state from its bits (31:6 ignored). */
    public static SecurityState fromBits(long bits) {
        return new SecurityState((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0,
                (bits & 0x10) != 0, (bits & 0x20) != 0);
    }

    /** The 32-bit field. */
    public int bits() {
        return (userPassphraseSet ? 1 : 0) | (masterPassphraseSet ? 2 : 0) | (locked ? 4 : 0) | (frozen ? 8 : 0)
                | (userAttemptCountReached ? 0x10 : 0) | (masterAttemptCountReached ? 0x20 : 0);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static SecurityState decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Get Security State output");
        SecurityState v = fromBits(Wire.u32(b, 0x00));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.putInt(0x00, bits());
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
