package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * General Media Event Record data (r3.1 §8.2.9.2.1.1, Table 8-43): the {@link EventRecord#DATA_SIZE}
 * bytes at record offset 30h of a record whose identifier is {@link #IDENTIFIER}. Offsets below are
 * the record's.
 *
 * <pre>
 * 30h 8   Physical Address: bits 63:6 DPA, bit 0 Volatile; bits 5:1 reserved
 * 38h 1   Memory Event Descriptor: bit 0 uncorrectable, bit 1 threshold, bit 2 poison list
 *         overflow; bits 7:3 reserved
 * 39h 1   Memory Event Type (00h Media ECC Error, 01h Invalid Address, 02h Data Path Error)
 * 3Ah 1   Transaction Type (00h Unknown .. 06h Internal Media Management)
 * 3Bh 45h Validity Flags, Channel, Rank, Device, Component Identifier, reserved
 * </pre>
 *
 * cxlkit reports none of the fields from 3Bh on: it writes those 45h bytes as zero (Validity Flags
 * 0: nothing else valid), and decoding ignores them, as it ignores reserved bits.
 * {@code memoryEventType} and {@code transactionType} are raw bytes.
 *
 * @param dpa            the device physical address, 64-byte aligned (bits 5:0 zero)
 * @param volatileMemory Physical Address bit 0: the DPA lies in volatile capacity
 * @param descriptor     Memory Event Descriptor bits 2:0 ({@link #UNCORRECTABLE} ...)
 */
public record GeneralMediaEvent(long dpa, boolean volatileMemory, int descriptor, int memoryEventType,
                                int transactionType) implements EventRecordData {

    /** General Media Event Record identifier. */
    public static final UUID IDENTIFIER = UUID.fromString("fbcd0a77-c260-417f-85a9-088b1621eba6");

    /** Descriptor bit 0: an uncorrectable event. */
    public static final int UNCORRECTABLE = 0x01;
    /** Descriptor bit 1: a threshold event. */
    public static final int THRESHOLD = 0x02;
    /** Descriptor bit 2: the poison list overflowed. */
    public static final int POISON_LIST_OVERFLOW = 0x04;
    static final int DESCRIPTOR_BITS = 0x07;

    public static final int MEDIA_ECC_ERROR = 0x00;
    public static final int INVALID_ADDRESS = 0x01;
    public static final int DATA_PATH_ERROR = 0x02;

    public static final int TRANSACTION_UNKNOWN = 0x00;
    public static final int TRANSACTION_HOST_READ = 0x01;
    public static final int TRANSACTION_HOST_WRITE = 0x02;
    public static final int TRANSACTION_HOST_SCAN_MEDIA = 0x03;
    public static final int TRANSACTION_HOST_INJECT_POISON = 0x04;
    public static final int TRANSACTION_INTERNAL_MEDIA_SCRUB = 0x05;
    public static final int TRANSACTION_INTERNAL_MEDIA_MANAGEMENT = 0x06;

    private static final long DPA_MASK = ~0x3FL;

    public GeneralMediaEvent {
        if ((dpa & ~DPA_MASK) != 0) {
            throw new IllegalArgumentException(String.format("a DPA is 64-byte aligned: %xh", dpa));
        }
        Wire.checkUnsigned("memory event descriptor", descriptor, 3);
        Wire.checkUnsigned("memory event type", memoryEventType, 8);
        Wire.checkUnsigned("transaction type", transactionType, 8);
    }

    @Override
    public UUID identifier() {
        return IDENTIFIER;
    }

    /** Reads {@link EventRecord#DATA_SIZE} bytes at {@code in}'s position, advancing it. */
    public static GeneralMediaEvent decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, EventRecord.DATA_SIZE, "General Media event record data");
        long address = b.getLong(0x00);
        GeneralMediaEvent v = new GeneralMediaEvent(address & DPA_MASK, (address & 1) != 0,
                Wire.u8(b, 0x08) & DESCRIPTOR_BITS, Wire.u8(b, 0x09), Wire.u8(b, 0x0A));
        Wire.skip(in, EventRecord.DATA_SIZE);
        return v;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, EventRecord.DATA_SIZE);
        b.putLong(0x00, dpa | (volatileMemory ? 1 : 0));
        b.put(0x08, (byte) descriptor);
        b.put(0x09, (byte) memoryEventType);
        b.put(0x0A, (byte) transactionType);
        Wire.skip(out, EventRecord.DATA_SIZE);
    }
}
