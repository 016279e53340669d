package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Get FW Info (0200h) output, 50h bytes (r3.1 §8.2.9.3.1).
 *
 * <pre>
 * 00h 1  FW Slots Supported (2..4)
 * 01h 1  FW Slot Info: bits 2:0 active slot, bits 5:3 staged slot (0 = none), bits 7:6 reserved
 * 02h 1  FW Activation Capabilities: bit 0 online activation supported
 * 03h 13 reserved
 * 10h 16 slot 1 FW Revision (ASCII, NUL-padded; all zero when empty)
 * 20h 16 slot 2 FW Revision
 * 30h 16 slot 3 FW Revision
 * 40h 16 slot 4 FW Revision
 * </pre>
 *
 * @param slotRevisions always {@value #SLOT_COUNT} entries, slot 1 first; "" for an empty slot
 */
public record FwInfo(int slotsSupported, int activeSlot, int stagedSlot, boolean onlineActivationSupported,
                     List<String> slotRevisions) {

    public static final int SIZE = 0x50;
    /** The layout always carries four revision fields. */
    public static final int SLOT_COUNT = 4;
    public static final int REVISION_SIZE = 16;
    private static final int REVISIONS_OFFSET = 0x10;

    public FwInfo {
        Wire.checkUnsigned("slots supported", slotsSupported, 8);
        Wire.checkUnsigned("active slot", activeSlot, 3);
        Wire.checkUnsigned("staged slot", stagedSlot, 3);
        Objects.requireNonNull(slotRevisions, "slotRevisions");
        if (slotRevisions.size() != SLOT_COUNT) {
            throw new IllegalArgumentException("FW Info has " + SLOT_COUNT + " slot revisions, got "
                    + slotRevisions.size());
        }
        slotRevisions = List.copyOf(slotRevisions);
        for (String r : slotRevisions) {
            FixedAscii.requireEncodable(r, REVISION_SIZE);
        }
    }

    /** The revision in slot {@code slot} (1..4), "" when empty. */
    public String revision(int slot) {
        if (slot < 1 || slot > SLOT_COUNT) {
            throw new IllegalArgumentException("FW slots are numbered 1.." + SLOT_COUNT + ": " + slot);
        }
        return slotRevisions.get(slot - 1);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static FwInfo decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Get FW Info output");
        int slotInfo = Wire.u8(b, 0x01);
        List<String> revisions = new ArrayList<>(SLOT_COUNT);
        b.position(REVISIONS_OFFSET);
        for (int i = 0; i < SLOT_COUNT; i++) {
            revisions.add(FixedAscii.decode(b, REVISION_SIZE));
        }
        FwInfo v = Wire.build("Get FW Info output", () -> new FwInfo(Wire.u8(b, 0x00), slotInfo & 0x7,
                (slotInfo >>> 3) & 0x7, (Wire.u8(b, 0x02) & 1) != 0, revisions));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.put(0x00, (byte) slotsSupported);
        b.put(0x01, (byte) (activeSlot | (stagedSlot << 3)));
        b.put(0x02, (byte) (onlineActivationSupported ? 1 : 0));
        b.position(REVISIONS_OFFSET);
        for (String r : slotRevisions) {
            FixedAscii.encode(r, b, REVISION_SIZE);
        }
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
