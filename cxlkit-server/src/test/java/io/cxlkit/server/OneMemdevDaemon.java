package io.cxlkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.ReturnCode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A daemon with one memdev ({@code mem0}, instant timing) on loopback ports, and that device's
 * shutdown state read and set as a host would, for the tests of where the daemon powers off and on
 * and when its host driver attaches.
 */
final class OneMemdevDaemon {

    private OneMemdevDaemon() {
    }

    /** Starts the daemon with its state in {@code dir}/state. */
    static Daemon start(Path dir) throws Exception {
        DeviceConfig dev = DeviceConfig.defaults(0).toBuilder().timing(Timing.instant()).build();
        return Daemon.start(new PlatformConfig(dir.resolve("state"), List.of(dev), List.of("127.0.0.1:0"),
                Optional.empty(), "127.0.0.1:0", 256), w -> { });
    }

    /** Get Shutdown State (over MCTP, so the mailbox's host driver sees nothing): true if dirty. */
    static boolean dirty(CxlDevice device) {
        return device.execute(Cci.MCTP, CommandId.GET_SHUTDOWN_STATE.opcode(), 0, ByteBuffer.allocate(0))
                .output()[0] == 1;
    }

    /** Set Shutdown State over the mailbox, as the host driver sends it; it must succeed. */
    static void setShutdownState(CxlDevice device, boolean dirty) {
        assertThat(device.execute(Cci.MAILBOX, CommandId.SET_SHUTDOWN_STATE.opcode(), 1,
                ByteBuffer.wrap(new byte[] {(byte) (dirty ? 1 : 0)})).returnCode()).isEqualTo(ReturnCode.SUCCESS);
    }
}
