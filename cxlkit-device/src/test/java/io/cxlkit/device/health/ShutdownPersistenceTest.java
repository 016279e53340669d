package io.cxlkit.device.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.DeviceThreads;
import io.cxlkit.device.clock.VirtualClock;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.fw.DeviceStateException;
import io.cxlkit.device.fw.PolicyChecker;
import io.cxlkit.device.persist.CrashHook;
import io.cxlkit.device.persist.SimulatedCrash;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.HealthInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shutdown state and the Dirty Shutdown Count across restarts (docs/events-and-health.md
 * "Shutdown state"): persisted crash-safely before Set Shutdown State answers; a power-on counts a
 * dirty state and cleans it before answering anything; a graceful power-off (close, the first half
 * of a cold reset) cleans it unless {@code gpf-fail}; a killed process (a device abandoned, not
 * closed) leaves it as last set.
 */
class ShutdownPersistenceTest {

    @TempDir
    Path dir;

    private final DeviceConfig config = DeviceConfig.defaults(0).toBuilder().timing(Timing.instant()).build();

    private CxlDevice open(CrashHook hook) throws Exception {
        return CxlDevice.open(config, dir, new VirtualClock(), DeviceThreads.inline(), hook, new PolicyChecker());
    }

    private CxlDevice open() throws Exception {
        return open(CrashHook.NONE);
    }

    private static CommandResponse send(CxlDevice d, Cci cci, CommandId id, byte... in) {
        return d.execute(cci, id.opcode(), in.length, ByteBuffer.wrap(in));
    }

    private static void setDirty(CxlDevice d, boolean dirty) {
        assertThat(send(d, Cci.MAILBOX, CommandId.SET_SHUTDOWN_STATE, (byte) (dirty ? 1 : 0)).returnCode())
                .isEqualTo(ReturnCode.SUCCESS);
    }

    private static boolean dirty(CxlDevice d) {
        CommandResponse r = send(d, Cci.MCTP, CommandId.GET_SHUTDOWN_STATE);
        assertThat(r.returnCode()).isEqualTo(ReturnCode.SUCCESS);
        return r.output()[0] == 1;
    }

    private static long count(CxlDevice d) {
        CommandResponse r = send(d, Cci.MAILBOX, CommandId.GET_HEALTH_INFO);
        return HealthInfo.decode(ByteBuffer.wrap(r.output())).dirtyShutdownCount();
    }

    private Path file() {
        return dir.resolve(ShutdownStore.FILE);
    }

    private String fileText() throws Exception {
        return Files.readString(file(), StandardCharsets.UTF_8);
    }

    private static String text(boolean dirty, long count) {
        return "dirty=" + dirty + "\ndirty_shutdown_count=" + count + "\n";
    }

    @Test
    void noFileUntilTheFirstChange_andThenCleanWithCount0() throws Exception {
        CxlDevice d = open();
        assertThat(dirty(d)).isFalse();
        assertThat(count(d)).isZero();
        setDirty(d, false);
        d.coldReset();
        d.close();
        d = open();
        assertThat(file()).doesNotExist();
        assertThat(dirty(d)).isFalse();
        d.close();
    }

    @Test
    void setShutdownState_isOnDiskWhenItAnswers() throws Exception {
        CxlDevice d = open();
        setDirty(d, true);
        assertThat(fileText()).isEqualTo(text(true, 0));
        assertThat(dirty(d)).isTrue();
        setDirty(d, false);
        assertThat(fileText()).isEqualTo(text(false, 0));
        d.close();
    }

    @Test
    void aKilledProcessLeavesItDirty_andThePowerOnCountsItAndCleansIt_beforeAnyCommand() throws Exception {
        CxlDevice killed = open();
        setDirty(killed, true);
        // killed: not closed
        CxlDevice d = open();
        assertThat(fileText()).as("persisted by the open itself").isEqualTo(text(false, 1));
        assertThat(dirty(d)).isFalse();
        assertThat(count(d)).isEqualTo(1);
        d.close();
        d = open();
        assertThat(count(d)).isEqualTo(1);
        d.close();
    }

    @Test
    void aGracefulStopMakesItClean_andAddsNothing() throws Exception {
        for (int i = 0; i < 3; i++) {
            CxlDevice d = open();
            setDirty(d, true); // armed, as the host driver does at attach
            d.close();
            assertThat(fileText()).isEqualTo(text(false, 0));
        }
        CxlDevice d = open();
        assertThat(count(d)).isZero();
        assertThat(dirty(d)).isFalse();
        d.close();
    }

    @Test
    void armedAndKilledEachTime_countsEachKill() throws Exception {
        for (int i = 0; i < 4; i++) {
            CxlDevice d = open();
            assertThat(count(d)).isEqualTo(i);
            setDirty(d, true);
        }
    }

    @Test
    void gpfFail_makesAGracefulStopDirty_soTheNextStartCountsIt() throws Exception {
        CxlDevice d = open();
        d.withFaults(f -> {
            f.setGpfFail();
            return null;
        });
        assertThat(d.faults()).containsExactly("gpf-fail");
        d.close();
        assertThat(fileText()).isEqualTo(text(true, 0));
        d = open();
        assertThat(count(d)).isEqualTo(1);
        assertThat(dirty(d)).isFalse();
        assertThat(d.faults()).isEmpty();
        d.close();
        assertThat(fileText()).isEqualTo(text(false, 1));
    }

    @Test
    void aColdReset_powersOffGracefully_thenOn() throws Exception {
        CxlDevice d = open();
        setDirty(d, true);
        d.coldReset();
        assertThat(dirty(d)).isFalse();
        assertThat(count(d)).isZero();
        // with gpf-fail the power-off leaves it dirty, the power-on counts it; the fault is then gone
        d.withFaults(f -> {
            f.setGpfFail();
            return null;
        });
        d.coldReset();
        assertThat(dirty(d)).isFalse();
        assertThat(count(d)).isEqualTo(1);
        assertThat(d.faults()).isEmpty();
        assertThat(fileText()).isEqualTo(text(false, 1));
        d.coldReset();
        assertThat(count(d)).isEqualTo(1);
        d.close();
    }

    @Test
    void theCountWrapsTo0() throws Exception {
        Files.writeString(file(), text(true, 0xFFFF_FFFFL));
        CxlDevice d = open();
        assertThat(count(d)).isZero();
        assertThat(fileText()).isEqualTo(text(false, 0));
        Files.writeString(file(), text(false, 0xFFFF_FFFEL));
        d = open();
        assertThat(count(d)).isEqualTo(0xFFFF_FFFEL);
        assertThat(send(d, Cci.MAILBOX, CommandId.GET_HEALTH_INFO).output()).startsWith(0, 0, 0, 0, 25, 0,
                (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF);
        d.close();
    }

    @Test
    void aDamagedFileIsAStartupErrorNamingTheDevice() throws Exception {
        for (String bad : List.of("", "dirty=true\n", "dirty_shutdown_count=1\n", "dirty=yes\ndirty_shutdown_count=1\n",
                "dirty=false\ndirty_shutdown_count=-1\n", "dirty=false\ndirty_shutdown_count=4294967296\n",
                "dirty=false\ndirty_shutdown_count=x\n")) {
            Files.writeString(file(), bad);
            assertThatThrownBy(this::open).as(bad).isInstanceOf(DeviceStateException.class)
                    .hasMessage("mem0: " + file() + " is damaged (fields missing or out of range)");
        }
    }

    @Test
    void aFailedWrite_answers0004h_andChangesNothing() throws Exception {
        CxlDevice d = open();
        Path blocker = Files.createDirectories(dir.resolve(ShutdownStore.FILE + ".tmp"));
        assertThat(send(d, Cci.MAILBOX, CommandId.SET_SHUTDOWN_STATE, (byte) 1).returnCode())
                .isEqualTo(ReturnCode.INTERNAL_ERROR);
        assertThat(dirty(d)).isFalse();
        assertThat(file()).doesNotExist();
        Files.delete(blocker);
        setDirty(d, true);
        assertThat(dirty(d)).isTrue();
        d.close();
    }

    /** A hook that records the points and kills the "process" at the {@code at}-th (0: never). */
    private static final class Kill implements CrashHook {
        final int at;
        final List<String> points = new ArrayList<>();
        boolean armed;

        Kill(int at) {
            this.at = at;
        }

        @Override
        public void reached(String point) {
            if (armed) {
                points.add(point);
                if (points.size() == at) {
                    throw new SimulatedCrash(point);
                }
            }
        }
    }

    @Test
    void aKillAtAnyPointOfSetShutdownState_leavesTheOldStateOrTheNew() throws Exception {
        Kill counting = new Kill(0);
        CxlDevice d = open(counting);
        counting.armed = true;
        setDirty(d, true);
        counting.armed = false;
        d.close();
        List<String> points = List.copyOf(counting.points);
        assertThat(points).containsExactly("write shutdown.properties.tmp", "fsync shutdown.properties.tmp",
                "rename shutdown.properties.tmp -> shutdown.properties", "fsync dir after shutdown.properties");
        for (int at = 1; at <= points.size(); at++) {
            Files.deleteIfExists(file());
            Kill kill = new Kill(at);
            CxlDevice victim = open(kill);
            kill.armed = true;
            int crashAt = at;
            assertThatThrownBy(() -> setDirty(victim, true)).as("kill at %s", points.get(crashAt - 1))
                    .isInstanceOf(SimulatedCrash.class);
            // restart: dirty only if the rename happened, and then it is counted once
            CxlDevice after = open();
            boolean renamed = at > 3;
            assertThat(count(after)).as("kill at %s", points.get(at - 1)).isEqualTo(renamed ? 1 : 0);
            assertThat(dirty(after)).isFalse();
            try (var leftovers = Files.newDirectoryStream(dir, "*.tmp")) {
                assertThat(leftovers).isEmpty();
            }
            after.close();
        }
    }

    @Test
    void aKillWhileThePowerOnWritesTheCount_countsItOnceOnTheNextStart() throws Exception {
        CxlDevice killed = open();
        setDirty(killed, true);
        for (String point : List.of("write", "fsync shutdown", "rename")) {
            CrashHook dies = p -> {
                if (p.startsWith(point)) {
                    throw new SimulatedCrash(p);
                }
            };
            assertThatThrownBy(() -> open(dies)).isInstanceOf(SimulatedCrash.class);
            assertThat(fileText()).isEqualTo(text(true, 0));
        }
        CxlDevice d = open();
        assertThat(count(d)).isEqualTo(1);
        d.close();
    }

    @Test
    void theFaultsAndMediaStateDoNotChangeTheShutdownState() throws Exception {
        CxlDevice d = open();
        d.withFaults(f -> {
            f.setMediaDisabled();
            return null;
        });
        setDirty(d, true);
        assertThat(dirty(d)).isTrue();
        d.withFaults(f -> {
            f.clear();
            return null;
        });
        assertThat(dirty(d)).isTrue();
        d.close();
    }
}
