package io.cxlkit.protocol.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.CelEffects;
import io.cxlkit.protocol.Opcode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** decode(encode(x)) == x over the full field ranges, and what decoders do with short or random input. */
class PayloadPropertiesTest {

    // ---------------------------------------------------------------- round trips

    @Property
    void identify(@ForAll @IntRange(max = 0xFFFF) int vendor, @ForAll @IntRange(max = 0xFFFF) int device,
                  @ForAll @IntRange(max = 0xFFFF) int subVendor, @ForAll @IntRange(max = 0xFFFF) int sub,
                  @ForAll long serial, @ForAll @IntRange(max = 0xFF) int n, @ForAll @IntRange(max = 0xFF) int type) {
        var v = new Identify(vendor, device, subVendor, sub, serial, n, type);
        assertThat(Identify.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    @Property
    void backgroundOperationStatus(@ForAll boolean running, @ForAll @IntRange(max = 100) int pct,
                                   @ForAll @IntRange(max = 0xFFFF) int opcode, @ForAll @IntRange(max = 0xFFFF) int rc,
                                   @ForAll @IntRange(max = 0xFFFF) int vendor) {
        var v = new BackgroundOperationStatus(running, pct, Opcode.of(opcode), rc, vendor);
        assertThat(BackgroundOperationStatus.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    @Property
    void responseMessageLimit(@ForAll @IntRange(max = 0xFF) int n) {
        var v = new ResponseMessageLimit(n);
        assertThat(ResponseMessageLimit.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    @Property
    void timestamp(@ForAll long nanos) {
        var v = new Timestamp(nanos);
        assertThat(Timestamp.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    @Property
    void fwInfo(@ForAll @IntRange(max = 0xFF) int slots, @ForAll @IntRange(max = 7) int active,
                @ForAll @IntRange(max = 7) int staged, @ForAll boolean online,
                @ForAll @Size(4) List<@From("revisions") String> revisions) {
        var v = new FwInfo(slots, active, staged, online, revisions);
        assertThat(FwInfo.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    @Property
    void fixedAscii(@ForAll("revisions") String text, @ForAll @IntRange(max = 8) int extraWidth) {
        int width = text.length() + extraWidth;
        ByteBuffer b = ByteBuffer.allocate(width);
        FixedAscii.encode(text, b, width);
        assertThat(b.hasRemaining()).isFalse();
        assertThat(FixedAscii.decode(b.flip(), width)).isEqualTo(text);
    }

    @Property(tries = 300)
    void transferFw(@ForAll @IntRange(max = 0xFF) int action, @ForAll @IntRange(max = 0xFF) int slot,
                    @ForAll @LongRange(max = 0xFFFFFFFFL) long offset, @ForAll @Size(max = 600) byte[] data) {
        var v = new TransferFwRequest(action, slot, offset, ByteBuffer.wrap(data));
        byte[] wire = v.encode();
        assertThat(wire).hasSize(TransferFwRequest.HEADER_SIZE + data.length);
        TransferFwRequest back = TransferFwRequest.decode(ByteBuffer.wrap(wire));
        assertThat(back).isEqualTo(v).hasSameHashCodeAs(v);
        assertThat(back.byteOffset()).isEqualTo(offset * 128);
        assertThat(back.knownAction().isPresent()).isEqualTo(action <= 4);
    }

    @Property(tries = 300)
    void transferFwDataIsAViewOfTheBytesAfterTheHeader(@ForAll @Size(min = 0x80, max = 700) byte[] wire,
                                                       @ForAll @IntRange(max = 16) int prefix) {
        byte[] framed = new byte[prefix + wire.length];
        System.arraycopy(wire, 0, framed, prefix, wire.length);
        ByteBuffer in = ByteBuffer.wrap(framed).position(prefix);
        TransferFwRequest r = TransferFwRequest.decode(in);

        assertThat(in.hasRemaining()).isFalse();
        ByteBuffer data = r.data();
        assertThat(data.isReadOnly()).isTrue();
        byte[] contents = new byte[data.remaining()];
        data.get(contents);
        assertThat(contents).isEqualTo(Arrays.copyOfRange(wire, 0x80, wire.length));
        if (contents.length > 0) {
            // no copy: the view reflects a later change to the source bytes
            int last = framed.length - 1;
            framed[last] = (byte) ~framed[last];
            assertThat(r.data().get(contents.length - 1)).isEqualTo(framed[last]);
        }
    }

    @Property
    void activateFw(@ForAll @IntRange(max = 0xFF) int action, @ForAll @IntRange(max = 0xFF) int slot) {
        var v = new ActivateFwRequest(action, slot);
        assertThat(ActivateFwRequest.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    @Property
    void supportedLogEntry(@ForAll("logEntries") SupportedLogEntry v) {
        assertThat(SupportedLogEntry.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    @Property(tries = 300)
    void supportedLogs(@ForAll @Size(max = 40) List<@From("logEntries") SupportedLogEntry> entries) {
        var v = new SupportedLogs(entries);
        byte[] wire = v.encode();
        assertThat(wire).hasSize(v.size()).hasSize(8 + 0x14 * entries.size());
        assertThat(SupportedLogs.decode(ByteBuffer.wrap(wire))).isEqualTo(v);
    }

    @Property
    void supportedLogsSubListRequest(@ForAll @IntRange(max = 0xFF) int max, @ForAll @IntRange(max = 0xFF) int start) {
        var v = new SupportedLogsSubListRequest(max, start);
        assertThat(SupportedLogsSubListRequest.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    @Property(tries = 300)
    void supportedLogsSubList(@ForAll @IntRange(max = 0xFFFF) int total, @ForAll @IntRange(max = 0xFF) int start,
                              @ForAll @Size(max = 40) List<@From("logEntries") SupportedLogEntry> entries) {
        var v = new SupportedLogsSubList(total, start, entries);
        byte[] wire = v.encode();
        assertThat(wire).hasSize(v.size());
        assertThat(SupportedLogsSubList.decode(ByteBuffer.wrap(wire))).isEqualTo(v);
    }

    @Property
    void getLogRequest(@ForAll("uuids") UUID id, @ForAll @LongRange(max = 0xFFFFFFFFL) long offset,
                       @ForAll @LongRange(max = 0xFFFFFFFFL) long length) {
        var v = new GetLogRequest(id, offset, length);
        assertThat(GetLogRequest.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    @Property
    void celEntry(@ForAll @IntRange(max = 0xFFFF) int opcode, @ForAll @IntRange(max = 0xFFF) int effects) {
        var v = new CelEntry(Opcode.of(opcode), CelEffects.fromBits(effects));
        byte[] wire = v.encode();
        assertThat(((wire[2] & 0xFF) | (wire[3] & 0xFF) << 8)).isEqualTo(effects);
        assertThat(CelEntry.decode(ByteBuffer.wrap(wire))).isEqualTo(v);
    }

    @Property
    void identifyMemoryDevice(@ForAll("revisions") String fw, @ForAll long total, @ForAll long volatileOnly,
                              @ForAll long persistentOnly, @ForAll long alignment,
                              @ForAll @IntRange(max = 0xFFFF) int info, @ForAll @IntRange(max = 0xFFFF) int warning,
                              @ForAll @IntRange(max = 0xFFFF) int failure, @ForAll @IntRange(max = 0xFFFF) int fatal,
                              @ForAll @LongRange(max = 0xFFFFFFFFL) long lsa,
                              @ForAll @IntRange(max = 0xFFFFFF) int poisonRecords,
                              @ForAll @IntRange(max = 0xFFFF) int injectLimit, @ForAll @IntRange(max = 0xFF) int poisonCaps,
                              @ForAll @IntRange(max = 0xFF) int qosCaps, @ForAll @IntRange(max = 0xFFFF) int dcdLog) {
        var v = new IdentifyMemoryDevice(fw, total, volatileOnly, persistentOnly, alignment, info, warning, failure,
                fatal, lsa, poisonRecords, injectLimit, poisonCaps, qosCaps, dcdLog);
        assertThat(IdentifyMemoryDevice.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    // ---------------------------------------------------------------- short and random input

    /** A decoder under test: its name, its function, and the fewest bytes it could ever accept. */
    record Decoder(String name, Function<ByteBuffer, Object> decode, int minSize) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Decoder> DECODERS = List.of(
            new Decoder("Identify", Identify::decode, Identify.SIZE),
            new Decoder("BackgroundOperationStatus", BackgroundOperationStatus::decode, BackgroundOperationStatus.SIZE),
            new Decoder("ResponseMessageLimit", ResponseMessageLimit::decode, ResponseMessageLimit.SIZE),
            new Decoder("Timestamp", Timestamp::decode, Timestamp.SIZE),
            new Decoder("FwInfo", FwInfo::decode, FwInfo.SIZE),
            new Decoder("TransferFwRequest", TransferFwRequest::decode, TransferFwRequest.HEADER_SIZE),
            new Decoder("ActivateFwRequest", ActivateFwRequest::decode, ActivateFwRequest.SIZE),
            new Decoder("SupportedLogEntry", SupportedLogEntry::decode, SupportedLogEntry.ENTRY_SIZE),
            new Decoder("SupportedLogs", SupportedLogs::decode, SupportedLogs.HEADER_SIZE),
            new Decoder("SupportedLogsSubListRequest", SupportedLogsSubListRequest::decode,
                    SupportedLogsSubListRequest.SIZE),
            new Decoder("SupportedLogsSubList", SupportedLogsSubList::decode, SupportedLogsSubList.HEADER_SIZE),
            new Decoder("GetLogRequest", GetLogRequest::decode, GetLogRequest.SIZE),
            new Decoder("CelEntry", CelEntry::decode, CelEntry.SIZE),
            new Decoder("IdentifyMemoryDevice", IdentifyMemoryDevice::decode, IdentifyMemoryDevice.SIZE));

    @Provide
    Arbitrary<Decoder> decoders() {
        return Arbitraries.of(DECODERS);
    }

    @Property
    void inputShorterThanTheLayoutIsMalformed(@ForAll("decoders") Decoder decoder,
                                              @ForAll @Size(max = 0x80) byte[] bytes) {
        byte[] shortInput = Arrays.copyOf(bytes, Math.min(bytes.length, decoder.minSize() - 1));
        ByteBuffer in = ByteBuffer.wrap(shortInput);
        assertThatThrownBy(() -> decoder.decode().apply(in))
                .as(decoder.name() + " on " + shortInput.length + " bytes")
                .isExactlyInstanceOf(MalformedPayloadException.class)
                .hasMessageNotContaining("\n");
        assertThat(in.position()).as("a failed decode leaves the input where it was").isZero();
    }

    @Property
    void aTruncatedEntryListIsMalformed(@ForAll @Size(min = 1, max = 20) List<@From("logEntries") SupportedLogEntry> entries,
                                        @ForAll @IntRange(min = 1, max = 0x14 * 20) int cut) {
        byte[] full = new SupportedLogs(entries).encode();
        byte[] logs = Arrays.copyOf(full, full.length - Math.min(cut, full.length));
        assertThatThrownBy(() -> SupportedLogs.decode(ByteBuffer.wrap(logs)))
                .isExactlyInstanceOf(MalformedPayloadException.class);
        byte[] fullSub = new SupportedLogsSubList(entries.size(), 0, entries).encode();
        byte[] sub = Arrays.copyOf(fullSub, fullSub.length - Math.min(cut, fullSub.length));
        assertThatThrownBy(() -> SupportedLogsSubList.decode(ByteBuffer.wrap(sub)))
                .isExactlyInstanceOf(MalformedPayloadException.class);
    }

    @Property(tries = 2000)
    void randomInputDecodesOrIsMalformedButNothingElse(@ForAll("decoders") Decoder decoder,
                                                       @ForAll @Size(max = 200) byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            decoder.decode().apply(in);
            assertThat(in.position()).isGreaterThanOrEqualTo(decoder.minSize());
        } catch (MalformedPayloadException expected) {
            assertThat(in.position()).isZero();
        }
    }

    @Property(tries = 1000)
    void whateverDecodesReencodesToTheBytesItConsumedAndDecodesTheSame(@ForAll("decoders") Decoder decoder,
                                                                       @ForAll @Size(max = 200) byte[] bytes) {
        Object decoded;
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            decoded = decoder.decode().apply(in);
        } catch (MalformedPayloadException e) {
            return;
        }
        byte[] again = encode(decoded);
        assertThat(again).hasSize(in.position());
        assertThat(decoder.decode().apply(ByteBuffer.wrap(again))).isEqualTo(decoded);
    }

    private static byte[] encode(Object payload) {
        if (payload instanceof Identify p) {
            return p.encode();
        } else if (payload instanceof BackgroundOperationStatus p) {
            return p.encode();
        } else if (payload instanceof ResponseMessageLimit p) {
            return p.encode();
        } else if (payload instanceof Timestamp p) {
            return p.encode();
        } else if (payload instanceof FwInfo p) {
            return p.encode();
        } else if (payload instanceof TransferFwRequest p) {
            return p.encode();
        } else if (payload instanceof ActivateFwRequest p) {
            return p.encode();
        } else if (payload instanceof SupportedLogEntry p) {
            return p.encode();
        } else if (payload instanceof SupportedLogs p) {
            return p.encode();
        } else if (payload instanceof SupportedLogsSubListRequest p) {
            return p.encode();
        } else if (payload instanceof SupportedLogsSubList p) {
            return p.encode();
        } else if (payload instanceof GetLogRequest p) {
            return p.encode();
        } else if (payload instanceof CelEntry p) {
            return p.encode();
        } else if (payload instanceof IdentifyMemoryDevice p) {
            return p.encode();
        }
        throw new AssertionError("no encoder for " + payload);
    }

    // ---------------------------------------------------------------- arbitraries

    @Provide
    Arbitrary<String> revisions() {
        return Arbitraries.strings().withCharRange((char) 1, (char) 0x7F).ofMaxLength(16);
    }

    @Provide
    Arbitrary<UUID> uuids() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
    }

    @Provide
    Arbitrary<SupportedLogEntry> logEntries() {
        return Combinators.combine(uuids(), Arbitraries.longs().between(0, 0xFFFFFFFFL)).as(SupportedLogEntry::new);
    }
}
