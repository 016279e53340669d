package io.cxlkit.protocol.regs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.payload.EventLog;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Register field records against raw values written out by hand from reference.md §1. */
class RegisterFieldsTest {

    @Test
    void mailboxCapabilities() {
        // n = 12 (4:0 = 0Ch), doorbell irq (5), background irq (6), message number 3 (10:7 -> 180h),
        // ready time 5 s (18:11 -> 2800h), type 1 memory device (22:19 -> 80000h)
        var caps = new MailboxCapabilities(12, true, true, 3, 5, MailboxCapabilities.TYPE_MEMORY_DEVICE);
        assertThat(caps.toRaw()).isEqualTo(0x0008_29ECL);
        assertThat(MailboxCapabilities.fromRaw(0x0008_29ECL)).isEqualTo(caps);
        assertThat(caps.payloadSize()).isEqualTo(4096);
    }

    @Test
    void mailboxCapabilitiesExtremes() {
        // 1 MiB (n = 20 = 14h), both irqs, type 2 FM API (22:19 -> 100000h)
        var max = new MailboxCapabilities(20, true, true, 0, 0, MailboxCapabilities.TYPE_FM_API);
        assertThat(max.toRaw()).isEqualTo(0x0010_0074L);
        assertThat(MailboxCapabilities.fromRaw(0x0010_0074L)).isEqualTo(max);
        // 256 B, everything else at its widest: message number Fh (780h), ready time FFh (7F800h), type Fh (780000h)
        var wide = new MailboxCapabilities(8, false, false, 0xF, 0xFF, 0xF);
        assertThat(wide.toRaw()).isEqualTo(0x007F_FF88L);
        assertThat(MailboxCapabilities.fromRaw(0x007F_FF88L)).isEqualTo(wide);
        // reserved bits 31:23 are ignored
        assertThat(MailboxCapabilities.fromRaw(0xFF80_0000L | 0x0008_29ECL))
                .isEqualTo(MailboxCapabilities.fromRaw(0x0008_29ECL));
        assertThatThrownBy(() -> new MailboxCapabilities(7, false, false, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MailboxCapabilities(21, false, false, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mailboxControl() {
        assertThat(new MailboxControl(true, false, false).toRaw()).isEqualTo(0x1L);
        assertThat(new MailboxControl(false, true, false).toRaw()).isEqualTo(0x2L);
        assertThat(new MailboxControl(false, false, true).toRaw()).isEqualTo(0x4L);
        assertThat(new MailboxControl(true, true, true).toRaw()).isEqualTo(0x7L);
        assertThat(MailboxControl.fromRaw(0x6L)).isEqualTo(new MailboxControl(false, true, true));
        assertThat(MailboxControl.fromRaw(0xFFFF_FFF8L)).isEqualTo(new MailboxControl(false, false, false));
    }

    @Test
    void mailboxCommandWithA21BitLength() {
        // opcode 0201h in 15:0, length 1ABCDEh in 36:16
        var cmd = new MailboxCommand(Opcode.of(0x0201), 0x1ABCDE);
        assertThat(cmd.toRaw()).isEqualTo(0x0000_001A_BCDE_0201L);
        assertThat(MailboxCommand.fromRaw(0x0000_001A_BCDE_0201L)).isEqualTo(cmd);
        // bit 36 alone: length 100000h
        assertThat(new MailboxCommand(Opcode.of(0x4000), 0x100000).toRaw()).isEqualTo(0x0000_0010_0000_4000L);
        assertThat(new MailboxCommand(Opcode.of(0xFFFF), MailboxCommand.MAX_PAYLOAD_LENGTH).toRaw())
                .isEqualTo(0x0000_001F_FFFF_FFFFL);
        // bits 63:37 are reserved
        assertThat(MailboxCommand.fromRaw(0xFFFF_FFE0_0000_0200L)).isEqualTo(new MailboxCommand(Opcode.of(0x0200), 0));
        assertThatThrownBy(() -> new MailboxCommand(Opcode.of(0), 1 << 21)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mailboxStatus() {
        // BG in progress (0), return code 0001h (47:32), vendor BEEFh (63:48)
        var st = new MailboxStatus(true, 0x0001, 0xBEEF);
        assertThat(st.toRaw()).isEqualTo(0xBEEF_0001_0000_0001L);
        assertThat(MailboxStatus.fromRaw(0xBEEF_0001_0000_0001L)).isEqualTo(st);
        assertThat(new MailboxStatus(false, 0x000A, 0).toRaw()).isEqualTo(0x0000_000A_0000_0000L);
        // bits 31:1 are reserved
        assertThat(MailboxStatus.fromRaw(0x0000_0016_FFFF_FFFEL)).isEqualTo(new MailboxStatus(false, 0x16, 0));
    }

    @Test
    void backgroundCommandStatus() {
        // opcode 0201h (15:0), 100% = 64h (22:16), return code 000Ah (47:32), vendor 1234h (63:48)
        var bg = new BackgroundCommandStatus(Opcode.of(0x0201), 100, 0x000A, 0x1234);
        assertThat(bg.toRaw()).isEqualTo(0x1234_000A_0064_0201L);
        assertThat(BackgroundCommandStatus.fromRaw(0x1234_000A_0064_0201L)).isEqualTo(bg);
        // 42% = 2Ah, an aborted activation: 0012h
        var aborted = new BackgroundCommandStatus(Opcode.of(0x0202), 42, 0x0012, 0);
        assertThat(aborted.toRaw()).isEqualTo(0x0000_0012_002A_0202L);
        // bits 31:23 are reserved
        assertThat(BackgroundCommandStatus.fromRaw(0x0000_0012_FFAA_0202L)).isEqualTo(aborted);
        assertThat(BackgroundCommandStatus.NONE.toRaw()).isZero();
        assertThatThrownBy(() -> new BackgroundCommandStatus(Opcode.of(0), 101, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void memoryDeviceStatus() {
        // FW halt (1), media ready 1 (3:2 -> 4), mailbox ready (4 -> 10h), reset needed cold 1 (7:5 -> 20h)
        var s = new MemoryDeviceStatus(false, true, MemoryDeviceStatus.MEDIA_READY, true, MemoryDeviceStatus.RESET_COLD);
        assertThat(s.toRaw()).isEqualTo(0x36L);
        assertThat(MemoryDeviceStatus.fromRaw(0x36L)).isEqualTo(s);
        // fatal (0), media disabled 3 (-> Ch), reset needed CXL reset 4 (-> 80h)
        var f = new MemoryDeviceStatus(true, false, MemoryDeviceStatus.MEDIA_DISABLED, false, MemoryDeviceStatus.RESET_CXL);
        assertThat(f.toRaw()).isEqualTo(0x8DL);
        assertThat(MemoryDeviceStatus.fromRaw(0xFFFF_FF00L | 0x8D)).isEqualTo(f);
        // the usual healthy device: media ready + mailbox ready
        assertThat(new MemoryDeviceStatus(false, false, 1, true, 0).toRaw()).isEqualTo(0x14L);
        assertThat(MemoryDeviceStatus.MEDIA_NOT_READY).isZero();
        assertThat(MemoryDeviceStatus.MEDIA_ERROR).isEqualTo(2);
        assertThat(MemoryDeviceStatus.RESET_WARM).isEqualTo(2);
        assertThat(MemoryDeviceStatus.RESET_HOT).isEqualTo(3);
    }

    @Test
    void capabilityHeadersOfCxlkitsRegisterBlock() {
        // 010h: 0001h Device Status, v02h, offset 100h, length 8
        var devStatus = new CapabilityHeader(RegisterMap.CAP_ID_DEVICE_STATUS, 2, RegisterMap.EVENT_STATUS, 8);
        assertThat(devStatus.lowQword()).isEqualTo(0x0000_0100_0002_0001L);
        assertThat(devStatus.highQword()).isEqualTo(0x8L);
        // 020h: 0002h Primary Mailbox, v01h, offset 200h, length 20h + 4096
        var mailbox = new CapabilityHeader(RegisterMap.CAP_ID_PRIMARY_MAILBOX, 1, RegisterMap.MAILBOX, 0x20 + 4096);
        assertThat(mailbox.lowQword()).isEqualTo(0x0000_0200_0001_0002L);
        assertThat(mailbox.highQword()).isEqualTo(0x1020L);
        // 030h: 4000h Memory Device Status, v01h, offset 180h, length 8
        var memdev = new CapabilityHeader(RegisterMap.CAP_ID_MEMORY_DEVICE_STATUS, 1, RegisterMap.MEMORY_DEVICE_STATUS, 8);
        assertThat(memdev.lowQword()).isEqualTo(0x0000_0180_0001_4000L);
        assertThat(CapabilityHeader.fromQwords(0x0000_0180_0001_4000L, 0x8L)).isEqualTo(memdev);
        // bits 31:24 and 127:96 are reserved
        assertThat(CapabilityHeader.fromQwords(0x0000_0180_FF01_4000L, 0xFFFF_FFFF_0000_0008L)).isEqualTo(memdev);
    }

    @Test
    void capabilitiesArrayHeader() {
        // ID 0000h, version 01h (23:16), type 1h (27:24), count 3 (47:32)
        long raw = CapabilityHeader.arrayHeader(1, 1, 3);
        assertThat(raw).isEqualTo(0x0000_0003_0101_0000L);
        assertThat(CapabilityHeader.arrayCount(raw)).isEqualTo(3);
        assertThatThrownBy(() -> CapabilityHeader.arrayHeader(0x100, 1, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CapabilityHeader.arrayHeader(1, 0x10, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CapabilityHeader.arrayHeader(1, 1, 0x10000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void capabilityHeaderRejectsFieldsThatDoNotFit() {
        assertThatThrownBy(() -> new CapabilityHeader(0x10000, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CapabilityHeader(1, 0x100, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        // offset and length are unsigned 32-bit: the top bit survives
        var high = new CapabilityHeader(1, 1, 0x8000_0000, 0xFFFF_FFFF);
        assertThat(high.lowQword()).isEqualTo(0x8000_0000_0001_0001L);
        assertThat(high.highQword()).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void registerMapMatchesTheReferenceLayout() {
        assertThat(RegisterMap.MB_CAPABILITIES).isEqualTo(0x200);
        assertThat(RegisterMap.MB_CONTROL).isEqualTo(0x204);
        assertThat(RegisterMap.MB_COMMAND).isEqualTo(0x208);
        assertThat(RegisterMap.MB_STATUS).isEqualTo(0x210);
        assertThat(RegisterMap.MB_BG_COMMAND_STATUS).isEqualTo(0x218);
        assertThat(RegisterMap.MB_PAYLOAD).isEqualTo(0x220);
        assertThat(RegisterMap.MEMORY_DEVICE_STATUS).isEqualTo(0x180);
        assertThat(RegisterMap.EVENT_STATUS).isEqualTo(0x100);
        assertThat(RegisterMap.blockSize(4096)).isEqualTo(0x220 + 4096);
    }

    @Test
    void eventStatus_bitIForLogI_reservedBitsIgnored() {
        assertThat(EventStatus.NONE.toRaw()).isZero();
        assertThat(new EventStatus(Set.of(EventLog.INFORMATIONAL)).toRaw())
                .isEqualTo(0x1L);
        assertThat(new EventStatus(Set.of(EventLog.WARNING,
                EventLog.FATAL)).toRaw()).isEqualTo(0xAL);
        assertThat(new EventStatus(EnumSet.allOf(EventLog.class)).toRaw())
                .isEqualTo(0xFL);
        // bit 4 (Dynamic Capacity) and bits 31:5 are not cxlkit's logs
        assertThat(EventStatus.fromRaw(0xFFFF_FFF4L)).isEqualTo(
                new EventStatus(Set.of(EventLog.FAILURE)));
        assertThat(EventStatus.fromRaw(0x5L).has(EventLog.FAILURE)).isTrue();
        assertThat(EventStatus.fromRaw(0x5L).has(EventLog.WARNING)).isFalse();
    }
}
