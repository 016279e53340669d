package io.cxlkit.protocol.fuzz;

import io.cxlkit.protocol.fwpkg.SigningKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cxlkit.protocol.CciHeader;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.fwpkg.PackageFormatException;
import io.cxlkit.protocol.fwpkg.PackageHeader;
import io.cxlkit.protocol.fwpkg.PackageInspection;
import io.cxlkit.protocol.fwpkg.PackageVerifier;
import io.cxlkit.protocol.fwpkg.SignatureTrailer;
import io.cxlkit.protocol.frame.EndpointLimits;
import io.cxlkit.protocol.frame.FrameDecoder;
import io.cxlkit.protocol.frame.FrameFormat;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.AlertConfig;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.payload.CelEntry;
import io.cxlkit.protocol.payload.ClearEventRecordsRequest;
import io.cxlkit.protocol.payload.ClearPoisonRequest;
import io.cxlkit.protocol.payload.DpaRange;
import io.cxlkit.protocol.payload.EventInterruptPolicy;
import io.cxlkit.protocol.payload.EventRecord;
import io.cxlkit.protocol.payload.FixedAscii;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.GeneralMediaEvent;
import io.cxlkit.protocol.payload.GetEventRecordsRequest;
import io.cxlkit.protocol.payload.GetEventRecordsResponse;
import io.cxlkit.protocol.payload.GetLogRequest;
import io.cxlkit.protocol.payload.GetLsaRequest;
import io.cxlkit.protocol.payload.GetPoisonListRequest;
import io.cxlkit.protocol.payload.GetPoisonListResponse;
import io.cxlkit.protocol.payload.GetScanMediaResultsResponse;
import io.cxlkit.protocol.payload.HealthInfo;
import io.cxlkit.protocol.payload.Identify;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.InjectPoisonRequest;
import io.cxlkit.protocol.payload.LogCapabilities;
import io.cxlkit.protocol.payload.LogIdRequest;
import io.cxlkit.protocol.payload.MalformedPayloadException;
import io.cxlkit.protocol.payload.MediaErrorRecord;
import io.cxlkit.protocol.payload.MemoryModuleEvent;
import io.cxlkit.protocol.payload.PartitionInfo;
import io.cxlkit.protocol.payload.PoisonSource;
import io.cxlkit.protocol.payload.ResponseMessageLimit;
import io.cxlkit.protocol.payload.ScanMediaCapabilities;
import io.cxlkit.protocol.payload.ScanMediaRequest;
import io.cxlkit.protocol.payload.SecurityState;
import io.cxlkit.protocol.payload.SetAlertConfigRequest;
import io.cxlkit.protocol.payload.SetLsaRequest;
import io.cxlkit.protocol.payload.SetPartitionInfoRequest;
import io.cxlkit.protocol.payload.ShutdownState;
import io.cxlkit.protocol.payload.SupportedLogEntry;
import io.cxlkit.protocol.payload.SupportedLogs;
import io.cxlkit.protocol.payload.SupportedLogsSubList;
import io.cxlkit.protocol.payload.SupportedLogsSubListRequest;
import io.cxlkit.protocol.payload.Timestamp;
import io.cxlkit.protocol.payload.TransferFwRequest;
import io.cxlkit.protocol.payload.VerificationLog;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Random and hostile bytes against every decoder of the protocol layer: each CCI payload decoder,
 * {@link CciHeader#decode}, {@link CciMessage#decode}, the package parser ({@link PackageHeader#parse},
 * {@link SignatureTrailer#parse}, {@link PackageVerifier#inspect(byte[])}) and the frame decoder.
 *
 * <p>Only the documented exceptions may come out: {@link MalformedPayloadException} from payload
 * decoders, {@link IllegalArgumentException} from the CCI header and message decoders,
 * {@link PackageFormatException} from the package header and trailer parsers, and nothing at all from
 * {@code inspect} (format problems are reported in the inspection) or the frame decoder. Decoders read
 * only between the buffer's position and limit, whatever its byte order, also when it is read-only;
 * they advance the position as documented and never write the input; a decoded value survives an
 * encode/decode round trip. Memory stays bounded: each call's heap allocation (measured per thread) is
 * bounded by a constant plus a small multiple of the input, so a huge length or count field in a small
 * input is never believed before the bytes are there.
 *
 * <p>Budget: fixed seeds and the tries below; {@code -Dcxlkit.fuzz.tries=N} (and
 * {@code -Dcxlkit.fuzz.seed=S|random}) for a longer run.
 */
@AddLifecycleHook(value = ProtocolDecoderFuzzProperties.Budget.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class ProtocolDecoderFuzzProperties {

    /** Applies {@code -Dcxlkit.fuzz.tries} and {@code -Dcxlkit.fuzz.seed} to every property of the class. */
    static final class Budget implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            if (context.targetMethod().isAnnotationPresent(net.jqwik.api.Example.class)) {
                return property.execute(); // regression examples run once
            }
            Integer tries = Integer.getInteger("cxlkit.fuzz.tries");
            if (tries != null && tries > 0) {
                context.attributes().setTries(tries);
            }
            String seed = System.getProperty("cxlkit.fuzz.seed", "").trim();
            if (!seed.isEmpty()) {
                context.attributes().setSeed(seed.equals("random") ? Long.toString(new SecureRandom().nextLong()) : seed);
            }
            return property.execute();
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Heap one call may allocate beyond its input: exceptions with their stack traces, small records. */
    private static final long ALLOCATION_SLACK = 64 * 1024;

    /** Heap allocated by {@code call} on this thread. */
    static long allocation(Runnable call) {
        long t0 = THREADS.getCurrentThreadAllocatedBytes();
        call.run();
        return THREADS.getCurrentThreadAllocatedBytes() - t0;
    }

    /**
     * {@code call} allocates at most {@code bound} bytes. A first call may load and initialise classes,
     * so an excess is measured once more: a decoder that believes a length field does it every time.
     */
    static void assertBoundedAllocation(String what, long bound, Runnable call) {
        long allocated = allocation(call);
        if (allocated > bound) {
            allocated = allocation(call);
        }
        assertThat(allocated).as("%s allocated", what).isLessThanOrEqualTo(bound);
    }

    // ------------------------------------------------------------------------------------ the decoders

    /** One payload codec: decode at a buffer's position; encode a decoded value back. */
    record Codec(String name, int size, Function<ByteBuffer, Object> decode, Function<Object, byte[]> encode) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Every payload decoder of io.cxlkit.protocol.payload, with its layout size (-1: variable). */
    static final List<Codec> CODECS = List.of(
            new Codec("ActivateFwRequest", ActivateFwRequest.SIZE, ActivateFwRequest::decode,
                    v -> ((ActivateFwRequest) v).encode()),
            new Codec("BackgroundOperationStatus", BackgroundOperationStatus.SIZE, BackgroundOperationStatus::decode,
                    v -> ((BackgroundOperationStatus) v).encode()),
            new Codec("CelEntry", CelEntry.SIZE, CelEntry::decode, v -> ((CelEntry) v).encode()),
            new Codec("FwInfo", FwInfo.SIZE, FwInfo::decode, v -> ((FwInfo) v).encode()),
            new Codec("GetLogRequest", GetLogRequest.SIZE, GetLogRequest::decode, v -> ((GetLogRequest) v).encode()),
            new Codec("Identify", Identify.SIZE, Identify::decode, v -> ((Identify) v).encode()),
            new Codec("IdentifyMemoryDevice", IdentifyMemoryDevice.SIZE, IdentifyMemoryDevice::decode,
                    v -> ((IdentifyMemoryDevice) v).encode()),
            new Codec("ResponseMessageLimit", ResponseMessageLimit.SIZE, ResponseMessageLimit::decode,
                    v -> ((ResponseMessageLimit) v).encode()),
            new Codec("SupportedLogEntry", SupportedLogEntry.ENTRY_SIZE, SupportedLogEntry::decode,
                    v -> ((SupportedLogEntry) v).encode()),
            new Codec("SupportedLogs", -1, SupportedLogs::decode, v -> ((SupportedLogs) v).encode()),
            new Codec("SupportedLogsSubList", -1, SupportedLogsSubList::decode,
                    v -> ((SupportedLogsSubList) v).encode()),
            new Codec("SupportedLogsSubListRequest", SupportedLogsSubListRequest.SIZE,
                    SupportedLogsSubListRequest::decode, v -> ((SupportedLogsSubListRequest) v).encode()),
            new Codec("Timestamp", Timestamp.SIZE, Timestamp::decode, v -> ((Timestamp) v).encode()),
            new Codec("TransferFwRequest", -1, TransferFwRequest::decode, v -> ((TransferFwRequest) v).encode()),
            new Codec("VerificationLog", -1, VerificationLog::decode, v -> ((VerificationLog) v).encode()),
            new Codec("VerificationLog.Header", VerificationLog.HEADER_SIZE, VerificationLog.Header::decode, v -> {
                ByteBuffer out = ByteBuffer.allocate(VerificationLog.HEADER_SIZE);
                ((VerificationLog.Header) v).encodeTo(out);
                return out.array();
            }),
            new Codec("VerificationLog.Record", VerificationLog.RECORD_SIZE, VerificationLog.Record::decode,
                    v -> ((VerificationLog.Record) v).encode()),
            new Codec("FixedAscii(16)", 16, b -> FixedAscii.decode(b, 16), v -> {
                ByteBuffer out = ByteBuffer.allocate(16);
                FixedAscii.encode((String) v, out, 16);
                return out.array();
            }),
            // memory-device payloads
            new Codec("EventRecord", EventRecord.SIZE, EventRecord::decode, v -> ((EventRecord) v).encode()),
            new Codec("GeneralMediaEvent", EventRecord.DATA_SIZE, GeneralMediaEvent::decode,
                    v -> ((GeneralMediaEvent) v).encode()),
            new Codec("MemoryModuleEvent", EventRecord.DATA_SIZE, MemoryModuleEvent::decode,
                    v -> ((MemoryModuleEvent) v).encode()),
            new Codec("GetEventRecordsRequest", GetEventRecordsRequest.SIZE, GetEventRecordsRequest::decode,
                    v -> ((GetEventRecordsRequest) v).encode()),
            new Codec("GetEventRecordsResponse", -1, GetEventRecordsResponse::decode,
                    v -> ((GetEventRecordsResponse) v).encode()),
            new Codec("ClearEventRecordsRequest", -1, ClearEventRecordsRequest::decode,
                    v -> ((ClearEventRecordsRequest) v).encode()),
            new Codec("EventInterruptPolicy", -1, EventInterruptPolicy::decode,
                    v -> ((EventInterruptPolicy) v).encode()),
            new Codec("LogIdRequest", LogIdRequest.SIZE, LogIdRequest::decode, v -> ((LogIdRequest) v).encode()),
            new Codec("LogCapabilities", LogCapabilities.SIZE, LogCapabilities::decode,
                    v -> ((LogCapabilities) v).encode()),
            new Codec("PartitionInfo", PartitionInfo.SIZE, PartitionInfo::decode, v -> ((PartitionInfo) v).encode()),
            new Codec("SetPartitionInfoRequest", -1, SetPartitionInfoRequest::decode,
                    v -> ((SetPartitionInfoRequest) v).encode()),
            new Codec("GetLsaRequest", GetLsaRequest.SIZE, GetLsaRequest::decode, v -> ((GetLsaRequest) v).encode()),
            new Codec("SetLsaRequest", -1, SetLsaRequest::decode, v -> ((SetLsaRequest) v).encode()),
            new Codec("HealthInfo", HealthInfo.SIZE, HealthInfo::decode, v -> ((HealthInfo) v).encode()),
            new Codec("AlertConfig", AlertConfig.SIZE, AlertConfig::decode, v -> ((AlertConfig) v).encode()),
            new Codec("SetAlertConfigRequest", SetAlertConfigRequest.SIZE, SetAlertConfigRequest::decode,
                    v -> ((SetAlertConfigRequest) v).encode()),
            new Codec("ShutdownState", ShutdownState.SIZE, ShutdownState::decode, v -> ((ShutdownState) v).encode()),
            // media, poison and security payloads
            new Codec("DpaRange", DpaRange.SIZE, DpaRange::decode, v -> ((DpaRange) v).encode()),
            new Codec("GetPoisonListRequest", GetPoisonListRequest.SIZE, GetPoisonListRequest::decode,
                    v -> ((GetPoisonListRequest) v).encode()),
            new Codec("MediaErrorRecord", MediaErrorRecord.SIZE, MediaErrorRecord::decode,
                    v -> ((MediaErrorRecord) v).encode()),
            new Codec("GetPoisonListResponse", -1, GetPoisonListResponse::decode,
                    v -> ((GetPoisonListResponse) v).encode()),
            new Codec("InjectPoisonRequest", InjectPoisonRequest.SIZE, InjectPoisonRequest::decode,
                    v -> ((InjectPoisonRequest) v).encode()),
            new Codec("ClearPoisonRequest", ClearPoisonRequest.SIZE, ClearPoisonRequest::decode,
                    v -> ((ClearPoisonRequest) v).encode()),
            new Codec("ScanMediaCapabilities", ScanMediaCapabilities.SIZE, ScanMediaCapabilities::decode,
                    v -> ((ScanMediaCapabilities) v).encode()),
            new Codec("ScanMediaRequest", ScanMediaRequest.SIZE, ScanMediaRequest::decode,
                    v -> ((ScanMediaRequest) v).encode()),
            new Codec("GetScanMediaResultsResponse", -1, GetScanMediaResultsResponse::decode,
                    v -> ((GetScanMediaResultsResponse) v).encode()),
            new Codec("SecurityState", SecurityState.SIZE, SecurityState::decode, v -> ((SecurityState) v).encode()));

    // ------------------------------------------------------------------------------------ inputs

    /** Where the input sits: garbage around it, read-only or not, which byte order the buffer claims. */
    record Framing(int before, int after, boolean readOnly, boolean bigEndian, long garbageSeed) {
        ByteBuffer wrap(byte[] input) {
            byte[] all = new byte[before + input.length + after];
            new Random(garbageSeed).nextBytes(all);
            System.arraycopy(input, 0, all, before, input.length);
            ByteBuffer b = ByteBuffer.wrap(all);
            b.position(before).limit(before + input.length);
            b.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            return readOnly ? b.asReadOnlyBuffer().order(b.order()) : b;
        }
    }

    @Provide
    Arbitrary<Framing> framings() {
        return Combinators.combine(Arbitraries.integers().between(0, 16), Arbitraries.integers().between(0, 16),
                Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.longs()).as(Framing::new);
    }

    static Arbitrary<byte[]> seeded(Arbitrary<Integer> length) {
        return Combinators.combine(length, Arbitraries.longs()).as((n, seed) -> {
            byte[] b = new byte[n];
            new Random(seed).nextBytes(b);
            return b;
        });
    }

    /**
     * Random bytes of random length; random bytes of each layout's exact size, one less and one more;
     * count headers promising up to 65535 entries of Supported Logs / 255 of the Sub-List in a few
     * bytes; and valid encodings with a few bytes overwritten.
     */
    @Provide
    Arbitrary<byte[]> payloadInputs() {
        List<Integer> sizes = new ArrayList<>();
        for (Codec c : CODECS) {
            if (c.size() > 0) {
                sizes.addAll(List.of(c.size() - 1, c.size(), c.size() + 1));
            }
        }
        sizes.addAll(List.of(0, 7, 8, 9, 27, 28, 29, 0x7F, 0x80, 0x81));
        // the ranged and counted memory-device inputs: 4 or 5, 9 or 10, 6 + 2N, 20h + 80h·n
        sizes.addAll(List.of(3, 4, 5, 6, 10, 11, 12, 0x20, 0x9F, 0xA0, 0x120));
        // the media error record lists: 20h + 10h·n
        sizes.addAll(List.of(0x2F, 0x30, 0x31, 0x40, 0x50));
        Arbitrary<byte[]> exact = seeded(Arbitraries.of(sizes));
        Arbitrary<byte[]> any = seeded(Arbitraries.integers().between(0, 300));
        Arbitrary<byte[]> countHeaders = Combinators.combine(Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.integers().between(8, 60), Arbitraries.longs()).as((count, n, seed) -> {
                    byte[] b = new byte[n];
                    new Random(seed).nextBytes(b);
                    b[0] = (byte) (int) count;
                    b[1] = (byte) (count >>> 8);
                    return b;
                });
        Arbitrary<byte[]> mutatedValid = Combinators.combine(Arbitraries.of(validEncodings()),
                Arbitraries.integers().between(1, 4), Arbitraries.longs()).as((valid, k, seed) -> {
                    Random r = new Random(seed);
                    byte[] b = valid.clone();
                    for (int i = 0; i < k && b.length > 0; i++) {
                        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                    }
                    return r.nextInt(4) == 0 ? Arrays.copyOf(b, r.nextInt(b.length + 1)) : b;
                });
        return Arbitraries.frequencyOf(Tuple.of(3, any), Tuple.of(3, exact), Tuple.of(2, countHeaders),
                Tuple.of(3, mutatedValid));
    }

    private static List<byte[]> validEncodings() {
        var cel = new SupportedLogEntry(io.cxlkit.protocol.payload.LogIds.CEL_UUID, 56);
        var health = new HealthInfo(1, 0, HealthInfo.AdditionalStatus.fromBits(0x19), 42, -5, 1, 2, 3);
        var gm = EventRecord.of(new GeneralMediaEvent(0x1000, true, 1, 0, 4), 2, 1, 0, 77);
        var mm = EventRecord.of(new MemoryModuleEvent(3, health), 1, 2, 0, 78);
        return List.of(
                new GetEventRecordsResponse(true, true, 3, 5, 6, List.of(gm, mm)).encode(),
                new GetPoisonListResponse(true, true, false, true, 9, List.of(
                        new MediaErrorRecord(0x1000, PoisonSource.INJECTED, 2),
                        new MediaErrorRecord(0x40, PoisonSource.INTERNAL, 1))).encode(),
                new GetScanMediaResultsResponse(new DpaRange(0x2000, 8), true, true,
                        List.of(new MediaErrorRecord(0x2000, PoisonSource.VENDOR_SPECIFIC, 3))).encode(),
                new ScanMediaRequest(new DpaRange(0x40, 4), true).encode(),
                ClearPoisonRequest.of(0x80, new byte[64]).encode(),
                new ClearEventRecordsRequest(1, false, List.of(1, 2, 3)).encode(),
                EventInterruptPolicy.decode(ByteBuffer.wrap(new byte[] {0x11, 0x52, 0, (byte) 0xF1})).encode(),
                new SetPartitionInfoRequest(4, true).encode(),
                new SetLsaRequest(16, ByteBuffer.wrap(new byte[] {1, 2, 3})).encode(),
                new AlertConfig(7, 0x1F, 75, 40, 85, 0, 75, 5, 100, 100).encode(),
                new SetAlertConfigRequest(0x1F, 5, 30, 80, -10, 100, 100).encode(),
                new ActivateFwRequest(1, 2).encode(),
                new BackgroundOperationStatus(true, 42, io.cxlkit.protocol.Opcode.of(0x0201), 0, 0).encode(),
                new FwInfo(3, 1, 2, true, List.of("A", "B", "", "")).encode(),
                new GetLogRequest(io.cxlkit.protocol.payload.LogIds.CEL_UUID, 4, 8).encode(),
                new Identify(0x1b36, 0x0d93, 0, 0, 7, 10, 3).encode(),
                new IdentifyMemoryDevice("REV 1", 4, 0, 4, 0, 8, 8, 8, 8, 0, 0, 0, 0, 0, 0).encode(),
                new SupportedLogs(List.of(cel, cel)).encode(),
                new SupportedLogsSubList(1, 0, List.of(cel)).encode(),
                TransferFwRequest.initiate(0, ByteBuffer.wrap(new byte[128])).encode(),
                new VerificationLog(16, 2, List.of(VerificationLog.Record.of(2, VerificationLog.Operation.TRANSFER, 2,
                        1, io.cxlkit.protocol.fwpkg.VerificationFailure.keyNotTrusted("f3af909053e689d9")))).encode());
    }

    // ------------------------------------------------------------------------------------ payload decoders

    @Property(tries = 1500, seed = "7220400101", edgeCases = EdgeCasesMode.FIRST)
    void everyPayloadDecoderAcceptsOrRejectsCleanly(@ForAll("payloadInputs") byte[] input,
                                                   @ForAll("framings") Framing framing) {
        for (Codec codec : CODECS) {
            decodeOnce(codec, input, framing);
        }
    }

    private static void decodeOnce(Codec codec, byte[] input, Framing framing) {
        ByteBuffer in = framing.wrap(input);
        int start = in.position();
        int limit = in.limit();
        ByteOrder order = in.order();
        byte[] before = snapshot(in);
        Object value = null;
        MalformedPayloadException rejected = null;
        try {
            value = codec.decode().apply(in);
        } catch (MalformedPayloadException e) {
            rejected = e;
        } catch (RuntimeException e) {
            throw new AssertionError(codec + " threw an undocumented " + e + " for " + hex(input), e);
        }
        assertBoundedAllocation(codec + " of " + input.length + " bytes", ALLOCATION_SLACK + 16L * input.length, () -> {
            try {
                codec.decode().apply(framing.wrap(input));
            } catch (MalformedPayloadException e) {
                // measured, not judged here
            }
        });
        assertThat(in.limit()).as("%s changed the limit", codec).isEqualTo(limit);
        assertThat(in.order()).as("%s changed the byte order", codec).isEqualTo(order);
        assertThat(snapshot(in)).as("%s wrote its input", codec).isEqualTo(before);
        if (rejected != null) {
            assertThat(rejected.getMessage()).as("%s's message", codec).isNotBlank().doesNotContain("\n");
            return;
        }
        assertThat(codec.size() < 0 || input.length >= codec.size())
                .as("%s decoded %d bytes, fewer than its %d-byte layout", codec, input.length, codec.size()).isTrue();
        int consumed = in.position() - start;
        if (codec.size() > 0) {
            assertThat(consumed).as("%s advanced the position", codec).isEqualTo(codec.size());
        } else {
            assertThat(consumed).as("%s advanced the position", codec).isBetween(0, input.length);
        }
        // the same bytes in a plain buffer decode to the same value: only [position, limit) was read
        Object plain = codec.decode().apply(ByteBuffer.wrap(input));
        assertThat(plain).as("%s depends on bytes outside [position, limit) or on the byte order", codec)
                .isEqualTo(value);
        // round trip: what was decoded encodes to bytes that decode to the same value
        byte[] encoded = codec.encode().apply(value);
        assertThat(codec.decode().apply(ByteBuffer.wrap(encoded))).as("%s round trip", codec).isEqualTo(value);
    }

    /** The whole backing content, so a write anywhere in it shows. */
    private static byte[] snapshot(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        d.clear();
        byte[] all = new byte[d.remaining()];
        d.get(all);
        return all;
    }

    // ------------------------------------------------------------------------------------ CCI header and message

    /** Random bytes, and headers whose 21-bit payload length promises far more than follows. */
    @Provide
    Arbitrary<byte[]> messages() {
        Arbitrary<byte[]> any = seeded(Arbitraries.integers().between(0, 80));
        Arbitrary<byte[]> lying = Combinators.combine(
                Arbitraries.of(0, 1, 11, 12, 13, 0xFFFF, 0x10000, CciHeader.MAX_PAYLOAD_LENGTH, 0x100000),
                Arbitraries.integers().between(0, 40), Arbitraries.longs()).as((len, extra, seed) -> {
                    byte[] b = new byte[CciHeader.SIZE + extra];
                    new Random(seed).nextBytes(b);
                    b[5] = (byte) (int) len;
                    b[6] = (byte) (len >>> 8);
                    b[7] = (byte) ((b[7] & 0xE0) | ((len >>> 16) & 0x1F));
                    return b;
                });
        Arbitrary<byte[]> consistent = Combinators.combine(Arbitraries.integers().between(0, 64), Arbitraries.longs())
                .as((len, seed) -> {
                    byte[] b = new byte[CciHeader.SIZE + len];
                    new Random(seed).nextBytes(b);
                    b[5] = (byte) (int) len;
                    b[6] = 0;
                    b[7] = (byte) (b[7] & 0xE0);
                    return b;
                });
        return Arbitraries.frequencyOf(Tuple.of(2, any), Tuple.of(2, lying), Tuple.of(2, consistent));
    }

    @Property(tries = 1500, seed = "7220400102", edgeCases = EdgeCasesMode.FIRST)
    void cciHeaderAndMessageDecodeOrThrowIllegalArgument(@ForAll("messages") byte[] input,
                                                       @ForAll("framings") Framing framing) {
        // the header: any 12 bytes decode (reserved bits dropped); fewer are an IllegalArgumentException
        ByteBuffer in = framing.wrap(input);
        int start = in.position();
        try {
            CciHeader h = CciHeader.decode(in);
            assertThat(input.length).isGreaterThanOrEqualTo(CciHeader.SIZE);
            assertThat(in.position() - start).isEqualTo(CciHeader.SIZE);
            assertThat(CciHeader.decode(h.encode())).isEqualTo(h);
            assertThat(CciHeader.decode(Arrays.copyOf(input, CciHeader.SIZE))).isEqualTo(h);
        } catch (IllegalArgumentException e) {
            assertThat(input.length).as("a 12-byte header was refused: " + e).isLessThan(CciHeader.SIZE);
        } catch (RuntimeException e) {
            throw new AssertionError("CciHeader.decode threw an undocumented " + e + " for " + hex(input), e);
        }
        // the message: exactly one whole message, else an IllegalArgumentException, never a huge allocation
        CciMessage m = null;
        try {
            m = CciMessage.decode(input);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        } catch (RuntimeException e) {
            throw new AssertionError("CciMessage.decode threw an undocumented " + e + " for " + hex(input), e);
        }
        assertBoundedAllocation("CciMessage.decode of " + input.length + " bytes", ALLOCATION_SLACK + 4L * input.length,
                () -> {
                    try {
                        CciMessage.decode(input);
                    } catch (IllegalArgumentException e) {
                        // measured, not judged here
                    }
                });
        if (m != null) {
            assertThat(CciHeader.SIZE + m.payload().length).isEqualTo(input.length);
            assertThat(CciMessage.decode(m.encode())).isEqualTo(m);
        }
    }

    // ------------------------------------------------------------------------------------ the package parser

    private static final KeyPair SIGNER = keyPair();

    private static KeyPair keyPair() {
        return SigningKeys.newPair();
    }

    /** A package to start from: body size, security version, signed or not. */
    record Base(int bodySize, long securityVersion, boolean signed, long seed) {
        byte[] bytes() {
            byte[] body = new byte[bodySize];
            new Random(seed).nextBytes(body);
            FirmwarePackage.Builder b = FirmwarePackage.builder().revision("FZ " + bodySize).securityVersion(securityVersion)
                    .body(body);
            if (signed) {
                b.sign(SIGNER.getPrivate(), SIGNER.getPublic());
            }
            return b.build().toByteArray();
        }
    }

    /**
     * A header field rewritten, the header digest recomputed, so the change reaches the checks behind
     * the digest: body length (huge, negative, off by one), flags, trailer length, format version,
     * header length, revision bytes, reserved bytes, security version.
     */
    record FieldEdit(int field, long value) {
        static final int[][] FIELDS = {
            {0x20, 8}, // body length
            {0x0C, 2}, // flags
            {0x4C, 4}, // trailer length
            {0x08, 2}, // format version
            {0x0A, 2}, // header length
            {0x10, 1}, // a revision byte
            {0x1F, 1}, // the last revision byte
            {0x0E, 2}, // reserved
            {0x50, 8}, // reserved
            {0x48, 4}, // security version
        };

        void apply(byte[] p) {
            int[] f = FIELDS[field];
            ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < f[1]; i++) {
                b.put(f[0] + i, (byte) (value >>> (8 * i)));
            }
        }
    }

    /** Trailing edits: truncate or extend, or overwrite bytes (after the header, or anywhere). */
    record ByteEdit(int kind, int position, int value) {
        byte[] apply(byte[] p) {
            return switch (kind) {
                case 0 -> Arrays.copyOf(p, Math.floorMod(position, p.length + 1));
                case 1 -> {
                    byte[] q = Arrays.copyOf(p, p.length + 1 + Math.floorMod(position, 300));
                    Arrays.fill(q, p.length, q.length, (byte) value);
                    yield q;
                }
                default -> {
                    byte[] q = p.clone();
                    if (q.length > 0) {
                        q[Math.floorMod(position, q.length)] = (byte) value;
                    }
                    yield q;
                }
            };
        }
    }

    record PackageCase(Base base, List<FieldEdit> fields, boolean fixDigest, List<ByteEdit> bytes) {
        byte[] build() {
            byte[] p = base.bytes();
            for (FieldEdit f : fields) {
                f.apply(p);
            }
            if (fixDigest) {
                fixHeaderDigest(p);
            }
            for (ByteEdit e : bytes) {
                p = e.apply(p);
            }
            return p;
        }
    }

    static void fixHeaderDigest(byte[] p) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(p, 0, 0x60);
            System.arraycopy(md.digest(), 0, p, 0x60, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Provide
    Arbitrary<PackageCase> packages() {
        Arbitrary<Base> base = Combinators.combine(Arbitraries.of(0, 1, 127, 128, 129, 300, 1000),
                Arbitraries.of(0L, 1L, 0xFFFF_FFFFL), Arbitraries.of(true, false), Arbitraries.longs()).as(Base::new);
        Arbitrary<Long> values = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(0L, 1L, 2L, 0x7FL, 0x80L, 0xFFL, 104L, 105L, 0xFFFFL, 0xFFFF_FFFFL,
                        1L << 62, (1L << 62) + 1, Long.MAX_VALUE, Long.MIN_VALUE, -1L, 0x20L, 0x7EL)),
                Tuple.of(1, Arbitraries.longs()));
        Arbitrary<FieldEdit> field = Combinators.combine(Arbitraries.integers().between(0, FieldEdit.FIELDS.length - 1),
                values).as(FieldEdit::new);
        Arbitrary<ByteEdit> edit = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers(),
                Arbitraries.integers().between(0, 255)).as(ByteEdit::new);
        return Combinators.combine(base, field.list().ofMaxSize(3), Arbitraries.frequency(Tuple.of(4, true),
                Tuple.of(1, false)), edit.list().ofMaxSize(2)).as(PackageCase::new);
    }

    @Property(tries = 800, seed = "7220400103", edgeCases = EdgeCasesMode.FIRST)
    void thePackageParserOnlyThrowsFormatErrorsAndNeverTrustsLengthFields(@ForAll("packages") PackageCase c) {
        byte[] p = c.build();
        checkPackageParsers(p, c.fields().isEmpty() && c.bytes().isEmpty());
    }

    @Property(tries = 800, seed = "7220400104", edgeCases = EdgeCasesMode.FIRST)
    void randomBytesBehindAMagicAndAValidHeaderDigest(@ForAll("headerish") byte[] p) {
        checkPackageParsers(p, false);
    }

    /** 128+ random bytes with the magic, often format version 1 and a valid header digest. */
    @Provide
    Arbitrary<byte[]> headerish() {
        return Combinators.combine(Arbitraries.integers().between(128, 700), Arbitraries.longs(),
                Arbitraries.of(true, false), Arbitraries.of(true, false)).as((n, seed, version, digest) -> {
                    byte[] b = new byte[n];
                    new Random(seed).nextBytes(b);
                    System.arraycopy("CXLKITFW".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, b, 0, 8);
                    if (version) {
                        b[8] = 1;
                        b[9] = 0;
                        b[0x0A] = (byte) 0x80;
                        b[0x0B] = 0;
                    }
                    if (digest) {
                        fixHeaderDigest(b);
                    }
                    return b;
                });
    }

    private static void checkPackageParsers(byte[] p, boolean unchanged) {
        // PackageHeader.parse: a header or a PackageFormatException; the position moves only on success
        ByteBuffer in = ByteBuffer.wrap(p);
        PackageHeader header = null;
        try {
            header = PackageHeader.parse(in);
            assertThat(in.position()).isEqualTo(PackageHeader.SIZE);
        } catch (PackageFormatException e) {
            assertThat(in.position()).as("position after a failed parse").isZero();
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
        } catch (RuntimeException e) {
            throw new AssertionError("PackageHeader.parse threw an undocumented " + e + " for " + hex(p), e);
        }
        if (header != null) {
            assertThat(PackageHeader.parse(header.encode())).isEqualTo(header);
            assertThat(header.bodyLength()).isBetween(0L, PackageHeader.MAX_BODY_LENGTH);
        }
        // SignatureTrailer.parse, wherever a trailer could start
        int trailerAt = header == null ? Math.max(0, p.length - SignatureTrailer.SIZE)
                : (int) Math.min(p.length, PackageHeader.SIZE + Math.min(header.bodyLength(), p.length));
        try {
            SignatureTrailer.parse(ByteBuffer.wrap(p, trailerAt, p.length - trailerAt));
        } catch (PackageFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        } catch (RuntimeException e) {
            throw new AssertionError("SignatureTrailer.parse threw an undocumented " + e, e);
        }
        // inspect: never throws, bounded memory whatever the header claims, consistent with parse
        PackageInspection i;
        try {
            i = PackageVerifier.inspect(p);
            // every accessor answers
            i.header();
            i.revision();
            i.keyId();
            i.signatureValid();
            i.failure();
            i.factory();
            i.trusted(List.of(SIGNER.getPublic()));
            assertThat(i.toString()).isNotEmpty();
        } catch (RuntimeException e) {
            throw new AssertionError("PackageVerifier.inspect threw " + e + " for " + hex(p), e);
        }
        // one 64 KiB read buffer, digests, a signature check: nothing in proportion to the header's claims
        assertBoundedAllocation("inspect of " + p.length + " bytes", 4 * ALLOCATION_SLACK + 128 * 1024 + 8L * p.length,
                () -> PackageVerifier.inspect(p));
        if (unchanged) {
            assertThat(i.intact()).as("an unmodified package is intact").isTrue();
        }
        if (i.intact()) {
            assertThat(header).as("intact, but PackageHeader.parse refused it").isNotNull();
            assertThat(i.header()).contains(header);
            assertThat((long) p.length).isEqualTo(header.packageLength());
        }
        try {
            String rev = PackageVerifier.revisionOrRaw(p);
            assertThat(PackageHeader.isValidRevision(rev)).isTrue();
            PackageVerifier.revisionIfParsable(p);
        } catch (RuntimeException e) {
            throw new AssertionError("revisionOrRaw threw " + e, e);
        }
    }

    // ------------------------------------------------------------------------------------ the frame decoder

    /**
     * Frames whose length field claims up to 4 GiB and whose CCI header claims up to 2^21 - 1 payload
     * bytes, followed by only a few bytes: the decoder holds no more than its documented bound and
     * allocates nothing in proportion to the claims beyond the EID's limit.
     */
    @Provide
    Arbitrary<byte[]> lyingFrames() {
        return Combinators.combine(
                Arbitraries.of(0L, 13L, 14L, 15L, 1L << 20, FrameFormat.MAX_LENGTH, FrameFormat.MAX_LENGTH + 1,
                        0xFFFF_FFFFL, 2L + 12 + 4096, 2L + 12 + 4097),
                Arbitraries.of(8, 9, 10, 0, 255), Arbitraries.of(8, 8, 7, 0),
                Arbitraries.of(0, 1, 4096, 4097, 0xFFFF, CciHeader.MAX_PAYLOAD_LENGTH),
                Arbitraries.integers().between(0, 200), Arbitraries.longs())
                .as((len, eid, type, payloadLength, tail, seed) -> {
                    byte[] b = new byte[FrameFormat.HEAD_SIZE + tail];
                    new Random(seed).nextBytes(b);
                    ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                    w.putInt(0, (int) (long) len);
                    b[4] = (byte) (int) eid;
                    b[5] = (byte) (int) type;
                    b[6] = (byte) (b[6] & 0xF0); // category 0: a request
                    b[6 + 5] = (byte) (int) payloadLength;
                    b[6 + 6] = (byte) (payloadLength >>> 8);
                    b[6 + 7] = (byte) ((b[6 + 7] & 0xE0) | ((payloadLength >>> 16) & 0x1F));
                    return b;
                });
    }

    @Property(tries = 600, seed = "7220400105", edgeCases = EdgeCasesMode.FIRST)
    void theFrameDecoderNeverBelievesALengthBeyondTheLimit(@ForAll("lyingFrames") byte[] stream,
                                                         @ForAll boolean server) {
        int limit = 4096;
        EndpointLimits limits = server ? EndpointLimits.of(Map.of(8, limit, 9, 256, 10, 0)) : EndpointLimits.acceptAll();
        FrameDecoder d = server ? FrameDecoder.forRequests(limits) : FrameDecoder.forResponses();
        long maxLimit = server ? limit : CciHeader.MAX_PAYLOAD_LENGTH;
        try {
            d.feed(ByteBuffer.wrap(stream));
            d.drain();
        } catch (RuntimeException e) {
            fail("the frame decoder threw " + e, e);
        }
        assertThat(d.bufferedBytes()).isLessThanOrEqualTo(FrameFormat.HEAD_SIZE + maxLimit);
        assertBoundedAllocation("feeding " + stream.length + " bytes", ALLOCATION_SLACK + 8L * stream.length + maxLimit + 64,
                () -> {
                    FrameDecoder again = server ? FrameDecoder.forRequests(limits) : FrameDecoder.forResponses();
                    again.feed(ByteBuffer.wrap(stream));
                    again.drain();
                });
    }

    private static String hex(byte[] b) {
        String h = java.util.HexFormat.of().formatHex(b, 0, Math.min(b.length, 64));
        return b.length + " bytes " + h + (b.length > 64 ? "..." : "");
    }
}
