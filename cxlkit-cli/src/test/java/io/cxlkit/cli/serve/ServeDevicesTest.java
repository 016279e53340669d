package io.cxlkit.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.fw.DeviceStateException;
import io.cxlkit.server.DevicePlan;
import io.cxlkit.server.PlatformConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which devices serve brings up on a state directory that holds some already, and the refusals' words. */
class ServeDevicesTest {

    @TempDir
    Path dir;

    private PlatformConfig config(String... args) {
        return ServeConfigs.of(dir, args);
    }

    private DevicePlan.Choice choose(PlatformConfig c, String... persisted) throws DeviceStateException {
        return c.devicePlan().choose(c.devices(), List.of(persisted));
    }

    private static List<String> names(DevicePlan.Choice c) {
        return c.devices().stream().map(DeviceConfig::name).toList();
    }

    private String state() {
        return dir.resolve("state").toString();
    }

    @Test
    void withoutOptionsEveryPersistedDeviceComesBack() throws Exception {
        assertThat(names(choose(config()))).containsExactly("mem0");
        assertThat(names(choose(config(), "mem0", "mem1", "mem2"))).containsExactly("mem0", "mem1", "mem2");
        DevicePlan.Choice c = choose(config("--slots", "3"), "mem0", "mem1");
        assertThat(c.devices()).extracting(DeviceConfig::slots).containsExactly(3, 3);
        assertThat(c.devices().get(1)).hasToString(
                ServeConfigs.of(dir, "--slots", "3", "--devices", "2").devices().get(1).toString());
        assertThat(c.drop()).isEmpty();
    }

    @Test
    void aGapIsANewDeviceWithAWarning() throws Exception {
        java.io.StringWriter err = new java.io.StringWriter();
        PlatformConfig c = ServeConfigs.of(dir, err);
        assertThat(names(c.devicePlan().choose(c.devices(), List.of("mem0", "mem3"))))
                .containsExactly("mem0", "mem1", "mem2", "mem3");
        assertThat(err.toString().lines()).containsExactly("cxlkit: serve: warning: " + state() + " holds no state"
                + " for mem1, mem2 (between persisted devices): they start as new");
    }

    @Test
    void fewerDevicesThanPersistedIsRefusedNamingThem() {
        assertThatThrownBy(() -> choose(config("--devices", "2"), "mem0", "mem1", "mem2"))
                .isInstanceOf(DeviceStateException.class)
                .hasMessage(state() + " holds 3 devices (mem0, mem1, mem2); --devices 2 would leave out mem2: use"
                        + " --devices 3, or add --drop-devices to delete mem2's state");
        assertThatThrownBy(() -> choose(config("--devices", "1"), "mem0", "mem1", "mem2"))
                .hasMessage(state() + " holds 3 devices (mem0, mem1, mem2); --devices 1 would leave out mem1, mem2:"
                        + " use --devices 3, or add --drop-devices to delete their state");
    }

    @Test
    void longListsAreShortened() {
        String[] persisted = java.util.stream.IntStream.range(0, 10).mapToObj(i -> "mem" + i).toArray(String[]::new);
        assertThatThrownBy(() -> choose(config("--devices", "4"), persisted))
                .hasMessage(state() + " holds 10 devices (mem0..mem9); --devices 4 would leave out mem4..mem9: use"
                        + " --devices 10, or add --drop-devices to delete their state");
        assertThat(ServeDevices.names(List.of("mem0", "mem1", "mem2", "mem4", "mem5", "mem6", "mem7", "alpha")))
                .isEqualTo("mem0, mem1, mem2, mem4..mem7, alpha");
    }

    @Test
    void dropDevicesDeletesTheLeftOut() throws Exception {
        DevicePlan.Choice c = choose(config("--devices", "1", "--drop-devices"), "mem0", "mem1", "mem2");
        assertThat(names(c)).containsExactly("mem0");
        assertThat(c.drop()).containsExactly("mem1", "mem2");
        assertThat(choose(config("--devices", "3", "--drop-devices"), "mem0").drop()).isEmpty();
    }

    @Test
    void moreDevicesThanPersistedAddsNewOnes() throws Exception {
        DevicePlan.Choice c = choose(config("--devices", "4"), "mem0", "mem1");
        assertThat(names(c)).containsExactly("mem0", "mem1", "mem2", "mem3");
        assertThat(c.drop()).isEmpty();
    }

    @Test
    void aConfigFileNamesItsDevices(@TempDir Path tmp) throws Exception {
        Path cfg = java.nio.file.Files.writeString(tmp.resolve("c.yaml"), "devices:\n  - name: alpha\n  - name: mem0\n");
        assertThat(names(choose(config("--config", cfg.toString()), "mem0", "alpha")))
                .containsExactly("alpha", "mem0");
        assertThatThrownBy(() -> choose(config("--config", cfg.toString()), "mem0", "mem1", "alpha"))
                .hasMessage(state() + " holds 3 devices (mem0, mem1, alpha); " + cfg + " would leave out mem1: add an"
                        + " entry for mem1 to " + cfg + ", or add --drop-devices to delete mem1's state");
    }

    @Test
    void withoutConfigAConfigFilesDevicesAreLeftOut() {
        assertThatThrownBy(() -> choose(config(), "mem0", "alpha", "beta"))
                .hasMessage(state() + " holds 3 devices (mem0, alpha, beta); a start without --config would leave out"
                        + " alpha, beta: use --config with entries for them, or add --drop-devices to delete their"
                        + " state");
        assertThatThrownBy(() -> choose(config("--devices", "2"), "mem0", "alpha"))
                .hasMessage(state() + " holds 2 devices (mem0, alpha); --devices 2 would leave out alpha: use --config"
                        + " with an entry for alpha, or add --drop-devices to delete alpha's state");
    }

    @Test
    void mixedNamesLeftOutPointToAConfigFile() {
        assertThatThrownBy(() -> choose(config("--devices", "1"), "mem0", "mem1", "alpha"))
                .hasMessage(state() + " holds 3 devices (mem0, mem1, alpha); --devices 1 would leave out mem1, alpha:"
                        + " use --config with entries for them, or add --drop-devices to delete their state");
    }

    @Test
    void aPersistedDeviceBeyondTheLimitIsRefused() {
        assertThatThrownBy(() -> choose(config(), "mem0", "mem4096"))
                .hasMessage(state() + " holds mem4096, beyond the 4096 devices one daemon serves");
    }
}
