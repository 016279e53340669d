package io.cxlkit.protocol.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.payload.EventInterruptPolicy.Setting;
import io.cxlkit.protocol.payload.HealthInfo.AdditionalStatus;
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

/**
 * The memory-device payloads (events, log capabilities, partitions, LSA, health, alerts, shutdown
 * state, poison, scan media, security state): decode(encode(x)) == x over the full field ranges,
 * and what decoders do with input of the wrong length.
 */
class MemdevPayloadPropertiesTest {

    // ---------------------------------------------------------------- round trips

    @Property
    void healthInfo(@ForAll("health") HealthInfo v) {
        byte[] wire = v.encode();
        assertThat(wire).hasSize(HealthInfo.SIZE);
        assertThat(HealthInfo.decode(ByteBuffer.wrap(wire))).isEqualTo(v);
    }

    @Property
    void generalMedia(@ForAll("generalMedia") GeneralMediaEvent v) {
        byte[] wire = v.encode();
        assertThat(wire).hasSize(EventRecord.DATA_SIZE);
        assertThat(GeneralMediaEvent.decode(ByteBuffer.wrap(wire))).isEqualTo(v);
    }

    @Property
    void memoryModule(@ForAll @IntRange(max = 0xFF) int type, @ForAll("health") HealthInfo health) {
        var v = new MemoryModuleEvent(type, health);
        assertThat(MemoryModuleEvent.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    @Property
    void eventRecord(@ForAll("records") EventRecord v) {
        byte[] wire = v.encode();
        assertThat(wire).hasSize(EventRecord.SIZE);
        assertThat(wire[0x10]).isEqualTo((byte) 0x80);
        EventRecord back = EventRecord.decode(ByteBuffer.wrap(wire));
        assertThat(back).isEqualTo(v).hasSameHashCodeAs(v);
        assertThat(back.generalMedia().isPresent()).isEqualTo(v.identifier().equals(GeneralMediaEvent.IDENTIFIER));
        assertThat(back.memoryModule().isPresent()).isEqualTo(v.identifier().equals(MemoryModuleEvent.IDENTIFIER));
    }

    @Property
    void getEventRecordsRequest(@ForAll @IntRange(max = 0xFF) int log) {
        var v = new GetEventRecordsRequest(log);
        assertThat(GetEventRecordsRequest.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    @Property(tries = 200)
    void getEventRecordsResponse(@ForAll boolean overflow, @ForAll boolean more,
                                 @ForAll @IntRange(max = 0xFFFF) int count, @ForAll long first, @ForAll long last,
                                 @ForAll @Size(max = 12) List<@From("records") EventRecord> records) {
        var v = new GetEventRecordsResponse(overflow, more, count, first, last, records);
        byte[] wire = v.encode();
        assertThat(wire).hasSize(v.size()).hasSize(0x20 + 0x80 * records.size());
        assertThat(GetEventRecordsResponse.decode(ByteBuffer.wrap(wire))).isEqualTo(v);
    }

    @Property
    void clearEventRecords(@ForAll @IntRange(max = 0xFF) int log, @ForAll boolean all,
                           @ForAll @Size(max = 0xFF) List<@IntRange(max = 0xFFFF) Integer> handles) {
        var v = new ClearEventRecordsRequest(log, all, handles);
        byte[] wire = v.encode();
        assertThat(wire).hasSize(6 + 2 * handles.size());
        ByteBuffer in = ByteBuffer.wrap(wire);
        assertThat(ClearEventRecordsRequest.decode(in)).isEqualTo(v);
        assertThat(in.hasRemaining()).isFalse();
    }

    @Property
    void clearEventRecordsOfAnyOtherLengthIsMalformed(@ForAll @Size(max = 20) List<@IntRange(max = 0xFFFF) Integer> handles,
                                                      @ForAll @IntRange(min = -30, max = 30) int delta) {
        byte[] wire = new ClearEventRecordsRequest(1, false, handles).encode();
        int length = wire.length + delta;
        if (delta == 0 || length < 0) {
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(Arrays.copyOf(wire, length));
        assertThatThrownBy(() -> ClearEventRecordsRequest.decode(in))
                .isExactlyInstanceOf(MalformedPayloadException.class)
                .hasMessageStartingWith("Clear Event Records input")
                .hasMessageEndingWith("got " + length);
        assertThat(in.position()).isZero();
    }

    @Property
    void eventInterruptPolicy(@ForAll("settings") Setting info, @ForAll("settings") Setting warning,
                              @ForAll("settings") Setting failure, @ForAll("settings") Setting fatal,
                              @ForAll boolean fourBytes) {
        var v = new EventInterruptPolicy(info, warning, failure, fatal);
        byte[] wire = v.encode();
        assertThat(wire).hasSize(5);
        assertThat(wire[4]).isZero();
        byte[] in = fourBytes ? Arrays.copyOf(wire, 4) : wire;
        assertThat(EventInterruptPolicy.decode(ByteBuffer.wrap(in))).isEqualTo(v);
    }

    @Property
    void logIdRequest(@ForAll("uuids") UUID id) {
        var v = new LogIdRequest(id);
        assertThat(LogIdRequest.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    @Property
    void logCapabilities(@ForAll @IntRange(max = 0xF) int flags, @ForAll @IntRange(max = 0x0FFFFFFF) int reserved) {
        var v = LogCapabilities.fromFlags(flags);
        assertThat(v.flags()).isEqualTo(flags);
        assertThat(LogCapabilities.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
        ByteBuffer noisy = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, flags | reserved << 4);
        assertThat(LogCapabilities.decode(noisy)).isEqualTo(v);
    }

    @Property
    void partitionInfo(@ForAll long av, @ForAll long ap, @ForAll long nv, @ForAll long np) {
        var v = new PartitionInfo(av, ap, nv, np);
        assertThat(PartitionInfo.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    @Property
    void setPartitionInfo(@ForAll long capacity, @ForAll boolean immediate, @ForAll boolean linuxSize,
                          @ForAll byte tenth) {
        var v = new SetPartitionInfoRequest(capacity, immediate);
        byte[] wire = v.encode();
        assertThat(wire).hasSize(9);
        if (linuxSize) {
            wire = Arrays.copyOf(wire, 10);
            wire[9] = tenth;
        }
        assertThat(SetPartitionInfoRequest.decode(ByteBuffer.wrap(wire))).isEqualTo(v);
    }

    @Property
    void getLsa(@ForAll @LongRange(max = 0xFFFFFFFFL) long offset, @ForAll @LongRange(max = 0xFFFFFFFFL) long length) {
        var v = new GetLsaRequest(offset, length);
        assertThat(GetLsaRequest.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    @Property(tries = 300)
    void setLsa(@ForAll @LongRange(max = 0xFFFFFFFFL) long offset, @ForAll @Size(max = 600) byte[] data) {
        var v = new SetLsaRequest(offset, ByteBuffer.wrap(data));
        byte[] wire = v.encode();
        assertThat(wire).hasSize(8 + data.length);
        assertThat(SetLsaRequest.decode(ByteBuffer.wrap(wire))).isEqualTo(v).hasSameHashCodeAs(v);
    }

    @Property
    void alertConfig(@ForAll @IntRange(max = 0x1F) int valid, @ForAll @IntRange(max = 0x1F) int programmable,
                     @ForAll @IntRange(max = 0xFF) int lifeCritical, @ForAll @IntRange(max = 0xFF) int lifeWarning,
                     @ForAll short overCritical, @ForAll short underCritical, @ForAll short overWarning,
                     @ForAll short underWarning, @ForAll @IntRange(max = 0xFFFF) int volatileWarning,
                     @ForAll @IntRange(max = 0xFFFF) int persistentWarning) {
        var v = new AlertConfig(valid, programmable, lifeCritical, lifeWarning, overCritical, underCritical,
                overWarning, underWarning, volatileWarning, persistentWarning);
        assertThat(AlertConfig.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    @Property
    void setAlertConfig(@ForAll @IntRange(max = 0x1F) int valid, @ForAll @IntRange(max = 0x1F) int enable,
                        @ForAll @IntRange(max = 0xFF) int lifeWarning, @ForAll short overWarning,
                        @ForAll short underWarning, @ForAll @IntRange(max = 0xFFFF) int volatileWarning,
                        @ForAll @IntRange(max = 0xFFFF) int persistentWarning) {
        var v = new SetAlertConfigRequest(valid, enable, lifeWarning, overWarning, underWarning, volatileWarning,
                persistentWarning);
        assertThat(SetAlertConfigRequest.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    @Property
    void shutdownState(@ForAll boolean dirty) {
        var v = new ShutdownState(dirty);
        assertThat(ShutdownState.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
    }

    // ---------------------------------------------------------------- media, poison and security

    @Provide
    Arbitrary<Long> dpas() {
        return Arbitraries.longs().map(l -> l & -64L);
    }

    @Provide
    Arbitrary<MediaErrorRecord> mediaErrors() {
        return Combinators.combine(dpas(), Arbitraries.of(PoisonSource.class),
                Arbitraries.longs().between(0, 0xFFFFFFFFL)).as(MediaErrorRecord::new);
    }

    @Property
    void getPoisonListRequest(@ForAll boolean restart, @ForAll("dpas") long dpa, @ForAll long length) {
        var v = new GetPoisonListRequest(restart, new DpaRange(dpa, length));
        byte[] wire = v.encode();
        assertThat(wire).hasSize(GetPoisonListRequest.SIZE);
        assertThat(GetPoisonListRequest.decode(ByteBuffer.wrap(wire))).isEqualTo(v);
        assertThat(DpaRange.decode(ByteBuffer.wrap(wire))).isEqualTo(v.range());
        assertThat(DpaRange.decode(ByteBuffer.wrap(v.range().encode()))).isEqualTo(v.range());
    }

    @Property
    void dpaInputsIgnoreBits5To0(@ForAll("dpas") long dpa, @ForAll @IntRange(max = 0x3F) int low) {
        byte[] wire = new InjectPoisonRequest(dpa).encode();
        wire[0] |= (byte) low;
        assertThat(InjectPoisonRequest.decode(ByteBuffer.wrap(wire)).dpa()).isEqualTo(dpa);
        byte[] range = new DpaRange(dpa, 1).encode();
        range[0] |= (byte) low;
        assertThat(DpaRange.decode(ByteBuffer.wrap(range)).dpa()).isEqualTo(dpa);
    }

    @Property
    void mediaErrorRecord(@ForAll("mediaErrors") MediaErrorRecord v) {
        byte[] wire = v.encode();
        assertThat(wire).hasSize(MediaErrorRecord.SIZE);
        assertThat(wire[0] & 7).isEqualTo(v.source().code());
        assertThat(MediaErrorRecord.decode(ByteBuffer.wrap(wire))).isEqualTo(v);
    }

    @Property(tries = 200)
    void getPoisonListResponse(@ForAll boolean more, @ForAll boolean overflow, @ForAll boolean scanning,
                               @ForAll boolean restartAck, @ForAll long timestamp,
                               @ForAll @Size(max = 20) List<@From("mediaErrors") MediaErrorRecord> records) {
        var v = new GetPoisonListResponse(more, overflow, scanning, restartAck, timestamp, records);
        byte[] wire = v.encode();
        assertThat(wire).hasSize(0x20 + 0x10 * records.size());
        assertThat(GetPoisonListResponse.decode(ByteBuffer.wrap(wire))).isEqualTo(v);
        assertThat(MediaErrorList.recordsFitting(wire.length)).isEqualTo(records.size());
        assertThat(MediaErrorList.recordsFitting(wire.length - 1)).isEqualTo(Math.max(0, records.size() - 1));
    }

    @Property(tries = 200)
    void getScanMediaResultsResponse(@ForAll("dpas") long dpa, @ForAll long length, @ForAll boolean more,
                                     @ForAll boolean stopped,
                                     @ForAll @Size(max = 20) List<@From("mediaErrors") MediaErrorRecord> records) {
        var v = new GetScanMediaResultsResponse(new DpaRange(dpa, length), more, stopped, records);
        byte[] wire = v.encode();
        assertThat(wire).hasSize(0x20 + 0x10 * records.size());
        assertThat(GetScanMediaResultsResponse.decode(ByteBuffer.wrap(wire))).isEqualTo(v);
        assertThat(MediaErrorList.recordsFitting(wire.length)).isEqualTo(records.size());
    }

    @Property
    void injectAndClearPoison(@ForAll("dpas") long dpa, @ForAll @Size(64) byte[] data) {
        var inject = new InjectPoisonRequest(dpa);
        assertThat(InjectPoisonRequest.decode(ByteBuffer.wrap(inject.encode()))).isEqualTo(inject);
        var clear = ClearPoisonRequest.of(dpa, data);
        byte[] wire = clear.encode();
        assertThat(wire).hasSize(ClearPoisonRequest.SIZE);
        assertThat(Arrays.copyOfRange(wire, 8, 0x48)).isEqualTo(data);
        assertThat(ClearPoisonRequest.decode(ByteBuffer.wrap(wire))).isEqualTo(clear);
    }

    @Property
    void scanMedia(@ForAll("dpas") long dpa, @ForAll long length, @ForAll boolean noEventLog,
                   @ForAll @LongRange(max = 0xFFFFFFFFL) long ms) {
        var v = new ScanMediaRequest(new DpaRange(dpa, length), noEventLog);
        byte[] wire = v.encode();
        assertThat(wire).hasSize(ScanMediaRequest.SIZE);
        assertThat(ScanMediaRequest.decode(ByteBuffer.wrap(wire))).isEqualTo(v);
        var caps = new ScanMediaCapabilities(ms);
        assertThat(ScanMediaCapabilities.decode(ByteBuffer.wrap(caps.encode()))).isEqualTo(caps);
    }

    @Property
    void securityState(@ForAll @IntRange(max = 0x3F) int bits, @ForAll int reserved) {
        var v = SecurityState.fromBits(bits);
        assertThat(v.bits()).isEqualTo(bits);
        assertThat(SecurityState.decode(ByteBuffer.wrap(v.encode()))).isEqualTo(v);
        byte[] wire = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(bits | (reserved & ~0x3F))
                .array();
        assertThat(SecurityState.decode(ByteBuffer.wrap(wire))).isEqualTo(v);
    }

    // ---------------------------------------------------------------- wrong lengths

    /** A fixed-layout decoder: its payload's name as messages give it, its function, its size. */
    record Fixed(String name, Function<ByteBuffer, Object> decode, int size) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Fixed> FIXED = List.of(
            new Fixed("Get Event Records input", GetEventRecordsRequest::decode, GetEventRecordsRequest.SIZE),
            new Fixed("Event record", EventRecord::decode, EventRecord.SIZE),
            new Fixed("General Media event record data", GeneralMediaEvent::decode, EventRecord.DATA_SIZE),
            new Fixed("Memory Module event record data", MemoryModuleEvent::decode, EventRecord.DATA_SIZE),
            new Fixed("Log UUID input", LogIdRequest::decode, LogIdRequest.SIZE),
            new Fixed("Get Log Capabilities output", LogCapabilities::decode, LogCapabilities.SIZE),
            new Fixed("Get Partition Info output", PartitionInfo::decode, PartitionInfo.SIZE),
            new Fixed("Get LSA input", GetLsaRequest::decode, GetLsaRequest.SIZE),
            new Fixed("Get Health Info output", HealthInfo::decode, HealthInfo.SIZE),
            new Fixed("Get Alert Configuration output", AlertConfig::decode, AlertConfig.SIZE),
            new Fixed("Set Alert Configuration input", SetAlertConfigRequest::decode, SetAlertConfigRequest.SIZE),
            new Fixed("Shutdown State", ShutdownState::decode, ShutdownState.SIZE),
            new Fixed("DPA range", DpaRange::decode, DpaRange.SIZE),
            new Fixed("Get Poison List input", GetPoisonListRequest::decode, GetPoisonListRequest.SIZE),
            new Fixed("Media error record", MediaErrorRecord::decode, MediaErrorRecord.SIZE),
            new Fixed("Inject Poison input", InjectPoisonRequest::decode, InjectPoisonRequest.SIZE),
            new Fixed("Clear Poison input", ClearPoisonRequest::decode, ClearPoisonRequest.SIZE),
            new Fixed("Get Scan Media Capabilities output", ScanMediaCapabilities::decode, ScanMediaCapabilities.SIZE),
            new Fixed("Scan Media input", ScanMediaRequest::decode, ScanMediaRequest.SIZE),
            new Fixed("Get Security State output", SecurityState::decode, SecurityState.SIZE),
            // the shortest inputs of the variable-length layouts
            new Fixed("Get Event Records output", GetEventRecordsResponse::decode, GetEventRecordsResponse.HEADER_SIZE),
            new Fixed("Clear Event Records input", ClearEventRecordsRequest::decode,
                    ClearEventRecordsRequest.HEADER_SIZE),
            new Fixed("Set LSA input", SetLsaRequest::decode, SetLsaRequest.HEADER_SIZE),
            new Fixed("Get Poison List output", GetPoisonListResponse::decode, MediaErrorList.HEADER_SIZE),
            new Fixed("Get Scan Media Results output", GetScanMediaResultsResponse::decode,
                    MediaErrorList.HEADER_SIZE));

    @Provide
    Arbitrary<Fixed> fixed() {
        return Arbitraries.of(FIXED);
    }

    @Property
    void inputShorterThanTheLayoutIsMalformedNamingPayloadAndLengths(@ForAll("fixed") Fixed decoder,
                                                                     @ForAll @Size(max = 0x80) byte[] bytes) {
        byte[] shortInput = Arrays.copyOf(bytes, Math.min(bytes.length, decoder.size() - 1));
        ByteBuffer in = ByteBuffer.wrap(shortInput);
        assertThatThrownBy(() -> decoder.decode().apply(in))
                .as(decoder.name() + " on " + shortInput.length + " bytes")
                .isExactlyInstanceOf(MalformedPayloadException.class)
                .hasMessage(decoder.name() + " needs " + decoder.size() + " bytes, got " + shortInput.length);
        assertThat(in.position()).as("a failed decode leaves the input where it was").isZero();
    }

    @Property
    void rangedInputsOfAnotherLengthAreMalformed(@ForAll @IntRange(max = 40) int length) {
        ByteBuffer policy = ByteBuffer.allocate(length);
        if (length == 4 || length == 5) {
            assertThat(EventInterruptPolicy.decode(policy)).isEqualTo(EventInterruptPolicy.NONE);
        } else {
            assertThatThrownBy(() -> EventInterruptPolicy.decode(policy))
                    .isExactlyInstanceOf(MalformedPayloadException.class)
                    .hasMessage("Event Interrupt Policy is 4 or 5 bytes, got " + length);
            assertThat(policy.position()).isZero();
        }
        ByteBuffer partition = ByteBuffer.allocate(length);
        if (length == 9 || length == 10) {
            assertThat(SetPartitionInfoRequest.decode(partition)).isEqualTo(new SetPartitionInfoRequest(0, false));
        } else {
            assertThatThrownBy(() -> SetPartitionInfoRequest.decode(partition))
                    .isExactlyInstanceOf(MalformedPayloadException.class)
                    .hasMessage("Set Partition Info input is 9 or 10 bytes, got " + length);
            assertThat(partition.position()).isZero();
        }
    }

    // ---------------------------------------------------------------- arbitraries

    @Provide
    Arbitrary<UUID> uuids() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
    }

    @Provide
    Arbitrary<HealthInfo> health() {
        Arbitrary<AdditionalStatus> additional = Arbitraries.integers().between(0, 0x3F).map(AdditionalStatus::fromBits);
        Arbitrary<Long> u32 = Arbitraries.longs().between(0, 0xFFFFFFFFL);
        return Combinators.combine(Arbitraries.integers().between(0, 0xF), Arbitraries.integers().between(0, 0xFF),
                additional, Arbitraries.integers().between(0, 0xFF),
                Arbitraries.integers().between(Short.MIN_VALUE, Short.MAX_VALUE), u32, u32, u32)
                .as(HealthInfo::new);
    }

    @Provide
    Arbitrary<GeneralMediaEvent> generalMedia() {
        return Combinators.combine(Arbitraries.longs().map(a -> a & ~0x3FL), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 0xFF),
                Arbitraries.integers().between(0, 0xFF)).as(GeneralMediaEvent::new);
    }

    @Provide
    Arbitrary<Setting> settings() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 15))
                .as(Setting::new);
    }

    @Provide
    Arbitrary<EventRecord> records() {
        Arbitrary<Integer> flags = Arbitraries.integers().between(0, 0x3F);
        Arbitrary<Integer> handles = Arbitraries.integers().between(0, 0xFFFF);
        Arbitrary<EventRecordData> bodies = Arbitraries.oneOf(generalMedia().map(g -> (EventRecordData) g),
                Combinators.combine(Arbitraries.integers().between(0, 0xFF), health()).as(MemoryModuleEvent::new));
        Arbitrary<EventRecord> known = Combinators.combine(bodies, flags, handles, handles, Arbitraries.longs())
                .as(EventRecord::of);
        Arbitrary<EventRecord> unknown = Combinators.combine(uuids(), flags, handles, handles, Arbitraries.longs(),
                Arbitraries.bytes().array(byte[].class).ofSize(EventRecord.DATA_SIZE)).as(EventRecord::new);
        return Arbitraries.oneOf(known, unknown);
    }
}
