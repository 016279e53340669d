package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Activate FW (0202h) input, 2 bytes: 00h Action, 01h Slot. Both are raw bytes so that a device
 * can decode, and answer, values the spec does not define.
 */
public record ActivateFwRequest(int action, int slot) {

    public static final int SIZE = 2;

    public ActivateFwRequest {
        Wire.checkUnsigned("action", action, 8);
        Wire.checkUnsigned("slot", slot, 8);
    }

    public static ActivateFwRequest of(ActivateFwAction action, int slot) {
        return new ActivateFwRequest(action.value(), slot);
    }

    public static ActivateFwRequest online(int slot) {
        return of(ActivateFwAction.ONLINE, slot);
    }

    public static ActivateFwRequest onNextReset(int slot) {
        return of(ActivateFwAction.ON_NEXT_RESET, slot);
    }

    /** The action, if the spec defines this byte value. */
    public Optional<ActivateFwAction> knownAction() {
        return ActivateFwAction.fromValue(action);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static ActivateFwRequest decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Activate FW input");
        ActivateFwRequest v = new ActivateFwRequest(Wire.u8(b, 0), Wire.u8(b, 1));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.put(0, (byte) action);
        b.put(1, (byte) slot);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
