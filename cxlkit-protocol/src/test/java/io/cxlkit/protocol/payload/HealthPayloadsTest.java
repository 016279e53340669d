package io.cxlkit.protocol.payload;

import static io.cxlkit.protocol.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.Hex;
import io.cxlkit.protocol.payload.HealthInfo.AdditionalStatus;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Health info, alert configuration and shutdown state, pinned to r3.1 Tables 8-133 to 8-137. */
class HealthPayloadsTest {

    @Test
    void sizes() {
        assertThat(HealthInfo.SIZE).isEqualTo(0x12);
        assertThat(AlertConfig.SIZE).isEqualTo(0x10);
        assertThat(SetAlertConfigRequest.SIZE).isEqualTo(0x0C);
        assertThat(ShutdownState.SIZE).isEqualTo(1);
    }

    // ------------------------------------------------------------------ health

    private static final HealthInfo HEALTH = new HealthInfo(
            HealthInfo.PERFORMANCE_DEGRADED | HealthInfo.CAPACITY_DEGRADED, HealthInfo.MEDIA_DATA_LOSS_IMMINENT,
            new AdditionalStatus(AdditionalStatus.CRITICAL, AdditionalStatus.WARNING, false, true), 100, 0x1234,
            0xFFFFFFFFL, 0x11223344L, 0x55667788L);

    private static final String HEALTH_BYTES = """
            0A              # 00h health status: performance degraded, capacity degraded
            09              # 01h media status: data loss imminent
            26              # 02h additional status: life used critical, temperature warning, corrected persistent
            64              # 03h life used 100
            34 12           # 04h temperature
            FF FF FF FF     # 06h dirty shutdown count
            44 33 22 11     # 0Ah corrected volatile
            88 77 66 55     # 0Eh corrected persistent
            """;

    @Test
    void healthInfo() {
        byte[] wire = bytes(HEALTH_BYTES);
        assertThat(wire).hasSize(0x12);
        assertThat(Hex.of(HEALTH.encode())).isEqualTo(Hex.of(wire));
        assertThat(HealthInfo.decode(ByteBuffer.wrap(wire))).isEqualTo(HEALTH);
    }

    @Test
    void healthInfoDefaults() {
        var defaults = new HealthInfo(0, HealthInfo.MEDIA_NORMAL, AdditionalStatus.ALL_NORMAL, 0, 25, 0, 0, 0);
        assertThat(Hex.of(defaults.encode())).isEqualTo("00 00 00 00 19 00 00 00 00 00 00 00 00 00 00 00 00 00");
    }

    @Test
    void healthTemperatureIsSigned() {
        for (int t : new int[] {-1, -5, -40, Short.MIN_VALUE, Short.MAX_VALUE}) {
            var h = new HealthInfo(0, 0, AdditionalStatus.ALL_NORMAL, 0, t, 0, 0, 0);
            byte[] wire = h.encode();
            assertThat(wire[4]).isEqualTo((byte) t);
            assertThat(wire[5]).isEqualTo((byte) (t >> 8));
            assertThat(HealthInfo.decode(ByteBuffer.wrap(wire)).temperature()).isEqualTo(t);
        }
        assertThat(Hex.of(new HealthInfo(0, 0, AdditionalStatus.ALL_NORMAL, 0, -5, 0, 0, 0).encode()))
                .startsWith("00 00 00 00 FB FF");
        assertThat(HealthInfo.TEMPERATURE_NOT_IMPLEMENTED).isEqualTo(0x7FFF);
        assertThatThrownBy(() -> new HealthInfo(0, 0, AdditionalStatus.ALL_NORMAL, 0, 0x8000, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signed 16-bit");
        assertThatThrownBy(() -> new HealthInfo(0, 0, AdditionalStatus.ALL_NORMAL, 0, -0x8001, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void healthInfoIgnoresReservedBits() {
        byte[] wire = bytes(HEALTH_BYTES);
        wire[0] |= (byte) 0xF0;
        wire[2] |= (byte) 0xC0;
        assertThat(HealthInfo.decode(ByteBuffer.wrap(wire))).isEqualTo(HEALTH);
    }

    @Test
    void additionalStatusBits() {
        assertThat(AdditionalStatus.fromBits(0x03).lifeUsed()).isEqualTo(3);
        assertThat(AdditionalStatus.fromBits(0x0C).temperature()).isEqualTo(3);
        assertThat(AdditionalStatus.fromBits(0x10).correctedVolatileWarning()).isTrue();
        assertThat(AdditionalStatus.fromBits(0x20).correctedPersistentWarning()).isTrue();
        assertThat(AdditionalStatus.fromBits(0xFF).bits()).isEqualTo(0x3F);
        assertThat(new AdditionalStatus(AdditionalStatus.WARNING, AdditionalStatus.CRITICAL, false, false).bits())
                .isEqualTo(0x09);
        assertThatThrownBy(() -> new AdditionalStatus(4, 0, false, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void healthInfoRejectsFieldsThatDoNotFit() {
        assertThatThrownBy(() -> new HealthInfo(0x10, 0, AdditionalStatus.ALL_NORMAL, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HealthInfo(0, 0x100, AdditionalStatus.ALL_NORMAL, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HealthInfo(0, 0, AdditionalStatus.ALL_NORMAL, 0, 0, 1L << 32, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shortHealthInfoIsMalformed() {
        assertThatThrownBy(() -> HealthInfo.decode(ByteBuffer.wrap(new byte[0x11])))
                .isInstanceOf(MalformedPayloadException.class).hasMessage("Get Health Info output needs 18 bytes, got 17");
    }

    // ------------------------------------------------------------------ alert configuration

    /** The alert defaults a cxlkit device starts with. */
    private static final AlertConfig DEFAULTS = new AlertConfig(0x07, 0x1F, 75, 40, 85, 0, 75, 5, 100, 100);

    @Test
    void alertConfig() {
        byte[] wire = bytes("""
                07          # 00h valid alerts
                1F          # 01h programmable alerts
                4B          # 02h life used critical 75
                28          # 03h life used warning 40
                55 00       # 04h over-temperature critical 85
                00 00       # 06h under-temperature critical 0
                4B 00       # 08h over-temperature warning 75
                05 00       # 0Ah under-temperature warning 5
                64 00       # 0Ch corrected volatile warning 100
                64 00       # 0Eh corrected persistent warning 100
                """);
        assertThat(wire).hasSize(0x10);
        assertThat(Hex.of(DEFAULTS.encode())).isEqualTo(Hex.of(wire));
        assertThat(AlertConfig.decode(ByteBuffer.wrap(wire))).isEqualTo(DEFAULTS);
        assertThat(DEFAULTS.valid(AlertWarning.LIFE_USED)).isTrue();
        assertThat(DEFAULTS.valid(AlertWarning.UNDER_TEMPERATURE)).isTrue();
        assertThat(DEFAULTS.valid(AlertWarning.CORRECTED_VOLATILE)).isFalse();
        assertThat(DEFAULTS.programmable(AlertWarning.CORRECTED_PERSISTENT)).isTrue();
    }

    @Test
    void alertConfigTemperaturesAreSigned() {
        var cold = new AlertConfig(0, 0, 0, 0, Short.MAX_VALUE, -40, -1, Short.MIN_VALUE, 0xFFFF, 0);
        byte[] wire = bytes("00 00 00 00 | FF 7F | D8 FF | FF FF | 00 80 | FF FF | 00 00");
        assertThat(Hex.of(cold.encode())).isEqualTo(Hex.of(wire));
        assertThat(AlertConfig.decode(ByteBuffer.wrap(wire))).isEqualTo(cold);
        assertThatThrownBy(() -> new AlertConfig(0, 0, 0, 0, 0x8000, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AlertConfig(0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AlertConfig(0, 0, 0, 0, 0, 0, 0, 0, 0x10000, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void alertConfigIgnoresReservedAlertBits() {
        byte[] wire = DEFAULTS.encode();
        wire[0] |= (byte) 0xE0;
        wire[1] |= (byte) 0xE0;
        assertThat(AlertConfig.decode(ByteBuffer.wrap(wire))).isEqualTo(DEFAULTS);
        assertThatThrownBy(() -> AlertConfig.decode(ByteBuffer.wrap(new byte[0x0F])))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Get Alert Configuration output needs 16 bytes, got 15");
    }

    @Test
    void alertWarningBits() {
        assertThat(AlertWarning.LIFE_USED.bit()).isEqualTo(0x01);
        assertThat(AlertWarning.OVER_TEMPERATURE.bit()).isEqualTo(0x02);
        assertThat(AlertWarning.UNDER_TEMPERATURE.bit()).isEqualTo(0x04);
        assertThat(AlertWarning.CORRECTED_VOLATILE.bit()).isEqualTo(0x08);
        assertThat(AlertWarning.CORRECTED_PERSISTENT.bit()).isEqualTo(0x10);
        assertThat(AlertWarning.ALL_BITS).isEqualTo(0x1F);
    }

    @Test
    void setAlertConfig() {
        var r = new SetAlertConfigRequest(0x1F, 0x05, 30, 80, -10, 0xFFFF, 0x1234);
        byte[] wire = bytes("""
                1F          # 00h valid alert actions
                05          # 01h enable alert actions
                1E          # 02h life used warning 30
                00          # 03h reserved
                50 00       # 04h over-temperature warning 80
                F6 FF       # 06h under-temperature warning -10
                FF FF       # 08h corrected volatile warning
                34 12       # 0Ah corrected persistent warning
                """);
        assertThat(wire).hasSize(0x0C);
        assertThat(Hex.of(r.encode())).isEqualTo(Hex.of(wire));
        assertThat(SetAlertConfigRequest.decode(ByteBuffer.wrap(wire))).isEqualTo(r);
        assertThat(r.sets(AlertWarning.CORRECTED_PERSISTENT)).isTrue();
        assertThat(r.enables(AlertWarning.LIFE_USED)).isTrue();
        assertThat(r.enables(AlertWarning.OVER_TEMPERATURE)).isFalse();
        assertThat(r.enables(AlertWarning.UNDER_TEMPERATURE)).isTrue();
    }

    @Test
    void setAlertConfigIgnoresReservedBitsAndByte03h() {
        byte[] wire = bytes("E1 E1 1E FF 50 00 F6 FF 00 00 00 00");
        assertThat(SetAlertConfigRequest.decode(ByteBuffer.wrap(wire)))
                .isEqualTo(new SetAlertConfigRequest(0x01, 0x01, 30, 80, -10, 0, 0));
    }

    @Test
    void setAlertConfigRejectsFieldsThatDoNotFitAndShortInput() {
        assertThatThrownBy(() -> new SetAlertConfigRequest(0, 0, 0x100, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetAlertConfigRequest(0, 0, 0, 0, 0x8000, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetAlertConfigRequest.decode(ByteBuffer.wrap(new byte[0x0B])))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Set Alert Configuration input needs 12 bytes, got 11");
    }

    // ------------------------------------------------------------------ shutdown state

    @Test
    void shutdownState() {
        assertThat(Hex.of(ShutdownState.DIRTY.encode())).isEqualTo("01");
        assertThat(Hex.of(ShutdownState.CLEAN.encode())).isEqualTo("00");
        assertThat(ShutdownState.decode(ByteBuffer.wrap(bytes("01")))).isEqualTo(new ShutdownState(true));
        assertThat(ShutdownState.decode(ByteBuffer.wrap(bytes("FE")))).isEqualTo(ShutdownState.CLEAN);
        assertThat(ShutdownState.decode(ByteBuffer.wrap(bytes("FF")))).isEqualTo(ShutdownState.DIRTY);
        assertThatThrownBy(() -> ShutdownState.decode(ByteBuffer.allocate(0)))
                .isInstanceOf(MalformedPayloadException.class).hasMessage("Shutdown State needs 1 bytes, got 0");
    }
}
