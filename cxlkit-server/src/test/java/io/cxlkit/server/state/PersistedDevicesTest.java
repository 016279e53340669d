package io.cxlkit.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which devices a state directory holds, and how one is dropped without leaving half a device. */
class PersistedDevicesTest {

    @TempDir
    Path dir;

    private void device(Path state, String name) throws Exception {
        Files.createDirectories(state.resolve(name));
        Files.writeString(state.resolve(name).resolve(io.cxlkit.device.fw.FirmwareStore.STATE_FILE), "serial=0\n");
    }

    @Test
    void devicesAreTheSubdirectoriesWithAStateFileMemNByNFirst() throws Exception {
        Path state = dir.resolve("state");
        for (String n : new String[] {"mem10", "mem2", "alpha", "mem0", "mem007", ".drop-mem3"}) {
            device(state, n);
        }
        Files.createDirectories(state.resolve("mem5")); // no state file: a start that never finished it
        Files.createDirectories(state.resolve(".spool"));
        Files.writeString(state.resolve("mem6"), "a file");
        try (StateDirectory sd = StateDirectory.acquire(state, w -> { })) {
            assertThat(sd.persistedDevices()).containsExactly("mem0", "mem2", "mem10", "alpha", "mem007");
            // a drop that a crash interrupted is finished by the next start
            assertThat(state.resolve(".drop-mem3")).doesNotExist();
        }
    }

    @Test
    void memIndexIsNForMemNWithoutLeadingZeros() {
        assertThat(StateDirectory.memIndex("mem0")).isZero();
        assertThat(StateDirectory.memIndex("mem4095")).isEqualTo(4095);
        assertThat(StateDirectory.memIndex("mem007")).isEqualTo(-1);
        assertThat(StateDirectory.memIndex("mem")).isEqualTo(-1);
        assertThat(StateDirectory.memIndex("memx")).isEqualTo(-1);
        assertThat(StateDirectory.memIndex("alpha")).isEqualTo(-1);
    }

    @Test
    void aDroppedDeviceIsGoneAndNothingElseIs() throws Exception {
        Path state = dir.resolve("state");
        device(state, "mem0");
        device(state, "mem1");
        Files.writeString(state.resolve("mem1/slot-1.pkg"), "package");
        try (StateDirectory sd = StateDirectory.acquire(state, w -> { })) {
            sd.dropDevice("mem1");
            assertThat(sd.persistedDevices()).containsExactly("mem0");
        }
        assertThat(state.resolve("mem1")).doesNotExist();
        assertThat(state.resolve(StateDirectory.DROP_PREFIX + "mem1")).doesNotExist();
        assertThat(state.resolve("mem0/device.properties")).exists();
    }
}
