package io.cxlkit.protocol.payload;

import static io.cxlkit.protocol.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.CelEffect;
import io.cxlkit.protocol.CelEffects;
import io.cxlkit.protocol.Hex;
import io.cxlkit.protocol.Opcode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Get Supported Logs, Sub-List, Get Log and CEL entries, pinned to reference.md §4. */
class LogPayloadsTest {

    /** The CEL UUID in RFC 4122 byte order, as the kernel's uuid_t stores it. */
    private static final String CEL_UUID_BYTES = "0D A9 C0 B5 BF 41 4B 78 8F 79 96 B1 62 3B 3F 17";
    private static final UUID OTHER = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
    private static final String OTHER_BYTES = "00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF";

    @Test
    void sizes() {
        assertThat(SupportedLogEntry.ENTRY_SIZE).isEqualTo(0x14);
        assertThat(SupportedLogs.HEADER_SIZE).isEqualTo(8);
        assertThat(SupportedLogsSubList.HEADER_SIZE).isEqualTo(8);
        assertThat(SupportedLogsSubListRequest.SIZE).isEqualTo(2);
        assertThat(GetLogRequest.SIZE).isEqualTo(0x18);
        assertThat(CelEntry.SIZE).isEqualTo(4);
    }

    @Test
    void celUuid() {
        assertThat(LogIds.CEL_UUID).isEqualTo(UUID.fromString("0da9c0b5-bf41-4b78-8f79-96b1623b3f17"));
    }

    @Test
    void supportedLogEntry() {
        var e = new SupportedLogEntry(LogIds.CEL_UUID, 0x38);
        byte[] wire = bytes(CEL_UUID_BYTES + "| 38 00 00 00");
        assertThat(Hex.of(e.encode())).isEqualTo(Hex.of(wire));
        assertThat(SupportedLogEntry.decode(ByteBuffer.wrap(wire))).isEqualTo(e);
    }

    @Test
    void supportedLogEntrySizeIsUnsigned() {
        var e = new SupportedLogEntry(OTHER, 0xFFFFFFFFL);
        byte[] wire = bytes(OTHER_BYTES + "| FF FF FF FF");
        assertThat(Hex.of(e.encode())).isEqualTo(Hex.of(wire));
        assertThat(SupportedLogEntry.decode(ByteBuffer.wrap(wire))).isEqualTo(e);
        assertThatThrownBy(() -> new SupportedLogEntry(OTHER, 1L << 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void supportedLogsWithTheCel() {
        var logs = new SupportedLogs(List.of(new SupportedLogEntry(LogIds.CEL_UUID, 0x38)));
        byte[] wire = bytes("01 00 | 00 00 00 00 00 00 |" + CEL_UUID_BYTES + "| 38 00 00 00");
        assertThat(logs.size()).isEqualTo(0x1C).isEqualTo(wire.length);
        assertThat(Hex.of(logs.encode())).isEqualTo(Hex.of(wire));
        assertThat(SupportedLogs.decode(ByteBuffer.wrap(wire))).isEqualTo(logs);
    }

    @Test
    void supportedLogsWithTwoEntriesAndReservedBytesSet() {
        var logs = new SupportedLogs(List.of(new SupportedLogEntry(LogIds.CEL_UUID, 0x24),
                new SupportedLogEntry(OTHER, 0x00010203)));
        String entries = CEL_UUID_BYTES + "| 24 00 00 00 |" + OTHER_BYTES + "| 03 02 01 00";
        assertThat(Hex.of(logs.encode())).isEqualTo(Hex.of(bytes("02 00 | 00 00 00 00 00 00 |" + entries)));
        ByteBuffer in = ByteBuffer.wrap(bytes("02 00 | FF FF FF FF FF FF |" + entries + "| EE"));
        assertThat(SupportedLogs.decode(in)).isEqualTo(logs);
        assertThat(in.remaining()).isEqualTo(1);
    }

    @Test
    void supportedLogsEmpty() {
        assertThat(Hex.of(new SupportedLogs(List.of()).encode())).isEqualTo("00 00 00 00 00 00 00 00");
    }

    @Test
    void supportedLogsAnnouncingMoreEntriesThanPresentIsMalformed() {
        byte[] wire = bytes("02 00 00 00 00 00 00 00" + CEL_UUID_BYTES + "38 00 00 00");
        assertThatThrownBy(() -> SupportedLogs.decode(ByteBuffer.wrap(wire)))
                .isInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void subListRequest() {
        var r = new SupportedLogsSubListRequest(5, 1);
        assertThat(Hex.of(r.encode())).isEqualTo("05 01");
        assertThat(SupportedLogsSubListRequest.decode(ByteBuffer.wrap(bytes("FF 80"))))
                .isEqualTo(new SupportedLogsSubListRequest(255, 128));
        assertThatThrownBy(() -> new SupportedLogsSubListRequest(256, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void subList() {
        var s = new SupportedLogsSubList(2, 1, List.of(new SupportedLogEntry(OTHER, 0x1234)));
        byte[] wire = bytes("""
                01          # 00h entries returned
                00          # 01h reserved
                02 00       # 02h total supported logs
                01          # 04h start index
                00 00 00    # 05h reserved
                """ + OTHER_BYTES + "| 34 12 00 00");
        assertThat(s.size()).isEqualTo(8 + 0x14).isEqualTo(wire.length);
        assertThat(Hex.of(s.encode())).isEqualTo(Hex.of(wire));
        assertThat(SupportedLogsSubList.decode(ByteBuffer.wrap(wire))).isEqualTo(s);
    }

    @Test
    void subListIgnoresReservedBytes() {
        byte[] wire = bytes("00 FF 34 12 07 FF FF FF");
        assertThat(SupportedLogsSubList.decode(ByteBuffer.wrap(wire)))
                .isEqualTo(new SupportedLogsSubList(0x1234, 7, List.of()));
    }

    @Test
    void subListRejectsMoreThan255Entries() {
        var entries = java.util.Collections.nCopies(256, new SupportedLogEntry(OTHER, 0));
        assertThatThrownBy(() -> new SupportedLogsSubList(300, 0, entries)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SupportedLogsSubList(0x10000, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void getLogRequest() {
        var r = new GetLogRequest(LogIds.CEL_UUID, 4, 0x24);
        byte[] wire = bytes(CEL_UUID_BYTES + "| 04 00 00 00 | 24 00 00 00");
        assertThat(wire).hasSize(0x18);
        assertThat(Hex.of(r.encode())).isEqualTo(Hex.of(wire));
        assertThat(GetLogRequest.decode(ByteBuffer.wrap(wire))).isEqualTo(r);
    }

    @Test
    void getLogRequestOffsetAndLengthAreUnsigned() {
        var r = new GetLogRequest(OTHER, 0x89ABCDEFL, 0xFFFFFFFFL);
        byte[] wire = bytes(OTHER_BYTES + "| EF CD AB 89 | FF FF FF FF");
        assertThat(Hex.of(r.encode())).isEqualTo(Hex.of(wire));
        assertThat(GetLogRequest.decode(ByteBuffer.wrap(wire))).isEqualTo(r);
        assertThatThrownBy(() -> new GetLogRequest(OTHER, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GetLogRequest(OTHER, 0, 1L << 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void celEntries() {
        var transfer = new CelEntry(Opcode.of(0x0201), CelEffects.fromBits(0x0341));
        var activate = new CelEntry(Opcode.of(0x0202), CelEffects.fromBits(0x0243));
        var setTimestamp = new CelEntry(Opcode.of(0x0301), CelEffects.of(CelEffect.IMMEDIATE_POLICY_CHANGE));
        assertThat(Hex.of(transfer.encode())).isEqualTo("01 02 41 03");
        assertThat(Hex.of(activate.encode())).isEqualTo("02 02 43 02");
        assertThat(Hex.of(setTimestamp.encode())).isEqualTo("01 03 08 00");
        assertThat(CelEntry.decode(ByteBuffer.wrap(bytes("01 02 41 03")))).isEqualTo(transfer);
        assertThat(CelEntry.decode(ByteBuffer.wrap(bytes("00 40 00 00"))))
                .isEqualTo(new CelEntry(Opcode.of(0x4000), CelEffects.NONE));
    }

    @Test
    void celEntryDropsReservedEffectBits() {
        assertThat(CelEntry.decode(ByteBuffer.wrap(bytes("01 02 41 F3"))))
                .isEqualTo(new CelEntry(Opcode.of(0x0201), CelEffects.fromBits(0x0341)));
    }

    @Test
    void aWholeCelDecodesEntryByEntry() {
        ByteBuffer in = ByteBuffer.wrap(bytes("00 02 00 00 | 01 02 41 03 | 02 02 43 02"));
        assertThat(CelEntry.decode(in).opcode()).isEqualTo(Opcode.of(0x0200));
        assertThat(CelEntry.decode(in).effects().contains(CelEffect.REQUEST_ABORT_SUPPORTED)).isTrue();
        assertThat(CelEntry.decode(in).effects().contains(CelEffect.REQUEST_ABORT_SUPPORTED)).isFalse();
        assertThat(in.hasRemaining()).isFalse();
    }
}
