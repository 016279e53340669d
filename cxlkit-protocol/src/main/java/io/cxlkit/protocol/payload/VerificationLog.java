package io.cxlkit.protocol.payload;

import io.cxlkit.protocol.fwpkg.KeyIds;
import io.cxlkit.protocol.fwpkg.VerificationCheck;
import io.cxlkit.protocol.fwpkg.VerificationFailure;
import io.cxlkit.protocol.fwpkg.VerificationFailure.Digests;
import io.cxlkit.protocol.fwpkg.VerificationFailure.SecurityVersions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * cxlkit's vendor-defined Verification Log ({@link LogIds#VERIFICATION_LOG_UUID},
 * docs/verification-log.md), as Get Log (0401h) reads it: a header, then the records the device
 * holds, oldest first. Little-endian.
 *
 * <pre>
 * header, 10h bytes
 * 00h 2  layout version = 1
 * 02h 2  record size = C0h
 * 04h 2  records held (0..capacity)
 * 06h 2  capacity: the most records the device keeps
 * 08h 4  sequence number of the newest record; 0 when there has been none since power-on
 * 0Ch 4  reserved
 *
 * record, C0h bytes
 * 00h 4  sequence number: 1 for the first record after power-on, one more for each next
 * 04h 1  operation that verified: 01h Transfer FW End/Full, 02h online Activate FW, 03h cold reset
 * 05h 1  slot whose package failed
 * 06h 2  check code ({@link VerificationCheck#code()})
 * 08h 8  time: the device clock, nanoseconds since 1970-01-01 UTC
 * 10h 4  the package's security version   } valid with detail bit 2
 * 14h 4  the device's security floor      }
 * 18h 8  key id: the 8 bytes whose hex is the key id (valid with detail bit 1)
 * 20h 32 expected SHA-256 (valid with detail bit 0)
 * 40h 32 found SHA-256 (valid with detail bit 0)
 * 60h 1  detail bits: 0 digests, 1 key id, 2 security version and floor; 7:3 reserved
 * 61h 15 reserved
 * 70h 80 reason: the one-line reason, ASCII, NUL-padded
 * </pre>
 *
 * Fields a record does not use, and reserved bytes, are written as zero; reserved bytes and bits
 * are ignored when decoding.
 */
public record VerificationLog(int capacity, long newestSequence, List<Record> records) {

    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 0x10;
    public static final int RECORD_SIZE = 0xC0;
    public static final int REASON_SIZE = 0x50;

    static final int OFF_SEQUENCE = 0x00;
    static final int OFF_OPERATION = 0x04;
    static final int OFF_SLOT = 0x05;
    static final int OFF_CHECK = 0x06;
    static final int OFF_TIMESTAMP = 0x08;
    static final int OFF_SECURITY_VERSION = 0x10;
    static final int OFF_SECURITY_FLOOR = 0x14;
    static final int OFF_KEY_ID = 0x18;
    static final int OFF_EXPECTED_SHA256 = 0x20;
    static final int OFF_FOUND_SHA256 = 0x40;
    static final int OFF_DETAILS = 0x60;
    static final int OFF_REASON = 0x70;

    static final int DETAIL_DIGESTS = 0x01;
    static final int DETAIL_KEY_ID = 0x02;
    static final int DETAIL_SECURITY_VERSIONS = 0x04;

    public VerificationLog {
        Wire.checkUnsigned("capacity", capacity, 16);
        Wire.checkUnsigned("newest sequence number", newestSequence, 32);
        records = List.copyOf(records);
        if (records.size() > capacity) {
            throw new IllegalArgumentException(records.size() + " records in a log of " + capacity);
        }
    }

    /** The header this log starts with. */
    public Header header() {
        return new Header(records.size(), capacity, newestSequence);
    }

    /** The log's size in bytes, as Get Supported Logs reports it. */
    public int size() {
        return header().logSize();
    }

    /**
     * Decodes a whole log at {@code in}'s position, advancing it past the records its header
     * announces (the position is left alone on failure).
     */
    public static VerificationLog decode(ByteBuffer in) {
        Header h = Header.decode(in.duplicate());
        // all the announced bytes must be there before anything is allocated for them
        ByteBuffer b = Wire.view(in, h.logSize(), "Verification Log with " + h.recordsHeld() + " records");
        b.position(HEADER_SIZE);
        List<Record> records = new ArrayList<>(h.recordsHeld());
        for (int i = 0; i < h.recordsHeld(); i++) {
            records.add(Record.decode(b));
        }
        VerificationLog log = Wire.build("Verification Log",
                () -> new VerificationLog(h.capacity(), h.newestSequence(), records));
        Wire.skip(in, h.logSize());
        return log;
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(size());
        header().encodeTo(out);
        for (Record r : records) {
            r.encodeTo(out);
        }
        return out.array();
    }

    /** The operation that verified the package, a record's byte 04h. */
    public enum Operation {
        /** Transfer FW End or Full (000Ah). */
        TRANSFER(0x01, "transfer"),
        /** Activate FW online (000Ch). */
        ONLINE_ACTIVATION(0x02, "online-activation"),
        /** The cold reset (or power-on) that activates a staged slot: the slot stays, not active. */
        COLD_RESET(0x03, "cold-reset");

        private final int code;
        private final String label;

        Operation(int code, String label) {
            this.code = code;
            this.label = label;
        }

        public int code() {
            return code;
        }

        /** The JSON label, e.g. {@code online-activation}. */
        public String label() {
            return label;
        }

        public static Optional<Operation> fromCode(int code) {
            for (Operation o : values()) {
                if (o.code == code) {
                    return Optional.of(o);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The log's header alone: what a reader needs to know how much to read, and which records are
     * new to it.
     */
    public record Header(int recordsHeld, int capacity, long newestSequence) {

        public Header {
            Wire.checkUnsigned("records held", recordsHeld, 16);
            Wire.checkUnsigned("capacity", capacity, 16);
            Wire.checkUnsigned("newest sequence number", newestSequence, 32);
        }

        /** Header and records, bytes. */
        public int logSize() {
            return HEADER_SIZE + recordsHeld * RECORD_SIZE;
        }

        /**
         * Reads {@link #HEADER_SIZE} bytes at {@code in}'s position, advancing it; a layout version
         * or record size other than this codec's is malformed.
         */
        public static Header decode(ByteBuffer in) {
            ByteBuffer b = Wire.view(in, HEADER_SIZE, "Verification Log header");
            int version = Wire.u16(b, 0x00);
            int recordSize = Wire.u16(b, 0x02);
            if (version != VERSION || recordSize != RECORD_SIZE) {
                throw new MalformedPayloadException("Verification Log layout version " + version + " with "
                        + recordSize + "-byte records; this reader knows version " + VERSION + " with "
                        + RECORD_SIZE + "-byte records");
            }
            Header h = new Header(Wire.u16(b, 0x04), Wire.u16(b, 0x06), Wire.u32(b, 0x08));
            Wire.skip(in, HEADER_SIZE);
            return h;
        }

        public void encodeTo(ByteBuffer out) {
            ByteBuffer b = Wire.target(out, HEADER_SIZE);
            b.putShort(0x00, (short) VERSION);
            b.putShort(0x02, (short) RECORD_SIZE);
            b.putShort(0x04, (short) recordsHeld);
            b.putShort(0x06, (short) capacity);
            b.putInt(0x08, (int) newestSequence);
            Wire.skip(out, HEADER_SIZE);
        }
    }

    /**
     * One failed verification. {@code operation} and {@code check} are the raw wire values (a
     * newer device may write ones this reader does not know: {@link #knownOperation()},
     * {@link #knownCheck()}).
     *
     * @param timestampNanos the device clock at the failure, nanoseconds since 1970-01-01 UTC
     *                       (unsigned 64-bit)
     * @param reason         the one-line reason, at most {@link #REASON_SIZE} ASCII characters
     */
    public record Record(long sequence, int operation, int slot, int check, long timestampNanos,
                         Optional<Digests> digests, Optional<String> keyId,
                         Optional<SecurityVersions> securityVersions, String reason) {

        public Record {
            Wire.checkUnsigned("sequence number", sequence, 32);
            Wire.checkUnsigned("operation", operation, 8);
            Wire.checkUnsigned("slot", slot, 8);
            Wire.checkUnsigned("check", check, 16);
            Objects.requireNonNull(digests, "digests");
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(securityVersions, "securityVersions");
            keyId.ifPresent(KeyIds::requireKeyId);
            FixedAscii.requireEncodable(reason, REASON_SIZE);
        }

        /**
         * The record of {@code failure}: its check, its details and its message as the reason (cut
         * to {@link #REASON_SIZE} characters should one ever be longer).
         */
        public static Record of(long sequence, Operation operation, int slot, long timestampNanos,
                                VerificationFailure failure) {
            String message = failure.message();
            return new Record(sequence, operation.code(), slot, failure.check().code(), timestampNanos,
                    failure.digests(), failure.keyId(), failure.securityVersions(),
                    message.length() > REASON_SIZE ? message.substring(0, REASON_SIZE) : message);
        }

        public Optional<Operation> knownOperation() {
            return Operation.fromCode(operation);
        }

        public Optional<VerificationCheck> knownCheck() {
            return VerificationCheck.fromCode(check);
        }

        /** Reads {@link #RECORD_SIZE} bytes at {@code in}'s position, advancing it. */
        public static Record decode(ByteBuffer in) {
            ByteBuffer b = Wire.view(in, RECORD_SIZE, "Verification Log record");
            int details = Wire.u8(b, OFF_DETAILS);
            Optional<Digests> digests = Optional.empty();
            if ((details & DETAIL_DIGESTS) != 0) {
                byte[] expected = new byte[Digests.SIZE];
                byte[] found = new byte[Digests.SIZE];
                b.get(OFF_EXPECTED_SHA256, expected);
                b.get(OFF_FOUND_SHA256, found);
                digests = Optional.of(new Digests(expected, found));
            }
            Optional<String> keyId = Optional.empty();
            if ((details & DETAIL_KEY_ID) != 0) {
                byte[] id = new byte[KeyIds.LENGTH / 2];
                b.get(OFF_KEY_ID, id);
                keyId = Optional.of(HexFormat.of().formatHex(id));
            }
            Optional<SecurityVersions> versions = (details & DETAIL_SECURITY_VERSIONS) == 0 ? Optional.empty()
                    : Optional.of(new SecurityVersions(Wire.u32(b, OFF_SECURITY_VERSION), Wire.u32(b, OFF_SECURITY_FLOOR)));
            String reason = FixedAscii.decode(b.position(OFF_REASON), REASON_SIZE);
            Optional<Digests> d = digests;
            Optional<String> k = keyId;
            Record r = Wire.build("Verification Log record", () -> new Record(Wire.u32(b, OFF_SEQUENCE),
                    Wire.u8(b, OFF_OPERATION), Wire.u8(b, OFF_SLOT), Wire.u16(b, OFF_CHECK), b.getLong(OFF_TIMESTAMP),
                    d, k, versions, reason));
            Wire.skip(in, RECORD_SIZE);
            return r;
        }

        /** Writes {@link #RECORD_SIZE} bytes at {@code out}'s position, advancing it. */
        public void encodeTo(ByteBuffer out) {
            ByteBuffer b = Wire.target(out, RECORD_SIZE);
            b.putInt(OFF_SEQUENCE, (int) sequence);
            b.put(OFF_OPERATION, (byte) operation);
            b.put(OFF_SLOT, (byte) slot);
            b.putShort(OFF_CHECK, (short) check);
            b.putLong(OFF_TIMESTAMP, timestampNanos);
            int details = 0;
            if (securityVersions.isPresent()) {
                b.putInt(OFF_SECURITY_VERSION, (int) securityVersions.get().securityVersion());
                b.putInt(OFF_SECURITY_FLOOR, (int) securityVersions.get().floor());
                details |= DETAIL_SECURITY_VERSIONS;
            }
            if (keyId.isPresent()) {
                b.put(OFF_KEY_ID, HexFormat.of().parseHex(keyId.get()));
                details |= DETAIL_KEY_ID;
            }
            if (digests.isPresent()) {
                b.put(OFF_EXPECTED_SHA256, digests.get().expected());
                b.put(OFF_FOUND_SHA256, digests.get().found());
                details |= DETAIL_DIGESTS;
            }
            b.put(OFF_DETAILS, (byte) details);
            FixedAscii.encode(reason, b.position(OFF_REASON), REASON_SIZE);
            Wire.skip(out, RECORD_SIZE);
        }

        public byte[] encode() {
            byte[] bytes = new byte[RECORD_SIZE];
            encodeTo(ByteBuffer.wrap(bytes));
            return bytes;
        }
    }
}
