package io.cxlkit.protocol.regs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.protocol.Opcode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** fromRaw(toRaw(x)) == x for every register record over its full field ranges. */
class RegisterPropertiesTest {

    @Property
    void mailboxCapabilities(@ForAll @IntRange(min = 8, max = 20) int n, @ForAll boolean doorbellIrq,
                             @ForAll boolean bgIrq, @ForAll @IntRange(max = 0xF) int msgNumber,
                             @ForAll @IntRange(max = 0xFF) int readyTime, @ForAll @IntRange(max = 0xF) int type) {
        var v = new MailboxCapabilities(n, doorbellIrq, bgIrq, msgNumber, readyTime, type);
        long raw = v.toRaw();
        assertThat(raw >>> 23).as("reserved bits 31:23").isZero();
        assertThat(MailboxCapabilities.fromRaw(raw)).isEqualTo(v);
    }

    @Property
    void mailboxControl(@ForAll boolean doorbell, @ForAll boolean doorbellIrq, @ForAll boolean bgIrq) {
        var v = new MailboxControl(doorbell, doorbellIrq, bgIrq);
        assertThat(MailboxControl.fromRaw(v.toRaw())).isEqualTo(v);
    }

    @Property
    void mailboxCommand(@ForAll @IntRange(max = 0xFFFF) int opcode,
                        @ForAll @IntRange(max = MailboxCommand.MAX_PAYLOAD_LENGTH) int length) {
        var v = new MailboxCommand(Opcode.of(opcode), length);
        long raw = v.toRaw();
        assertThat(raw >>> 37).as("reserved bits 63:37").isZero();
        assertThat((raw >>> 16) & 0x1FFFFF).isEqualTo(length);
        assertThat(MailboxCommand.fromRaw(raw)).isEqualTo(v);
    }

    @Property
    void mailboxStatus(@ForAll boolean bg, @ForAll @IntRange(max = 0xFFFF) int rc,
                       @ForAll @IntRange(max = 0xFFFF) int vendor) {
        var v = new MailboxStatus(bg, rc, vendor);
        assertThat(v.toRaw() & 0xFFFF_FFFEL).as("reserved bits 31:1").isZero();
        assertThat(MailboxStatus.fromRaw(v.toRaw())).isEqualTo(v);
    }

    @Property
    void backgroundCommandStatus(@ForAll @IntRange(max = 0xFFFF) int opcode, @ForAll @IntRange(max = 100) int pct,
                                 @ForAll @IntRange(max = 0xFFFF) int rc, @ForAll @IntRange(max = 0xFFFF) int vendor) {
        var v = new BackgroundCommandStatus(Opcode.of(opcode), pct, rc, vendor);
        assertThat(v.toRaw() & 0xFF80_0000L).as("reserved bits 31:23").isZero();
        assertThat(BackgroundCommandStatus.fromRaw(v.toRaw())).isEqualTo(v);
    }

    @Property
    void memoryDeviceStatus(@ForAll boolean fatal, @ForAll boolean halt, @ForAll @IntRange(max = 3) int media,
                            @ForAll boolean mailboxReady, @ForAll @IntRange(max = 7) int reset) {
        var v = new MemoryDeviceStatus(fatal, halt, media, mailboxReady, reset);
        assertThat(v.toRaw() >>> 8).isZero();
        assertThat(MemoryDeviceStatus.fromRaw(v.toRaw())).isEqualTo(v);
    }

    @Property
    void capabilityHeader(@ForAll @IntRange(max = 0xFFFF) int id, @ForAll @IntRange(max = 0xFF) int version,
                          @ForAll int offset, @ForAll int length) {
        var v = new CapabilityHeader(id, version, offset, length);
        assertThat(v.lowQword() & 0xFF00_0000L).as("reserved bits 31:24").isZero();
        assertThat(v.highQword() >>> 32).as("reserved bits 127:96").isZero();
        assertThat(CapabilityHeader.fromQwords(v.lowQword(), v.highQword())).isEqualTo(v);
    }

    @Property
    void capabilitiesArrayHeader(@ForAll @IntRange(max = 0xFF) int version, @ForAll @IntRange(max = 0xF) int type,
                                 @ForAll @IntRange(max = 0xFFFF) int count) {
        long raw = CapabilityHeader.arrayHeader(version, type, count);
        assertThat(raw & 0xFFFF).as("ID 0000h").isZero();
        assertThat((raw >>> 16) & 0xFF).isEqualTo(version);
        assertThat((raw >>> 24) & 0xF).isEqualTo(type);
        assertThat(CapabilityHeader.arrayCount(raw)).isEqualTo(count);
        assertThat(raw >>> 48).isZero();
    }
}
