package io.cxlkit.protocol.payload;

import static io.cxlkit.protocol.Hex.bytes;
import static io.cxlkit.protocol.Hex.zeros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.Hex;
import io.cxlkit.protocol.payload.EventInterruptPolicy.Mode;
import io.cxlkit.protocol.payload.EventInterruptPolicy.Setting;
import io.cxlkit.protocol.payload.HealthInfo.AdditionalStatus;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Event records, Get/Clear Event Records and the event interrupt policy, pinned to r3.1 Tables
 * 8-42, 8-43, 8-47 and 8-52 to 8-56.
 */
class EventPayloadsTest {

    private static final String GM_UUID_BYTES = "FB CD 0A 77 C2 60 41 7F 85 A9 08 8B 16 21 EB A6";
    private static final String MM_UUID_BYTES = "FE 92 74 75 DD 59 43 39 A5 86 79 BA B1 13 B7 74";

    /** A Failure-log General Media record: uncorrectable, poison list overflow, volatile DPA 40001000h. */
    private static final String GM_RECORD = GM_UUID_BYTES + """
            80                          # 10h length
            0A 00 00                    # 11h flags: severity 2 (Failure), bit 3 maintenance needed
            02 01                       # 14h handle 0102h
            00 00                       # 16h related handle
            88 77 66 55 44 33 22 11     # 18h timestamp
            """ + zeros(0x10) + """
                                        # 20h maintenance class and reserved
            01 10 00 40 00 00 00 00     # 30h physical address: DPA 40001000h, bit 0 volatile
            05                          # 38h descriptor: uncorrectable, poison list overflow
            00                          # 39h memory event type: media ECC error
            04                          # 3Ah transaction type: host inject poison
            """ + zeros(0x45);          // 3Bh validity flags and the rest

    private static final GeneralMediaEvent GM = new GeneralMediaEvent(0x40001000L, true,
            GeneralMediaEvent.UNCORRECTABLE | GeneralMediaEvent.POISON_LIST_OVERFLOW,
            GeneralMediaEvent.MEDIA_ECC_ERROR, GeneralMediaEvent.TRANSACTION_HOST_INJECT_POISON);

    private static final EventRecord GM_EVENT = EventRecord.of(GM,
            EventLog.FAILURE.value() | EventRecord.MAINTENANCE_NEEDED, 0x0102, 0, 0x1122334455667788L);

    /** A Warning-log Memory Module record: temperature change, with its health information. */
    private static final String MM_RECORD = MM_UUID_BYTES + """
            80                          # 10h length
            09 00 00                    # 11h flags: severity 1 (Warning), bit 3 maintenance needed
            FF FF                       # 14h handle FFFFh
            01 00                       # 16h related handle 0001h
            00 00 00 00 00 00 00 00     # 18h timestamp
            """ + zeros(0x10) + """
            03                          # 30h device event type: temperature change
            01                          # 31h health status: maintenance needed
            00                          # 32h media status: normal
            19                          # 33h additional status: life used warning, temperature critical, corrected volatile
            2A                          # 34h life used 42
            FB FF                       # 35h temperature -5
            04 03 02 01                 # 37h dirty shutdown count
            FF FF FF FF                 # 3Bh corrected volatile count
            07 00 00 00                 # 3Fh corrected persistent count
            """ + zeros(0x3D);          // 43h reserved

    private static final HealthInfo HEALTH = new HealthInfo(HealthInfo.MAINTENANCE_NEEDED, HealthInfo.MEDIA_NORMAL,
            new AdditionalStatus(AdditionalStatus.WARNING, AdditionalStatus.CRITICAL, true, false), 42, -5,
            0x01020304L, 0xFFFFFFFFL, 7);

    private static final EventRecord MM_EVENT = EventRecord.of(
            new MemoryModuleEvent(MemoryModuleEvent.TEMPERATURE_CHANGE, HEALTH),
            EventLog.WARNING.value() | EventRecord.MAINTENANCE_NEEDED, 0xFFFF, 0x0001, 0);

    @Test
    void sizes() {
        assertThat(EventRecord.SIZE).isEqualTo(0x80);
        assertThat(EventRecord.DATA_OFFSET).isEqualTo(0x30);
        assertThat(EventRecord.DATA_SIZE).isEqualTo(0x50).isEqualTo(EventRecord.SIZE - EventRecord.DATA_OFFSET);
        assertThat(GetEventRecordsRequest.SIZE).isEqualTo(1);
        assertThat(GetEventRecordsResponse.HEADER_SIZE).isEqualTo(0x20);
        assertThat(ClearEventRecordsRequest.HEADER_SIZE).isEqualTo(6);
        assertThat(EventInterruptPolicy.SIZE).isEqualTo(5);
        assertThat(EventInterruptPolicy.MIN_SIZE).isEqualTo(4);
        assertThat(bytes(GM_RECORD)).hasSize(0x80);
        assertThat(bytes(MM_RECORD)).hasSize(0x80);
    }

    @Test
    void recordIdentifiersAreTheSpecsInRfc4122ByteOrder() {
        assertThat(GeneralMediaEvent.IDENTIFIER).isEqualTo(UUID.fromString("fbcd0a77-c260-417f-85a9-088b1621eba6"));
        assertThat(MemoryModuleEvent.IDENTIFIER).isEqualTo(UUID.fromString("fe927475-dd59-4339-a586-79bab113b774"));
        assertThat(Hex.of(GM_EVENT.encode())).startsWith(GM_UUID_BYTES);
        assertThat(Hex.of(MM_EVENT.encode())).startsWith(MM_UUID_BYTES);
    }

    @Test
    void eventLogNumbers() {
        assertThat(EventLog.INFORMATIONAL.value()).isZero();
        assertThat(EventLog.WARNING.value()).isEqualTo(1);
        assertThat(EventLog.FAILURE.value()).isEqualTo(2);
        assertThat(EventLog.FATAL.value()).isEqualTo(3);
        assertThat(EventLog.fromValue(4)).isEmpty();
    }

    @Test
    void generalMediaRecord() {
        byte[] wire = bytes(GM_RECORD);
        assertThat(Hex.of(GM_EVENT.encode())).isEqualTo(Hex.of(wire));
        EventRecord r = EventRecord.decode(ByteBuffer.wrap(wire));
        assertThat(r).isEqualTo(GM_EVENT).hasSameHashCodeAs(GM_EVENT);
        assertThat(r.log()).isEqualTo(EventLog.FAILURE);
        assertThat(r.flags() & EventRecord.MAINTENANCE_NEEDED).isNotZero();
        assertThat(r.generalMedia()).contains(GM);
        assertThat(r.memoryModule()).isEmpty();
        assertThat(Hex.of(GM.encode())).isEqualTo(Hex.of(java.util.Arrays.copyOfRange(wire, 0x30, 0x80)));
    }

    @Test
    void memoryModuleRecordCarriesTheHealthInfoAt31h() {
        byte[] wire = bytes(MM_RECORD);
        assertThat(Hex.of(MM_EVENT.encode())).isEqualTo(Hex.of(wire));
        EventRecord r = EventRecord.decode(ByteBuffer.wrap(wire));
        assertThat(r).isEqualTo(MM_EVENT);
        assertThat(r.log()).isEqualTo(EventLog.WARNING);
        assertThat(r.memoryModule()).contains(new MemoryModuleEvent(MemoryModuleEvent.TEMPERATURE_CHANGE, HEALTH));
        assertThat(r.generalMedia()).isEmpty();
        assertThat(java.util.Arrays.copyOfRange(wire, 0x31, 0x43)).isEqualTo(HEALTH.encode());
    }

    @Test
    void recordIgnoresReservedFlagBitsAndTheBytesAt20h() {
        byte[] wire = bytes(GM_RECORD);
        wire[0x11] = (byte) 0xCA; // bits 7:6 reserved
        wire[0x12] = (byte) 0xFF;
        wire[0x13] = (byte) 0xFF;
        for (int i = 0x20; i < 0x30; i++) {
            wire[i] = (byte) 0xEE;
        }
        assertThat(EventRecord.decode(ByteBuffer.wrap(wire))).isEqualTo(GM_EVENT);
    }

    @Test
    void generalMediaIgnoresReservedAddressAndDescriptorBitsAndTheFieldsFrom3Bh() {
        byte[] data = GM.encode();
        data[0] |= 0x3E;          // physical address bits 5:1
        data[8] |= (byte) 0xF8;   // descriptor bits 7:3
        for (int i = 0x0B; i < data.length; i++) {
            data[i] = (byte) 0x5A;
        }
        assertThat(GeneralMediaEvent.decode(ByteBuffer.wrap(data))).isEqualTo(GM);
    }

    @Test
    void generalMediaDpaIsAlignedAndTheVolatileBitIsBit0() {
        var persistent = new GeneralMediaEvent(0xFFFFFFFFFFFFFFC0L, false, 0, 0, 0);
        assertThat(Hex.of(persistent.encode())).startsWith("C0 FF FF FF FF FF FF FF 00 00 00");
        assertThatThrownBy(() -> new GeneralMediaEvent(0x1001, false, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64-byte aligned");
        assertThatThrownBy(() -> new GeneralMediaEvent(0, false, 8, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRecordOfAnUnknownFormatKeepsItsData() {
        UUID other = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
        byte[] data = new byte[0x50];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        var r = new EventRecord(other, 3, 1, 2, -1L, data);
        data[0] = 99; // the record holds a copy
        EventRecord back = EventRecord.decode(ByteBuffer.wrap(r.encode()));
        assertThat(back).isEqualTo(r);
        assertThat(back.data()[0]).isZero();
        assertThat(back.log()).isEqualTo(EventLog.FATAL);
        assertThat(back.generalMedia()).isEmpty();
        assertThat(back.memoryModule()).isEmpty();
    }

    @Test
    void aRecordLengthOtherThan80hIsMalformed() {
        byte[] wire = bytes(GM_RECORD);
        wire[0x10] = 0x40;
        assertThatThrownBy(() -> EventRecord.decode(ByteBuffer.wrap(wire)))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("40h").hasMessageContaining("80h");
    }

    @Test
    void recordRejectsFieldsThatDoNotFit() {
        byte[] data = new byte[0x50];
        assertThatThrownBy(() -> new EventRecord(GeneralMediaEvent.IDENTIFIER, 0x40, 0, 0, 0, data))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventRecord(GeneralMediaEvent.IDENTIFIER, 0, 0x10000, 0, 0, data))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventRecord(GeneralMediaEvent.IDENTIFIER, 0, 0, 0, 0, new byte[0x4F]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("80");
    }

    @Test
    void shortRecordIsMalformed() {
        assertThatThrownBy(() -> EventRecord.decode(ByteBuffer.wrap(new byte[0x7F])))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Event record needs 128 bytes, got 127");
    }

    // ------------------------------------------------------------------ Get Event Records

    @Test
    void getEventRecordsRequest() {
        assertThat(Hex.of(GetEventRecordsRequest.of(EventLog.FATAL).encode())).isEqualTo("03");
        var unknown = GetEventRecordsRequest.decode(ByteBuffer.wrap(bytes("04")));
        assertThat(unknown.log()).isEqualTo(4);
        assertThat(unknown.knownLog()).isEmpty();
        assertThat(GetEventRecordsRequest.decode(ByteBuffer.wrap(bytes("01"))).knownLog()).contains(EventLog.WARNING);
        assertThatThrownBy(() -> GetEventRecordsRequest.decode(ByteBuffer.allocate(0)))
                .isInstanceOf(MalformedPayloadException.class).hasMessage("Get Event Records input needs 1 bytes, got 0");
    }

    @Test
    void getEventRecordsResponse() {
        var out = new GetEventRecordsResponse(true, true, 3, 0x0102030405060708L, 0x1112131415161718L,
                List.of(GM_EVENT, MM_EVENT));
        byte[] wire = bytes("""
                03                          # 00h flags: overflow, more
                00                          # 01h reserved
                03 00                       # 02h overflow error count
                08 07 06 05 04 03 02 01     # 04h first overflow timestamp
                18 17 16 15 14 13 12 11     # 0Ch last overflow timestamp
                02 00                       # 14h record count
                """ + zeros(0x0A) + GM_RECORD + MM_RECORD);
        assertThat(out.size()).isEqualTo(0x20 + 2 * 0x80).isEqualTo(wire.length);
        assertThat(Hex.of(out.encode())).isEqualTo(Hex.of(wire));
        assertThat(GetEventRecordsResponse.decode(ByteBuffer.wrap(wire))).isEqualTo(out);
    }

    @Test
    void getEventRecordsResponseIgnoresReservedBitsAndReadsOnlyWhatItAnnounces() {
        byte[] wire = bytes("FD | FF | 00 00 | " + zeros(16) + "| 01 00 |" + "FF".repeat(0x0A) + GM_RECORD + "EE EE");
        ByteBuffer in = ByteBuffer.wrap(wire);
        assertThat(GetEventRecordsResponse.decode(in))
                .isEqualTo(new GetEventRecordsResponse(true, false, 0, 0, 0, List.of(GM_EVENT)));
        assertThat(in.remaining()).isEqualTo(2);
    }

    @Test
    void emptyGetEventRecordsResponse() {
        var none = GetEventRecordsResponse.of(false, List.of());
        assertThat(Hex.of(none.encode())).isEqualTo(Hex.of(new byte[0x20]));
        assertThat(GetEventRecordsResponse.decode(ByteBuffer.wrap(new byte[0x20]))).isEqualTo(none);
    }

    @Test
    void getEventRecordsResponseAnnouncingMoreRecordsThanPresentIsMalformed() {
        byte[] wire = bytes("00 00 00 00 |" + zeros(16) + "| 02 00 |" + zeros(0x0A) + GM_RECORD);
        ByteBuffer in = ByteBuffer.wrap(wire);
        assertThatThrownBy(() -> GetEventRecordsResponse.decode(in))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Get Event Records output with 2 records needs 288 bytes, got 160");
        assertThat(in.position()).isZero();
    }

    @Test
    void recordsFittingAnOutputLimit() {
        assertThat(GetEventRecordsResponse.recordsFitting(0x1F)).isZero();
        assertThat(GetEventRecordsResponse.recordsFitting(0x9F)).isZero();
        assertThat(GetEventRecordsResponse.recordsFitting(0xA0)).isEqualTo(1);
        assertThat(GetEventRecordsResponse.recordsFitting(256)).isEqualTo(1);
        assertThat(GetEventRecordsResponse.recordsFitting(1 << 20)).isEqualTo(8191);
        assertThat(GetEventRecordsResponse.sizeFor(8191)).isLessThanOrEqualTo(1 << 20);
    }

    @Test
    void getEventRecordsResponseRejectsFieldsThatDoNotFit() {
        assertThatThrownBy(() -> new GetEventRecordsResponse(true, false, 0x10000, 0, 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ Clear Event Records

    @Test
    void clearEventRecordsByHandle() {
        var r = ClearEventRecordsRequest.handles(EventLog.WARNING, List.of(1, 2, 0xFFFF));
        byte[] wire = bytes("""
                01              # 00h log
                00              # 01h flags
                03              # 02h number of handles
                00 00 00        # 03h reserved
                01 00 02 00 FF FF   # 06h handles
                """);
        assertThat(r.size()).isEqualTo(6 + 2 * 3).isEqualTo(wire.length);
        assertThat(Hex.of(r.encode())).isEqualTo(Hex.of(wire));
        ByteBuffer in = ByteBuffer.wrap(wire);
        assertThat(ClearEventRecordsRequest.decode(in)).isEqualTo(r);
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void clearAll() {
        var r = ClearEventRecordsRequest.clearAll(EventLog.FATAL);
        assertThat(Hex.of(r.encode())).isEqualTo("03 01 00 00 00 00");
        assertThat(ClearEventRecordsRequest.decode(ByteBuffer.wrap(bytes("03 FF 00 EE EE EE")))).isEqualTo(r);
        assertThat(ClearEventRecordsRequest.decode(ByteBuffer.wrap(bytes("00 FE 00 00 00 00"))))
                .isEqualTo(ClearEventRecordsRequest.handles(EventLog.INFORMATIONAL, List.of()));
    }

    @Test
    void clearEventRecordsCarriesWhatTheDeviceMustRefuse() {
        // log 04h, and Clear All with a handle: the device answers 0002h, so the codec must decode them
        var r = ClearEventRecordsRequest.decode(ByteBuffer.wrap(bytes("04 01 01 00 00 00 05 00")));
        assertThat(r).isEqualTo(new ClearEventRecordsRequest(4, true, List.of(5)));
        assertThat(r.knownLog()).isEmpty();
    }

    @Test
    void clearEventRecordsLengthMustBeExactly6Plus2N() {
        String three = "01 00 03 00 00 00 01 00 02 00 03 00";
        assertThatThrownBy(() -> ClearEventRecordsRequest.decode(ByteBuffer.wrap(bytes(three + "00"))))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Clear Event Records input with 3 handles is 12 bytes, got 13");
        ByteBuffer cut = ByteBuffer.wrap(bytes(three.substring(0, three.length() - 3)));
        assertThatThrownBy(() -> ClearEventRecordsRequest.decode(cut))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Clear Event Records input with 3 handles is 12 bytes, got 11");
        assertThat(cut.position()).isZero();
        assertThatThrownBy(() -> ClearEventRecordsRequest.decode(ByteBuffer.wrap(bytes("01 00 00 00 00"))))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Clear Event Records input needs 6 bytes, got 5");
        assertThatThrownBy(() -> ClearEventRecordsRequest.decode(ByteBuffer.wrap(bytes("01 00 00 00 00 00 01 00"))))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Clear Event Records input with 0 handles is 6 bytes, got 8");
    }

    @Test
    void clearEventRecordsRejectsFieldsThatDoNotFit() {
        assertThatThrownBy(() -> new ClearEventRecordsRequest(0, false, java.util.Collections.nCopies(256, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClearEventRecordsRequest(0, false, List.of(0x10000)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClearEventRecordsRequest(0x100, false, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ Event Interrupt Policy

    private static final EventInterruptPolicy POLICY = new EventInterruptPolicy(Setting.of(Mode.MSI, 1),
            Setting.of(Mode.FW_INTERRUPT, 5), Setting.NONE, Setting.of(Mode.MSI, 15));

    @Test
    void eventInterruptPolicy() {
        assertThat(Hex.of(POLICY.encode())).isEqualTo("11 52 00 F1 00");
        assertThat(EventInterruptPolicy.decode(ByteBuffer.wrap(bytes("11 52 00 F1 00")))).isEqualTo(POLICY);
        assertThat(POLICY.setting(EventLog.WARNING)).isEqualTo(new Setting(2, 5));
        assertThat(POLICY.setting(EventLog.FATAL).knownMode()).contains(Mode.MSI);
        assertThat(Hex.of(EventInterruptPolicy.NONE.encode())).isEqualTo("00 00 00 00 00");
    }

    @Test
    void eventInterruptPolicyTakes4Or5BytesAndIgnoresTheDynamicCapacityByteAndReservedBits() {
        ByteBuffer four = ByteBuffer.wrap(bytes("1D 5E 0C F1"));
        assertThat(EventInterruptPolicy.decode(four)).isEqualTo(POLICY);
        assertThat(four.hasRemaining()).isFalse();
        ByteBuffer five = ByteBuffer.wrap(bytes("11 52 00 F1 33"));
        assertThat(EventInterruptPolicy.decode(five)).isEqualTo(POLICY);
        assertThat(five.hasRemaining()).isFalse();
    }

    @Test
    void eventInterruptPolicyCarriesTheReservedMode11b() {
        var p = EventInterruptPolicy.decode(ByteBuffer.wrap(bytes("03 00 00 00")));
        assertThat(p.informational().mode()).isEqualTo(3);
        assertThat(p.informational().knownMode()).isEmpty();
        assertThat(Hex.of(p.encode())).isEqualTo("03 00 00 00 00");
    }

    @Test
    void eventInterruptPolicyOfAnotherLengthIsMalformed() {
        ByteBuffer three = ByteBuffer.wrap(bytes("00 00 00"));
        assertThatThrownBy(() -> EventInterruptPolicy.decode(three))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Event Interrupt Policy is 4 or 5 bytes, got 3");
        assertThat(three.position()).isZero();
        assertThatThrownBy(() -> EventInterruptPolicy.decode(ByteBuffer.wrap(new byte[6])))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Event Interrupt Policy is 4 or 5 bytes, got 6");
    }

    @Test
    void interruptSettingRejectsFieldsThatDoNotFit() {
        assertThatThrownBy(() -> new Setting(4, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Setting(0, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Mode.fromValue(3)).isEmpty();
    }
}
