package io.cxlkit.bench;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.DeviceThreads;
import io.cxlkit.device.clock.SystemClock;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.fw.PolicyChecker;
import io.cxlkit.device.persist.CrashHook;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.ClearPoisonRequest;
import io.cxlkit.protocol.payload.InjectPoisonRequest;
import io.cxlkit.protocol.CommandResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * (8) Sanitize's modelled against its measured time, on a device of 1 GiB and of 16 GiB under
 * {@code realistic} (1 s + C / 1 GiB/s): the real work (zeroing the sparse media file, the poison
 * and the LSA), timed alone with {@code --sanitize-time 0}, must stay well under the modelled
 * time; a realistic Sanitize must complete at its modelled instant; and Get FW Info, sent from the
 * other CCI all the while (a BMC watching the device), must keep answering at once.
 *
 * <p>Before each Sanitize the media holds {@link #WRITTEN_LINES} written lines spread over the
 * whole capacity (Clear Poison with data: each one allocates a block of {@code media.bin}) and
 * {@link #POISONED_LINES} injected ones, so there is real work to undo.
 */
final class SanitizeBench {

    static final int WRITTEN_LINES = 4096;
    static final int POISONED_LINES = 256;
    private static final long GIB = 1L << 30;

    private SanitizeBench() {
    }

    static void measure(Path work, List<Figure> figures) throws Exception {
        for (long capacity : new long[] {GIB, 16 * GIB}) {
            String size = capacity / GIB + " GiB";
            Timing realistic = Timing.realistic();
            double modelled = realistic.sanitizeNanos(capacity) / 1e9;

            double realWork = sanitizeSeconds(work, capacity, realistic.withSanitizeTime(Duration.ZERO), null);
            figures.add(new Figure("Sanitize " + size + ": real work alone (--sanitize-time 0)", realWork, modelled,
                    "s", "modelled, realistic", true, "well under 1x"));

            long[] slowestFwInfo = new long[2]; // nanoseconds, answers
            double completed = sanitizeSeconds(work, capacity, realistic, slowestFwInfo);
            figures.add(new Figure("Sanitize " + size + ", realistic: start to completion", completed, modelled, "s",
                    "modelled", true, "1.00x"));
            System.out.printf("sanitize %s: %d Get FW Info answers on the other CCI while it ran%n", size,
                    slowestFwInfo[1]);
            figures.add(new Figure("Get FW Info on the other CCI during the " + size + " one, slowest", slowestFwInfo[0] / 1e6,
                    2000, "ms", "mailbox timeout", true, "well under 1x"));
        }
    }

    /**
     * One Sanitize over the MCTP CCI of a fresh device with written and poisoned media, from the
     * command to the completion the CCI reports; when {@code fwInfo} is given, Get FW Info goes
     * through the mailbox in a loop meanwhile and {@code fwInfo} receives its slowest answer (ns)
     * and the number of answers.
     */
    private static double sanitizeSeconds(Path work, long capacity, Timing timing, long[] fwInfo) throws Exception {
        Path dir = Files.createTempDirectory(work, "sanitize");
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-device");
            t.setDaemon(true);
            return t;
        });
        DeviceConfig config = DeviceConfig.defaults(0).toBuilder().persistentCapacity(capacity).timing(timing).build();
        try (CxlDevice device = CxlDevice.open(config, dir, SystemClock.get(),
                new DeviceThreads(threads, threads, threads, threads), CrashHook.NONE, new PolicyChecker())) {
            fillMedia(device, capacity);
            Thread watcher = null;
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            if (fwInfo != null) {
                watcher = new Thread(() -> {
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        CommandResponse r = send(device, Cci.MAILBOX, CommandId.GET_FW_INFO.opcode(), new byte[0]);
                        long took = System.nanoTime() - t0;
                        if (r.returnCode() != ReturnCode.SUCCESS) {
                            throw new IllegalStateException("Get FW Info answered " + r.returnCode());
                        }
                        fwInfo[0] = Math.max(fwInfo[0], took);
                        fwInfo[1]++;
                        Thread.onSpinWait();
                    }
                }, "bench-fw-info");
                watcher.start();
            }
            long start = System.nanoTime();
            CommandResponse r = send(device, Cci.MCTP, CommandId.SANITIZE.opcode(), new byte[0]);
            if (r.returnCode() == ReturnCode.BACKGROUND_COMMAND_STARTED) {
                while (device.backgroundStatus(Cci.MCTP).inProgress()) {
                    Thread.sleep(1); // a benchmark, not a test: polling at 1 ms is the resolution we report
                }
                int rc = device.backgroundStatus(Cci.MCTP).returnCode();
                if (rc != 0) {
                    throw new IllegalStateException("Sanitize completed with " + ReturnCode.hex(rc));
                }
            } else if (r.returnCode() != ReturnCode.SUCCESS) {
                throw new IllegalStateException("Sanitize answered " + r.returnCode());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            stop.set(true);
            if (watcher != null) {
                watcher.join();
            }
            if (device.sanitizePending()) {
                throw new IllegalStateException("the Sanitize left media disabled");
            }
            return seconds;
        } finally {
            threads.shutdownNow();
            io.cxlkit.device.persist.FileTrees.delete(dir);
        }
    }

    private static void fillMedia(CxlDevice device, long capacity) {
        byte[] data = new byte[ClearPoisonRequest.DATA_SIZE];
        java.util.Arrays.fill(data, (byte) 0xA5);
        long lines = capacity / 64;
        for (int i = 0; i < WRITTEN_LINES; i++) {
            long dpa = lines / WRITTEN_LINES * i * 64;
            expectSuccess(send(device, Cci.MCTP, CommandId.CLEAR_POISON.opcode(),
                    ClearPoisonRequest.of(dpa, data).encode()), "Clear Poison");
        }
        for (int i = 0; i < POISONED_LINES; i++) {
            long dpa = (lines / POISONED_LINES * i + 1) * 64;
            expectSuccess(send(device, Cci.MAILBOX, CommandId.INJECT_POISON.opcode(),
                    new InjectPoisonRequest(dpa).encode()), "Inject Poison");
        }
    }

    private static CommandResponse send(CxlDevice device, Cci cci, Opcode opcode, byte[] input) {
        return device.execute(cci, opcode, input.length, ByteBuffer.wrap(input));
    }

    private static void expectSuccess(CommandResponse r, String what) {
        if (r.returnCode() != ReturnCode.SUCCESS) {
            throw new IllegalStateException(what + " answered " + r.returnCode());
        }
    }
}
