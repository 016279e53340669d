package io.cxlkit.bench;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.DeviceThreads;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.clock.SystemClock;
import io.cxlkit.device.fw.PolicyChecker;
import io.cxlkit.device.persist.CrashHook;
import io.cxlkit.host.cci.MailboxTransport;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.CommandResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * (4) In-process mailbox commands per second: Get FW Info through the register model, as the host
 * driver sends it (doorbell, interrupt counter, Status, output), against the same command
 * dispatched straight to the device (no registers) as the baseline. Inline executors, so the
 * figure is the register model's own cost, not thread hand-offs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MailboxBenchmark {

    private Path dir;
    private CxlDevice device;
    private MailboxTransport mailbox;

    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("cxlkit-jmh");
        device = CxlDevice.open(DeviceConfig.defaults(0).toBuilder().timing(Timing.instant()).build(), dir,
                SystemClock.get(), DeviceThreads.inline(), CrashHook.NONE, new PolicyChecker());
        mailbox = new MailboxTransport(device.mailbox(), System::nanoTime, "mem0");
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        device.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public CommandResponse getFwInfoThroughTheMailbox() throws Exception {
        return mailbox.execute(CommandId.GET_FW_INFO.opcode(), new byte[0]);
    }

    @Benchmark
    public CommandResponse getFwInfoDispatchedDirectly() {
        return device.execute(Cci.MAILBOX, CommandId.GET_FW_INFO.opcode(), 0, ByteBuffer.allocate(0));
    }
}
