package io.cxlkit.device.fuzz;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.config.VerifyPolicy;
import io.cxlkit.device.clock.VirtualClock;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.model.FirmwareModel;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CciHeader;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.fwpkg.PackageVerifier;
import io.cxlkit.protocol.payload.AlertConfig;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.payload.EventInterruptPolicy;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.GetEventRecordsResponse;
import io.cxlkit.protocol.payload.GetPoisonListResponse;
import io.cxlkit.protocol.payload.GetScanMediaResultsResponse;
import io.cxlkit.protocol.payload.Identify;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.LogIds;
import io.cxlkit.protocol.payload.PartitionInfo;
import io.cxlkit.protocol.payload.ResponseMessageLimit;
import io.cxlkit.protocol.payload.ScanMediaCapabilities;
import io.cxlkit.protocol.payload.ShutdownState;
import io.cxlkit.protocol.payload.SupportedLogEntry;
import io.cxlkit.protocol.payload.SupportedLogs;
import io.cxlkit.protocol.payload.SupportedLogsSubList;
import io.cxlkit.protocol.payload.Timestamp;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Fuzzes every command handler of the device through both CCIs: random opcodes (weighted toward
 * the implemented ones of {@link #TABLE}, plus near misses and any 16-bit value) with random payloads (random
 * lengths, the exact table lengths, the CCI limits and one past them; boundary values in the
 * action, slot and offset fields of Transfer FW and Activate FW; random Get Log UUIDs, offsets and
 * lengths; Set Response Message Limit values; Sub-List indices; LSA offsets and lengths at the
 * LSA's and the CCI's edges; partition shares), well-formed uploads of valid and
 * corrupted packages, clock advances, cold resets, restarts, injected faults, and raw accesses to
 * the register block at any offset and width, on the MCTP CCI ({@code device.mctp().handle(...)})
 * and the mailbox (the register flow).
 *
 * <p>After every command: no exception escapes; the return code is one of the defined codes
 * 0000h..0020h and never 0004h Internal Error; the dispatch checks of device-behaviour.md §1
 * (0003h, 0016h, 0015h) hold; the response fits the CCI (MCTP: the response message limit, echoed
 * tag and opcode, category 1, BO flag exactly on 0001h; mailbox: the payload area); a successful
 * response decodes with the protocol's decoders and has the documented size (Get LSA: the bytes
 * the successful Set LSAs wrote, across resets and restarts). A register access works
 * when naturally aligned inside the block and is otherwise an IllegalArgumentException, nothing else
 * (MailboxRegisters' contract). After every step: the
 * device invariants hold (active slot in range with an intact package, every filled slot intact
 * under the {@code package} policy, staged != active and never an empty slot, Get FW Info
 * consistent with the slot files, the staging file no larger than the maximum package size), the
 * step allocated a bounded amount of heap, and nothing under {@code io.cxlkit} logged a throwable.
 * Under the {@code package} policy with fixed timings, 0005h, 0201h and 0202h are also run
 * against the reference model {@link FirmwareModel}: return codes, active and staged slot and
 * slot revisions must agree.
 *
 * <p>Budget: {@link #TRIES} scenarios of up to {@link #MAX_STEPS} steps with a fixed seed; set
 * {@code -Dcxlkit.fuzz.tries=N} (and optionally {@code -Dcxlkit.fuzz.seed=S|random}) for a longer
 * run.
 */
@AddLifecycleHook(value = DeviceCommandFuzzProperties.Budget.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class DeviceCommandFuzzProperties {

    static final int TRIES = 120;
    static final int MAX_STEPS = 70;
    static final String SEED = "4206931337";

    private static final long MS = 1_000_000L;
    private static final int MIB = 1 << 20;

    // ------------------------------------------------------------------------------------ budget

    /**
     * Applies {@code -Dcxlkit.fuzz.tries} and {@code -Dcxlkit.fuzz.seed} ("random" for a fresh
     * one) to every property of the class; without them the annotation's fixed budget stands.
     */
    static final class Budget implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            if (context.targetMethod().isAnnotationPresent(net.jqwik.api.Example.class)) {
                return property.execute(); // regression examples run once
            }
            Integer tries = Integer.getInteger("cxlkit.fuzz.tries");
            if (tries != null && tries > 0) {
                context.attributes().setTries(tries);
            }
            String seed = System.getProperty("cxlkit.fuzz.seed", "").trim();
            if (!seed.isEmpty()) {
                context.attributes().setSeed(seed.equals("random") ? Long.toString(new SecureRandom().nextLong()) : seed);
            }
            return property.execute();
        }
    }

    // ------------------------------------------------------------------------------------ log capture

    /** Keeps every record under "io.cxlkit" that carries a throwable (a logged stack trace). */
    static final class ThrowableCapture extends Handler {
        private final List<LogRecord> records = new ArrayList<>();

        @Override
        public synchronized void publish(LogRecord r) {
            if (r.getThrown() != null) {
                records.add(r);
            }
        }

        synchronized List<String> drain() {
            List<String> out = new ArrayList<>();
            for (LogRecord r : records) {
                out.add(r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage() + ": " + r.getThrown());
            }
            records.clear();
            return out;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static final Logger CXLKIT_LOG = Logger.getLogger("io.cxlkit");
    private static final ThrowableCapture CAPTURE = new ThrowableCapture();
    private static Level savedLevel;
    private static boolean savedUseParent;

    @BeforeContainer
    static void captureLogs() {
        savedLevel = CXLKIT_LOG.getLevel();
        savedUseParent = CXLKIT_LOG.getUseParentHandlers();
        CAPTURE.setLevel(Level.ALL);
        CXLKIT_LOG.addHandler(CAPTURE);
        CXLKIT_LOG.setLevel(Level.ALL);
        // thousands of "cold reset" info lines would only bury a failure's report
        CXLKIT_LOG.setUseParentHandlers(false);
    }

    @AfterContainer
    static void releaseLogs() {
        CXLKIT_LOG.removeHandler(CAPTURE);
        CXLKIT_LOG.setLevel(savedLevel);
        CXLKIT_LOG.setUseParentHandlers(savedUseParent);
        System.out.println("device fuzz: " + SCENARIOS.get() + " scenarios, " + COMMANDS.get() + " commands ("
                + MODEL_CHECKED.get() + " compared with the reference model), " + COMMITS.get() + " slot commits, "
                + ACTIVATIONS.get() + " activations");
    }

    private static final AtomicLong SCENARIOS = new AtomicLong();
    private static final AtomicLong COMMANDS = new AtomicLong();
    private static final AtomicLong MODEL_CHECKED = new AtomicLong();
    private static final AtomicLong COMMITS = new AtomicLong();
    private static final AtomicLong ACTIVATIONS = new AtomicLong();

    // ------------------------------------------------------------------------------------ the property

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void fuzzedCommandsNeverBreakTheDevice(@ForAll("scenarios") Scenario scenario) {
        CAPTURE.drain();
        try (Harness h = new Harness(scenario.setup())) {
            h.checkInvariants("open");
            int i = 0;
            for (Step step : scenario.steps()) {
                i++;
                h.run(step, "step " + i + " " + step);
            }
        }
        SCENARIOS.incrementAndGet();
    }

    /**
     * Found by this fuzzer (Restart after a part, then a new upload on the same clock):
     * {@code CxlDevice.close()} drops the running operation but not the open transfer, whose
     * inter-part expiry task stays scheduled on the clock. When it fires it runs the closed device's
     * abort, which deletes {@code staging.bin} in the directory the reopened device now uses, and the
     * new upload's End fails with 0004h and a logged stack trace ({@code NoSuchFileException}). Fixed:
     * close() now also closes the open transfer and cancels its expiry; this is the regression test.
     */
    @Example
    void aClosedDeviceLeavesTheReopenedDevicesStagingAlone() throws IOException {
        Path dir = Files.createTempDirectory("cxlkit-fuzz-reopen-");
        byte[] pkg = TestDevice.pkg("X1", 1000);
        try (TestDevice t = TestDevice.builder(dir.resolve("mem0")).instant()
                .config(c -> c.partTimeout(Duration.ofMillis(10))).open()) {
            require(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, ByteBuffer.wrap(pkg, 0, 256))), 0x0000);
            t.reopen(); // same directory, same clock: the old transfer's expiry is still scheduled
            require(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, ByteBuffer.wrap(pkg, 0, 256))), 0x0000);
            t.advance(Duration.ofMillis(5));
            require(t.transfer(Cci.MCTP, TransferFwRequest.continuePart(2, ByteBuffer.wrap(pkg, 256, 256))), 0x0000);
            t.advance(Duration.ofMillis(6)); // the closed device's expiry fires here
            require(t.transfer(Cci.MCTP, TransferFwRequest.end(2, 4, ByteBuffer.wrap(pkg, 512, pkg.length - 512))),
                    0x0000);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Found by this fuzzer: {@code read(0x7FFFFFFF, 1)} threw ArrayIndexOutOfBoundsException, because
     * the bounds check computed {@code offset + width}, which overflows; the bulk copies had the same
     * sum. Every access outside the block is an IllegalArgumentException (MailboxRegisters' contract).
     */
    @Example
    void registerAccessesNearIntegerMaxValueAreRefusedCleanly() throws IOException {
        Path dir = Files.createTempDirectory("cxlkit-fuzz-regs-");
        try (TestDevice t = TestDevice.builder(dir.resolve("mem0")).instant().open()) {
            var regs = t.mailbox();
            int[][] accesses = {{Integer.MAX_VALUE, 1}, {Integer.MAX_VALUE - 1, 2}, {Integer.MAX_VALUE - 3, 4},
                {Integer.MAX_VALUE - 7, 8}};
            for (int[] a : accesses) {
                refused(() -> regs.read(a[0], a[1]));
                refused(() -> regs.write(a[0], a[1], 0));
            }
            refused(() -> regs.readBytes(Integer.MAX_VALUE - 3, ByteBuffer.allocate(8)));
            refused(() -> regs.writeBytes(Integer.MAX_VALUE - 3, ByteBuffer.allocate(8)));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void refused(Runnable access) {
        try {
            access.run();
        } catch (IllegalArgumentException expected) {
            return;
        }
        throw new AssertionError("an access outside the register block was not refused");
    }

    private static void require(int rc, int expected) {
        if (rc != expected) {
            throw new AssertionError("got " + ReturnCode.hex(rc) + ", expected " + ReturnCode.hex(expected));
        }
    }

    // ------------------------------------------------------------------------------------ scenarios

    enum TimingKind { FIXED, INSTANT, REALISTIC }

    /** One device configuration. Fixed timings (and instant) can be run against the model. */
    record Setup(int slots, boolean online, long maxPackage, TimingKind timingKind, long partNanos, long fullNanos,
                 long activateNanos, long partTimeoutNanos, int mailboxExp, int mctpExp, VerifyPolicy policy) {

        boolean modelled() {
            return policy == VerifyPolicy.PACKAGE && timingKind != TimingKind.REALISTIC;
        }

        Timing timing() {
            return switch (timingKind) {
                case INSTANT -> Timing.instant();
                case REALISTIC -> Timing.realistic();
                case FIXED -> Timing.realistic().withPartTime(Duration.ofNanos(partNanos))
                        .withFullTime(Duration.ofNanos(fullNanos)).withActivateTime(Duration.ofNanos(activateNanos));
            };
        }

        int limit(Cci cci) {
            return cci == Cci.MAILBOX ? 1 << mailboxExp : 1 << mctpExp;
        }

        @Override
        public String toString() {
            return "Setup[slots=" + slots + ", online=" + online + ", maxPackage=" + maxPackage + ", timing="
                    + timingKind + (timingKind == TimingKind.FIXED ? "(P=" + partNanos / 1e6 + "ms F=" + fullNanos / 1e6
                    + "ms A=" + activateNanos / 1e6 + "ms)" : "") + ", partTimeout=" + partTimeoutNanos / 1e6
                    + "ms, mailbox=2^" + mailboxExp + ", mctp=2^" + mctpExp + ", policy=" + policy.label() + "]";
        }
    }

    record Scenario(Setup setup, List<Step> steps) {
    }

    sealed interface Step {
    }

    /**
     * One command. {@code declared} is the mailbox Payload Length (the MCTP length is always the
     * payload's); it differs from the payload's length only where that cannot make the device read
     * stale bytes of a command the model checks.
     */
    record Send(Cci cci, int opcode, byte[] payload, int declared) implements Step {
        @Override
        public String toString() {
            String hex = HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 12));
            return "Send[" + cci + " " + ReturnCode.hex(opcode) + " " + payload.length + " B"
                    + (declared != payload.length ? " declared " + declared : "") + " " + hex
                    + (payload.length > 12 ? "..." : "") + "]";
        }
    }

    /** The next part of a well-formed upload on {@code cci} (Full, or Initiate/Continue/End), built at run time. */
    record GoodPart(Cci cci, int image, int units, int slotChoice, boolean preferFull) implements Step {
    }

    /** Activate FW of a filled slot other than the active one (if any), online or on next reset, built at run time. */
    record GoodActivate(Cci cci, boolean online, int choice) implements Step {
    }

    record Advance(long nanos) implements Step {
    }

    /** Advance to {@code partTimeout + delta} after now (delta -1, 0, +1 ns): the inter-part expiry edge. */
    record AdvancePartTimeout(long delta) implements Step {
    }

    record ColdReset() implements Step {
    }

    /** Close the device and open it again on the same directory (a daemon restart). */
    record Restart() implements Step {
    }

    /**
     * A raw access to the register block: {@code read(offset, width)} / {@code write(offset, width, value)},
     * or with {@code bulk} >= 0 {@code readBytes}/{@code writeBytes} of that many bytes. Writes never set
     * the doorbell (a command rung this way would bypass the model).
     */
    record RegisterAccess(boolean write, int offset, int width, long value, int bulk) implements Step {
        @Override
        public String toString() {
            return "RegisterAccess[" + (write ? "write" : "read") + (bulk >= 0 ? " bytes " + bulk : " width " + width)
                    + " at " + Integer.toHexString(offset) + "h" + (write && bulk < 0 ? " value " + Long.toHexString(value)
                    : "") + "]";
        }
    }

    enum FaultKind { MEDIA_DISABLED, FAIL_OPCODE, ACTIVATION_ROLLBACK, ACTIVATION_COLD_RESET, CORRUPT_STAGING, LATE_PART }

    record Inject(FaultKind kind, int opcode, int returnCode, int count, Optional<Cci> cci) implements Step {
        @Override
        public String toString() {
            return kind == FaultKind.FAIL_OPCODE
                    ? "Inject[fail-opcode " + ReturnCode.hex(opcode) + " rc " + ReturnCode.hex(returnCode) + " count "
                    + count + " cci " + cci.map(Cci::label).orElse("any") + "]"
                    : "Inject[" + kind + "]";
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return setups().flatMap(s -> Arbitraries.integers().between(MAX_STEPS / 4, MAX_STEPS)
                .flatMap(n -> steps(s).list().ofSize(n)).map(l -> new Scenario(s, l)));
    }

    static Arbitrary<Setup> setups() {
        Arbitrary<Integer> slots = Arbitraries.integers().between(2, 4);
        Arbitrary<Boolean> online = Arbitraries.frequency(Tuple.of(3, true), Tuple.of(1, false));
        Arbitrary<Long> maxPackage = Arbitraries.frequency(Tuple.of(1, 128L), Tuple.of(1, 1024L), Tuple.of(4, 4096L),
                Tuple.of(4, 8192L), Tuple.of(2, 32L * MIB));
        Arbitrary<TimingKind> timing = Arbitraries.frequency(Tuple.of(5, TimingKind.FIXED),
                Tuple.of(3, TimingKind.INSTANT), Tuple.of(1, TimingKind.REALISTIC));
        Arbitrary<Long> part = Arbitraries.of(0L, 0L, MS, 2 * MS, 3 * MS);
        Arbitrary<Long> full = Arbitraries.of(0L, 0L, 2 * MS, 5 * MS);
        Arbitrary<Long> activate = Arbitraries.of(0L, 3 * MS, 7 * MS);
        Arbitrary<Long> partTimeout = Arbitraries.of(1L, 5 * MS, 20 * MS, 50 * MS, 30_000 * MS);
        Arbitrary<Integer> mailboxExp = Arbitraries.frequency(Tuple.of(1, 8), Tuple.of(1, 10), Tuple.of(3, 11),
                Tuple.of(4, 12), Tuple.of(1, 13));
        Arbitrary<Integer> mctpExp = Arbitraries.frequency(Tuple.of(1, 8), Tuple.of(1, 9), Tuple.of(5, 10),
                Tuple.of(2, 12));
        Arbitrary<VerifyPolicy> policy = Arbitraries.frequency(Tuple.of(4, VerifyPolicy.PACKAGE),
                Tuple.of(1, VerifyPolicy.NONE));
        Arbitrary<long[]> times = Combinators.combine(part, full, activate, partTimeout)
                .as((p, f, a, t) -> new long[] {p, f, a, t});
        return Combinators.combine(slots, online, maxPackage, timing, times, mailboxExp, mctpExp, policy)
                .as((s, o, max, k, t, mbx, mctp, pol) -> new Setup(s, o, max, k, t[0], t[1], t[2], t[3], mbx, mctp, pol));
    }

    static Arbitrary<Step> steps(Setup s) {
        return Arbitraries.frequencyOf(
                Tuple.of(50, send(s)),
                Tuple.of(22, goodPart()),
                Tuple.of(6, Combinators.combine(Arbitraries.of(Cci.values()), Arbitraries.of(true, true, false),
                        Arbitraries.integers().between(0, 11)).as(GoodActivate::new)),
                Tuple.of(12, advance()),
                Tuple.of(2, Arbitraries.of(-1L, 0L, 1L).map(AdvancePartTimeout::new)),
                Tuple.of(3, Arbitraries.just(new ColdReset())),
                Tuple.of(1, Arbitraries.just(new Restart())),
                Tuple.of(4, inject()),
                Tuple.of(4, registerAccess(s)));
    }

    static Arbitrary<Step> registerAccess(Setup s) {
        int size = io.cxlkit.protocol.regs.RegisterMap.blockSize(s.limit(Cci.MAILBOX));
        Arbitrary<Integer> offset = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(0x000, 0x008, 0x010, 0x038, 0x100, 0x180, 0x200, 0x204, 0x205, 0x208, 0x20C,
                        0x210, 0x214, 0x218, 0x220, 0x221, size - 8, size - 4, size - 1)),
                Tuple.of(3, Arbitraries.integers().between(0, size - 1)),
                Tuple.of(1, Arbitraries.of(size, size + 1, size + 8, -1, -8, Integer.MIN_VALUE, Integer.MAX_VALUE,
                        Integer.MAX_VALUE - 1, Integer.MAX_VALUE - 7, Integer.MAX_VALUE - 0x21F)));
        Arbitrary<Integer> width = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(1, 2, 4, 8)),
                Tuple.of(1, Arbitraries.of(0, 3, 5, 16, -1)));
        Arbitrary<Integer> bulk = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(-1)),
                Tuple.of(1, Arbitraries.of(0, 1, 7, 8, 9, 64, size, Integer.MAX_VALUE)));
        Arbitrary<Long> value = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(0L, -1L, 6L, 1L << 32)),
                Tuple.of(2, Arbitraries.longs()));
        return Combinators.combine(Arbitraries.of(true, false), offset, width, value, bulk).as(RegisterAccess::new);
    }

    static Arbitrary<Step> goodPart() {
        return Combinators.combine(Arbitraries.of(Cci.values()), Arbitraries.integers().between(0, Catalogue.IMAGES.size() - 1),
                        Arbitraries.of(1, 1, 2, 3, 4, 7, 8, 32, 10_000), Arbitraries.integers().between(0, 19),
                        Arbitraries.of(true, false))
                .as(GoodPart::new);
    }

    static Arbitrary<Step> advance() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(0L, 1L)),
                Tuple.of(6, Arbitraries.longs().between(1, 4 * MS)),
                Tuple.of(3, Arbitraries.longs().between(4 * MS, 100 * MS)),
                Tuple.of(1, Arbitraries.longs().between(1_000 * MS, 60_000 * MS)))
                .map(Advance::new);
    }

    static Arbitrary<Step> inject() {
        Arbitrary<Step> simple = Arbitraries.of(FaultKind.MEDIA_DISABLED, FaultKind.ACTIVATION_ROLLBACK,
                        FaultKind.ACTIVATION_COLD_RESET, FaultKind.CORRUPT_STAGING, FaultKind.LATE_PART)
                .map(k -> new Inject(k, 0, 0, 0, Optional.empty()));
        // fail-opcode on any command but the two the invariant checks read, with any code but 0004h
        Arbitrary<Integer> opcode = Arbitraries.of(0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0201, 0x0201, 0x0202,
                0x0202, 0x0300, 0x0301, 0x0400, 0x0401, 0x0405);
        Arbitrary<Integer> rc = Arbitraries.integers().between(0x0002, 0x0020).filter(v -> v != 0x0004);
        Arbitrary<Optional<Cci>> cci = Arbitraries.of(Optional.empty(), Optional.of(Cci.MAILBOX), Optional.of(Cci.MCTP));
        Arbitrary<Step> failOpcode = Combinators.combine(opcode, rc, Arbitraries.integers().between(1, 3), cci)
                .as((o, r, n, c) -> new Inject(FaultKind.FAIL_OPCODE, o, r, n, c));
        return Arbitraries.frequencyOf(Tuple.of(3, simple), Tuple.of(2, failOpcode));
    }

    // ---- commands

    /**
     * The documented command table (device-behaviour.md §1, docs/events-and-health.md): opcode, CCIs,
     * input length rule ({@code min..max}; a counted list: exactly {@code min + 2 x byte 02h}).
     */
    record Row(int opcode, boolean mailbox, boolean mctp, int min, int max, boolean counted, int celEffects) {
        static Row exactly(int opcode, boolean mailbox, boolean mctp, int length, int celEffects) {
            return new Row(opcode, mailbox, mctp, length, length, false, celEffects);
        }

        boolean offeredOn(Cci cci) {
            return cci == Cci.MCTP ? mctp : mailbox;
        }

        boolean lengthOk(int n, byte[] payload) {
            if (n < min || n > max) {
                return false;
            }
            return !counted || n == min + 2 * (payload[2] & 0xFF);
        }
    }

    static final List<Row> TABLE = List.of(
            Row.exactly(0x0001, false, true, 0, 0), Row.exactly(0x0002, false, true, 0, 0),
            Row.exactly(0x0003, false, true, 0, 0), Row.exactly(0x0004, false, true, 1, 0),
            Row.exactly(0x0005, true, true, 0, 0),
            Row.exactly(0x0100, true, true, 1, 0), new Row(0x0101, true, true, 6, Integer.MAX_VALUE, true, 0x0010),
            Row.exactly(0x0102, true, false, 0, 0), new Row(0x0103, true, false, 4, 5, false, 0x0008),
            Row.exactly(0x0200, true, true, 0, 0),
            new Row(0x0201, true, true, 0x80, Integer.MAX_VALUE, false, 0x0341),
            Row.exactly(0x0202, true, true, 2, 0x0243),
            Row.exactly(0x0300, true, true, 0, 0), Row.exactly(0x0301, true, true, 8, 0x0008),
            Row.exactly(0x0400, true, true, 0, 0), Row.exactly(0x0401, true, true, 0x18, 0),
            Row.exactly(0x0402, true, true, 0x10, 0), Row.exactly(0x0403, true, true, 0x10, 0x0010),
            Row.exactly(0x0405, false, true, 2, 0), Row.exactly(0x4000, true, true, 0, 0),
            // capacity and labels (memdev-commands.md §1): 4101h takes 9 or 10 bytes
            Row.exactly(0x4100, true, true, 0, 0), new Row(0x4101, true, true, 9, 10, false, 0x0207),
            Row.exactly(0x4102, true, true, 8, 0), new Row(0x4103, true, true, 8, Integer.MAX_VALUE, false, 0x0006),
            Row.exactly(0x4200, true, true, 0, 0), Row.exactly(0x4201, true, true, 0, 0),
            Row.exactly(0x4202, true, true, 0x0C, 0x0008), Row.exactly(0x4203, true, true, 0, 0),
            Row.exactly(0x4204, true, false, 1, 0x0008),
            // media and poison (memdev-commands.md §1): 4301h on the mailbox only; 4304h background, abortable
            Row.exactly(0x4300, true, true, 0x10, 0), Row.exactly(0x4301, true, false, 8, 0x0004),
            Row.exactly(0x4302, true, true, 0x48, 0x0004), Row.exactly(0x4303, true, true, 0x10, 0),
            Row.exactly(0x4304, true, true, 0x11, 0x0140), Row.exactly(0x4305, true, true, 0, 0),
            // sanitize and security state (memdev-commands.md §1)
            Row.exactly(0x4400, true, true, 0, 0x0164), Row.exactly(0x4401, true, true, 0, 0x0024),
            Row.exactly(0x4500, true, true, 0, 0));

    /** The entries of {@code cci}'s CEL. */
    static int celEntries(Cci cci) {
        return (int) TABLE.stream().filter(r -> r.offeredOn(cci)).count();
    }

    static Optional<Row> row(int opcode) {
        return TABLE.stream().filter(r -> r.opcode() == opcode).findFirst();
    }

    /** Opcodes the model checks: Request Abort, Transfer FW, Activate FW. */
    static boolean modelOpcode(int opcode) {
        return opcode == 0x0005 || opcode == 0x0201 || opcode == 0x0202;
    }

    static Arbitrary<Integer> opcodes() {
        Arbitrary<Integer> implemented = Arbitraries.of(TABLE.stream().map(Row::opcode).toList());
        Arbitrary<Integer> firmware = Arbitraries.of(0x0005, 0x0200, 0x0201, 0x0201, 0x0202, 0x0202);
        Arbitrary<Integer> nearMiss = Arbitraries.of(0x0000, 0x0006, 0x0104, 0x01FF, 0x0203, 0x0204, 0x0302,
                0x0404, 0x0406, 0x0500, 0x3FFF, 0x4001, 0x4104, 0x4205, 0x8000, 0xFFFF, 0x0106, 0x2001);
        return Arbitraries.frequencyOf(Tuple.of(40, implemented), Tuple.of(25, firmware), Tuple.of(10, nearMiss),
                Tuple.of(10, Arbitraries.integers().between(0, 0xFFFF)));
    }

    static Arbitrary<Step> send(Setup s) {
        return Combinators.combine(Arbitraries.of(Cci.values()), opcodes()).as(Tuple::of)
                .flatMap(t -> payload(s, t.get1(), t.get2()).flatMap(p -> declared(s, t.get1(), t.get2(), p)
                        .map(d -> (Step) new Send(t.get1(), t.get2(), p, d))));
    }

    /** Mostly the payload's own length; on the mailbox sometimes another one (never one that reads stale bytes for a modelled command). */
    static Arbitrary<Integer> declared(Setup s, Cci cci, int opcode, byte[] payload) {
        if (cci == Cci.MCTP) {
            return Arbitraries.just(payload.length);
        }
        int size = s.limit(Cci.MAILBOX);
        Arbitrary<Integer> beyond = Arbitraries.of(size + 1, size + 128, (1 << 21) - 1);
        if (modelOpcode(opcode) || opcode == 0x4103) { // Set LSA: the LSA's model needs the bytes written
            return Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(payload.length)), Tuple.of(1, beyond));
        }
        Arbitrary<Integer> any = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(0, 1, 2, 8, 0x18, size, size - 1)),
                Tuple.of(1, Arbitraries.integers().between(0, (1 << 21) - 1)));
        return Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.just(payload.length)), Tuple.of(2, any),
                Tuple.of(1, beyond));
    }

    /** Random bytes of {@code length}, from a seed (so generation and shrinking stay cheap for large payloads). */
    static Arbitrary<byte[]> bytes(Arbitrary<Integer> length) {
        return Combinators.combine(length, Arbitraries.longs()).as((n, seed) -> {
            byte[] b = new byte[n];
            new Random(seed).nextBytes(b);
            return b;
        });
    }

    static Arbitrary<byte[]> payload(Setup s, Cci cci, int opcode) {
        int limit = s.limit(cci);
        Arbitrary<byte[]> anyLength = bytes(Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 32)),
                Tuple.of(2, Arbitraries.of(limit - 1, limit, limit + 1)),
                Tuple.of(1, Arbitraries.integers().between(0, limit + 64))));
        Arbitrary<byte[]> specific = switch (opcode) {
            case 0x0201 -> transferPayload(s, cci);
            case 0x0202 -> activatePayload();
            case 0x0401 -> getLogPayload();
            case 0x0100 -> Arbitraries.of(0, 1, 2, 3, 4, 0xFF).map(n -> new byte[] {(byte) (int) n});
            case 0x0101 -> Combinators.combine(Arbitraries.of(0, 1, 2, 3, 4), Arbitraries.of(0, 1),
                            Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 3))
                    .as((log, all, n, first) -> {
                        ByteBuffer b = ByteBuffer.allocate(6 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
                        b.put((byte) (int) log).put((byte) (int) all).put((byte) (int) n).position(6);
                        for (int i = 0; i < n; i++) {
                            b.putShort((short) (first + i));
                        }
                        return b.array();
                    });
            case 0x0103 -> bytes(Arbitraries.of(4, 5));
            case 0x0402, 0x0403 -> Arbitraries.of(LogIds.CEL_UUID, LogIds.VERIFICATION_LOG_UUID, new UUID(0, 0))
                    .map(u -> new io.cxlkit.protocol.payload.LogIdRequest(u).encode());
            case 0x4202 -> bytes(Arbitraries.just(0x0C));
            case 0x4204 -> Arbitraries.of(0, 1, 0xFE, 0xFF).map(n -> new byte[] {(byte) (int) n});
            case 0x0004 -> Arbitraries.of(0, 1, 7, 8, 9, 10, 11, 12, 20, 21, 127, 128, 255)
                    .map(n -> new byte[] {(byte) (int) n});
            case 0x4101 -> setPartitionPayload();
            case 0x4102 -> getLsaPayload(limit);
            case 0x4103 -> setLsaPayload(limit);
            case 0x0405 -> Combinators.combine(Arbitraries.of(0, 1, 2, 13, 127, 255), Arbitraries.of(0, 1, 2, 255))
                    .as((max, start) -> new byte[] {(byte) (int) max, (byte) (int) start});
            case 0x0301 -> Arbitraries.frequencyOf(
                    Tuple.of(2, bytes(Arbitraries.just(8))),
                    Tuple.of(1, Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, -1L, 0L, 1L)
                            .map(v -> ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array())));
            default -> Arbitraries.just(new byte[0]);
        };
        return Arbitraries.frequencyOf(Tuple.of(6, specific), Tuple.of(2, anyLength));
    }

    static final int LSA_SIZE = DeviceConfig.DEFAULT_LSA_SIZE;

    /** Set Partition Info: shares around 0 and huge ones, Immediate or not, 9 or 10 bytes. */
    static Arbitrary<byte[]> setPartitionPayload() {
        return Combinators.combine(Arbitraries.of(0L, 1L, 2L, 4L, -1L, Long.MIN_VALUE), Arbitraries.of(0, 1, 0xFE, 0xFF),
                Arbitraries.of(9, 10)).as((share, flags, n) -> {
                    ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
                    b.putLong(0, share).put(8, (byte) (int) flags);
                    return b.array();
                });
    }

    /** LSA offsets and lengths at the edges: 0, S-1, S, S+1, the CCI's limit, 32-bit extremes. */
    static Arbitrary<Long> lsaEdge(int limit) {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(0L, 1L, 8L, (long) LSA_SIZE - 1, (long) LSA_SIZE, LSA_SIZE + 1L,
                        (long) limit - 8, (long) limit, limit + 1L, (long) LSA_SIZE - limit)),
                Tuple.of(3, Arbitraries.longs().between(0, LSA_SIZE)),
                Tuple.of(1, Arbitraries.of(0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL)));
    }

    static Arbitrary<byte[]> getLsaPayload(int limit) {
        return Combinators.combine(lsaEdge(limit), lsaEdge(limit)).as((o, l) -> {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            return b.putInt(0, (int) (long) o).putInt(4, (int) (long) l).array();
        });
    }

    static Arbitrary<byte[]> setLsaPayload(int limit) {
        Arbitrary<Integer> dataLength = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(0, 1, limit - 8)),
                Tuple.of(3, Arbitraries.integers().between(0, Math.max(0, limit - 8))));
        return Combinators.combine(lsaEdge(limit), dataLength, Arbitraries.longs()).as((o, n, seed) -> {
            byte[] p = new byte[8 + n];
            new Random(seed).nextBytes(p);
            ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) (long) o);
            return p;
        });
    }

    static Arbitrary<byte[]> activatePayload() {
        Arbitrary<Integer> action = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(0, 1)),
                Tuple.of(1, Arbitraries.of(2, 3, 0x7F, 0x80, 0xFF)));
        Arbitrary<Integer> slot = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.integers().between(0, 5)),
                Tuple.of(1, Arbitraries.of(7, 8, 0x80, 0xFF)));
        return Combinators.combine(action, slot).as((a, sl) -> new byte[] {(byte) (int) a, (byte) (int) sl});
    }

    static Arbitrary<byte[]> getLogPayload() {
        int celMax = celEntries(Cci.MCTP) * 4;
        Arbitrary<UUID> uuid = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(LogIds.CEL_UUID)),
                Tuple.of(3, Arbitraries.just(LogIds.VERIFICATION_LOG_UUID)),
                Tuple.of(1, Arbitraries.just(new UUID(0, 0))),
                Tuple.of(1, Arbitraries.longs().map(v -> new UUID(v, ~v))),
                // the CEL UUID with its halves swapped: an RFC 4122 byte-order mistake
                Tuple.of(1, Arbitraries.just(new UUID(Long.reverseBytes(LogIds.CEL_UUID.getMostSignificantBits()),
                        Long.reverseBytes(LogIds.CEL_UUID.getLeastSignificantBits())))));
        Arbitrary<Long> offset = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(0L, 4L, 8L, 36L, 32L, 52L, 56L, 57L, 1L, 3L)),
                Tuple.of(1, Arbitraries.of(0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0xFFFF_FFFCL)),
                Tuple.of(1, Arbitraries.longs().between(0, 0xFFFF_FFFFL)));
        Arbitrary<Long> length = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(0L, 1L, 4L, 36L, (long) celMax, celMax + 1L, 255L, 256L, 257L, 1024L,
                        1025L, 4096L, 4097L)),
                Tuple.of(1, Arbitraries.of(0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0xFFFF_FFC8L)),
                Tuple.of(1, Arbitraries.longs().between(0, 0xFFFF_FFFFL)));
        return Combinators.combine(uuid, offset, length).as((u, o, l) -> {
            ByteBuffer b = ByteBuffer.allocate(0x18).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(0, Long.reverseBytes(u.getMostSignificantBits()));
            b.putLong(8, Long.reverseBytes(u.getLeastSignificantBits()));
            b.putInt(0x10, (int) (long) o);
            b.putInt(0x14, (int) (long) l);
            return b.array();
        });
    }

    static Arbitrary<byte[]> transferPayload(Setup s, Cci cci) {
        int dataLimit = s.limit(cci) - 0x80;
        long maxUnits = s.maxPackage() / 128;
        Arbitrary<Integer> action = Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.integers().between(0, 4)),
                Tuple.of(1, Arbitraries.of(5, 6, 0x7F, 0x80, 0xFE, 0xFF)));
        Arbitrary<Integer> slot = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.integers().between(0, s.slots() + 1)),
                Tuple.of(1, Arbitraries.of(5, 7, 8, 0x80, 0xFF)));
        Arbitrary<Long> offset = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.longs().between(0, 64)),
                Tuple.of(2, Arbitraries.of(maxUnits - 1, maxUnits, maxUnits + 1, maxUnits - 2).map(v -> Math.max(0, v))),
                Tuple.of(1, Arbitraries.of(0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0x01FF_FFFFL, 0x0200_0000L)),
                Tuple.of(1, Arbitraries.longs().between(0, 0xFFFF_FFFFL)));
        Arbitrary<Integer> dataLength = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(0)),
                Tuple.of(4, Arbitraries.integers().between(1, Math.max(1, dataLimit / 128)).map(u -> u * 128)),
                Tuple.of(2, Arbitraries.integers().between(0, Math.max(0, dataLimit))),
                Tuple.of(1, Arbitraries.of(1, 127, 129, 255, dataLimit - 1, dataLimit, dataLimit + 1)
                        .filter(n -> n >= 0)));
        Arbitrary<Boolean> reservedNoise = Arbitraries.frequency(Tuple.of(5, false), Tuple.of(1, true));
        Arbitrary<Integer> content = Arbitraries.integers().between(-1, Catalogue.IMAGES.size() - 1);
        Arbitrary<byte[]> structured = Combinators.combine(action, slot, offset, dataLength, reservedNoise, content,
                Arbitraries.longs()).as((a, sl, o, n, noise, img, seed) -> {
                    Random r = new Random(seed);
                    byte[] p = new byte[0x80 + n];
                    if (noise) {
                        r.nextBytes(p);
                    }
                    ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
                    b.put(0, (byte) (int) a);
                    b.put(1, (byte) (int) sl);
                    b.putInt(4, (int) (long) o);
                    if (img < 0) {
                        byte[] data = new byte[n];
                        r.nextBytes(data);
                        System.arraycopy(data, 0, p, 0x80, n);
                    } else {
                        // a slice of a known image at the part's offset: parts that look like the real thing
                        byte[] image = Catalogue.IMAGES.get(img).bytes();
                        long from = (a == 0 ? 0 : o * 128);
                        for (int i = 0; i < n; i++) {
                            long at = from + i;
                            p[0x80 + i] = at < image.length ? image[(int) at] : 0;
                        }
                    }
                    return p;
                });
        Arbitrary<byte[]> shortHeader = bytes(Arbitraries.integers().between(0, 0x7F));
        return Arbitraries.frequencyOf(Tuple.of(12, structured), Tuple.of(1, shortHeader));
    }

    // ------------------------------------------------------------------------------------ images

    /** Valid packages (the model knows them, and only them, as passing verification) and corrupted images. */
    static final class Catalogue {
        record Image(String name, byte[] bytes, boolean valid, long securityVersion) {
            @Override
            public String toString() {
                return name + "(" + bytes.length + " B" + (valid ? "" : ", bad") + ")";
            }
        }

        static final List<Image> IMAGES = new ArrayList<>();
        static final List<FirmwareModel.KnownPackage> KNOWN = new ArrayList<>();
        static final FirmwareModel.KnownPackage FACTORY = new FirmwareModel.KnownPackage(FirmwarePackage.factory(),
                FirmwarePackage.FACTORY_REVISION, 0);

        static {
            Random r = new Random(0xF0220L);
            KNOWN.add(FACTORY);
            valid("F0", 0, body(r, 0));        //  128 B: a header alone
            valid("F1", 0, body(r, 100));      //  256 B
            valid("F2", 0, body(r, 760));      //  896 B: exactly the data of a 1 KiB MCTP message
            valid("F3", 0, body(r, 1900));     // 2048 B
            valid("F4", 0, body(r, 3800));     // 3968 B: exactly the data of a 4 KiB mailbox
            valid("F5", 0, body(r, 5200));     // 5376 B: above a 4 KiB maximum package size
            valid("SV1", 1, body(r, 1000));    // raises the security floor once activated
            valid("SV2", 2, body(r, 300));
            valid("F6", 0, body(r, 700));
            IMAGES.add(new Image("factory", FACTORY.bytes(), true, 0));
            byte[] f3 = bytesOf("F3");
            byte[] flip = f3.clone();
            flip[300] ^= 0x01;
            bad("F3-body-flip", flip);
            byte[] header = bytesOf("F2").clone();
            header[0x12] ^= 0x20;
            bad("F2-header-flip", header);
            bad("F4-truncated", Arrays.copyOf(bytesOf("F4"), bytesOf("F4").length - 128));
            bad("F1-short-tail", Arrays.copyOf(bytesOf("F1"), 200));
            bad("F1-extra", Arrays.copyOf(bytesOf("F1"), bytesOf("F1").length + 128));
            bad("random-1024", body(r, 1024));
            bad("random-100", body(r, 100));
        }

        private static void valid(String rev, long sv, byte[] body) {
            byte[] bytes = FirmwarePackage.builder().revision(rev).securityVersion(sv).body(body).build().toByteArray();
            KNOWN.add(new FirmwareModel.KnownPackage(bytes, rev, sv));
            IMAGES.add(new Image(rev, bytes, true, sv));
        }

        private static void bad(String name, byte[] bytes) {
            IMAGES.add(new Image(name, bytes, false, 0));
        }

        private static byte[] bytesOf(String rev) {
            return KNOWN.stream().filter(k -> k.revision().equals(rev)).findFirst().orElseThrow().bytes();
        }

        private static byte[] body(Random r, int n) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            return b;
        }
    }

    // ------------------------------------------------------------------------------------ the harness

    /** A device (and, where it applies, the model) driven by the steps, checking after every one. */
    static final class Harness implements AutoCloseable {
        private static final int LOG_LINES = 60;
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        private final Setup setup;
        private final Path root;
        private TestDevice device;
        /** Null once a Sanitize was accepted: the model knows neither its media-disabled state nor its busy time. */
        private FirmwareModel model;
        private final Deque<String> log = new ArrayDeque<>();
        private final Map<Cci, Upload> uploads = new EnumMap<>(Cci.class);
        private int responseLimitExp = 10;
        /** What the LSA holds: every successful Set LSA's bytes (persisted, so kept across resets and restarts). */
        private final byte[] lsa = new byte[LSA_SIZE];
        private int tag;
        private int lastActive = 1;
        private final String[] inspected = new String[FwInfo.SLOT_COUNT + 1];

        /** The host's bookkeeping of a well-formed upload in progress on one CCI. */
        static final class Upload {
            final Catalogue.Image image;
            final int slotChoice;
            long next;

            Upload(Catalogue.Image image, int slotChoice, long next) {
                this.image = image;
                this.slotChoice = slotChoice;
                this.next = next;
            }
        }

        Harness(Setup setup) {
            this.setup = setup;
            try {
                this.root = Files.createTempDirectory(scratch(), "cxlkit-fuzz-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            this.device = openDevice();
            boolean instant = setup.timingKind() == TimingKind.INSTANT;
            this.model = setup.modelled() ? new FirmwareModel(new FirmwareModel.Config(setup.slots(), setup.online(),
                    setup.maxPackage(), setup.partTimeoutNanos(), instant ? 0 : setup.partNanos(),
                    instant ? 0 : setup.fullNanos(), instant ? 0 : setup.activateNanos(), setup.limit(Cci.MAILBOX),
                    setup.limit(Cci.MCTP)), Catalogue.FACTORY, Catalogue.KNOWN) : null;
            note("open " + setup + (model == null ? " (no model)" : ""));
        }

        /**
         * Opens the device on its directory with a new virtual clock. A restart takes a new clock too:
         * {@code CxlDevice.close()} leaves an open transfer's expiry task scheduled, and on a shared clock
         * that task would delete the reopened device's staging file (see
         * {@link DeviceCommandFuzzProperties#aClosedDeviceLeavesTheReopenedDevicesStagingAlone}).
         */
        private TestDevice openDevice() {
            return TestDevice.builder(root.resolve("mem0"))
                    .config(c -> c.slots(setup.slots()).onlineActivate(setup.online()).maxPackageSize(setup.maxPackage())
                            .partTimeout(Duration.ofNanos(setup.partTimeoutNanos())).timing(setup.timing())
                            .payloadSizeExponent(setup.mailboxExp()).mctpMessageSizeExponent(setup.mctpExp())
                            .verifyPolicy(setup.policy()))
                    .clock(new VirtualClock())
                    .open();
        }

        private static Path scratch() throws IOException {
            Path shm = Path.of("/dev/shm");
            if (Files.isDirectory(shm) && Files.isWritable(shm)) {
                return shm;
            }
            return Path.of(System.getProperty("java.io.tmpdir"));
        }

        void run(Step step, String what) {
            note(what);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            int payloadBytes = 0;
            try {
                if (step instanceof Send s) {
                    payloadBytes = s.payload().length;
                    send(s.cci(), s.opcode(), s.payload(), s.declared());
                } else if (step instanceof GoodPart g) {
                    payloadBytes = goodPart(g);
                } else if (step instanceof GoodActivate a) {
                    goodActivate(a);
                } else if (step instanceof Advance a) {
                    advance(a.nanos());
                } else if (step instanceof AdvancePartTimeout t) {
                    advance(setup.partTimeoutNanos() + t.delta());
                } else if (step instanceof ColdReset) {
                    if (model != null) {
                        model.coldReset();
                    }
                    device.coldReset();
                    afterReset();
                } else if (step instanceof Restart) {
                    if (model != null) {
                        model.coldReset();
                    }
                    device.close();
                    device = openDevice();
                    afterReset();
                } else if (step instanceof Inject i) {
                    inject(i);
                } else if (step instanceof RegisterAccess ra) {
                    registerAccess(ra);
                } else {
                    throw new IllegalArgumentException("unknown step " + step);
                }
            } catch (AssertionError e) {
                throw e;
            } catch (Throwable t) {
                throw fail("an exception escaped: " + t, t);
            }
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            // file work, digests and logging allocate, but nothing should scale beyond the payload
            long bound = 8L * MIB + 16L * payloadBytes;
            require(allocated <= bound, "the step allocated " + allocated + " bytes (bound " + bound + ")");
            checkInvariants(what);
        }

        private void afterReset() {
            responseLimitExp = 10;
            uploads.clear();
        }

        // ---- commands

        /** Sends one command on {@code cci}, checks the answer, and compares it with the model where it applies. */
        int send(Cci cci, int opcode, byte[] payload, int declared) {
            COMMANDS.incrementAndGet();
            int length = cci == Cci.MCTP ? payload.length : declared;
            Integer expected = model != null && modelOpcode(opcode) ? modelAnswer(cci, opcode, payload, length) : null;
            int rc;
            byte[] out;
            if (cci == Cci.MCTP) {
                tag = (tag + 1) & 0xFF;
                CciMessage request = CciMessage.request(tag, Opcode.of(opcode), payload);
                CciMessage response = device.device().mctp().handle(request);
                CciHeader h = response.header();
                require(h.category() == CciHeader.CATEGORY_RESPONSE, "response category " + h.category());
                require(h.tag() == tag && h.opcode().value() == opcode, "response does not echo tag/opcode: " + h);
                rc = response.returnCode();
                require(h.background() == (rc == ReturnCode.BACKGROUND_COMMAND_STARTED.value()),
                        "BO flag " + h.background() + " with " + ReturnCode.hex(rc));
                out = response.payload();
                require(out.length <= 1 << responseLimitExp, "MCTP response of " + out.length
                        + " bytes above the response message limit 2^" + responseLimitExp);
            } else {
                device.mailboxSubmit(opcode, declared, payload);
                TestDevice.Reply reply = device.mailboxCollect();
                rc = reply.returnCode();
                out = reply.output();
                require(out.length <= setup.limit(Cci.MAILBOX), "mailbox output of " + out.length
                        + " bytes above the payload size " + setup.limit(Cci.MAILBOX));
            }
            note("  -> " + ReturnCode.hex(rc) + " (" + out.length + " B)"
                    + (expected != null ? ", model " + ReturnCode.hex(expected) : ""));
            require(ReturnCode.fromValue(rc).isPresent(), "undefined return code " + ReturnCode.hex(rc));
            require(rc != ReturnCode.INTERNAL_ERROR.value(), "0004h Internal Error");
            checkDispatch(cci, opcode, payload, length, rc);
            if (expected != null) {
                MODEL_CHECKED.incrementAndGet();
                require(rc == expected, "device answered " + ReturnCode.hex(rc) + ", the reference model "
                        + ReturnCode.hex(expected));
            }
            if (opcode == 0x4400 && (rc == 0 || rc == ReturnCode.BACKGROUND_COMMAND_STARTED.value())) {
                // an accepted Sanitize disables media until one completes, which zeroes the LSA:
                // Get LSA succeeds again only then, reading zeros (memdev-commands.md §9)
                Arrays.fill(lsa, (byte) 0);
                if (model != null) {
                    note("  (Sanitize accepted: firmware answers are no longer compared with the model)");
                    model = null;
                }
            }
            if (rc == 0 && length <= payload.length) { // else the mailbox read bytes we did not write
                checkOutput(cci, opcode, payload, length, out);
            } else {
                require(out.length == 0, "a failed command returned " + out.length + " output bytes");
            }
            return rc;
        }

        private Integer modelAnswer(Cci cci, int opcode, byte[] payload, int length) {
            return switch (opcode) {
                case 0x0005 -> model.requestAbort(cci, length);
                case 0x0202 -> length == 2 ? model.activate(cci, length, payload[0] & 0xFF, payload[1] & 0xFF)
                        : model.activate(cci, length, 0, 0);
                case 0x0201 -> {
                    if (length < 0x80 || payload.length < 0x80) {
                        yield model.transfer(cci, length, 0, 0, 0, new byte[0]);
                    }
                    ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
                    yield model.transfer(cci, length, b.get(0) & 0xFF, b.get(1) & 0xFF, b.getInt(4) & 0xFFFF_FFFFL,
                            Arrays.copyOfRange(payload, 0x80, payload.length));
                }
                default -> throw new IllegalArgumentException();
            };
        }

        /** device-behaviour.md §1 checks 1-3: 0003h, 0016h, 0015h, before anything else. */
        private void checkDispatch(Cci cci, int opcode, byte[] payload, int length, int rc) {
            Optional<Row> r = row(opcode);
            if (r.isEmpty()) {
                require(rc == ReturnCode.UNSUPPORTED.value(), "unknown opcode answered " + ReturnCode.hex(rc));
                return;
            }
            if (r.get().counted() && length >= r.get().min() && payload.length <= 2) {
                return; // the count byte is a stale one of the mailbox's payload area: not known here
            }
            if (length > setup.limit(cci) || !r.get().lengthOk(length, payload)) {
                require(rc == ReturnCode.INVALID_PAYLOAD_LENGTH.value(), "input length " + length
                        + " breaks the length rule but got " + ReturnCode.hex(rc));
                return;
            }
            if (!r.get().offeredOn(cci)) {
                require(rc == ReturnCode.UNSUPPORTED_MAILBOX_OR_CCI.value(), "command not offered on " + cci
                        + " answered " + ReturnCode.hex(rc));
            }
        }

        /** A successful response decodes and has the documented size and content. */
        private void checkOutput(Cci cci, int opcode, byte[] payload, int length, byte[] out) {
            ByteBuffer b = ByteBuffer.wrap(out);
            int maxOut = cci == Cci.MCTP ? 1 << responseLimitExp : setup.limit(Cci.MAILBOX);
            int cel = celEntries(cci) * 4;
            switch (opcode) {
                case 0x0001 -> {
                    require(out.length == Identify.SIZE, "Identify size " + out.length);
                    Identify id = Identify.decode(b);
                    require(id.maxMessageSizeExponent() == setup.mctpExp() && id.componentType() == 3,
                            "Identify " + id);
                }
                case 0x0002 -> {
                    require(out.length == BackgroundOperationStatus.SIZE, "BG status size " + out.length);
                    BackgroundOperationStatus.decode(b);
                }
                case 0x0003 -> {
                    require(out.length == 1, "Get Response Message Limit size " + out.length);
                    int n = ResponseMessageLimit.decode(b).exponent();
                    require(n == responseLimitExp, "response message limit " + n + ", expected " + responseLimitExp);
                }
                case 0x0004 -> {
                    require(out.length == 1, "Set Response Message Limit size " + out.length);
                    int n = ResponseMessageLimit.decode(b).exponent();
                    int asked = payload[0] & 0xFF;
                    require(n == asked && n >= 8 && n <= 10, "Set Response Message Limit " + asked + " applied " + n);
                    responseLimitExp = n;
                }
                case 0x0200 -> {
                    require(out.length == FwInfo.SIZE, "Get FW Info size " + out.length);
                    require(FwInfo.decode(b).equals(device.fwInfo()), "Get FW Info differs from the device's state");
                }
                case 0x0300 -> require(out.length == Timestamp.SIZE, "Get Timestamp size " + out.length);
                case 0x0400 -> {
                    SupportedLogs logs = SupportedLogs.decode(b);
                    require(out.length == logs.size() && logs.entries().equals(List.of(
                            new SupportedLogEntry(LogIds.CEL_UUID, cel),
                            new SupportedLogEntry(LogIds.VERIFICATION_LOG_UUID, device.device().verificationLog().size()))),
                            "Get Supported Logs " + logs);
                }
                case 0x0401 -> {
                    ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
                    UUID log = new UUID(Long.reverseBytes(in.getLong(0)), Long.reverseBytes(in.getLong(8)));
                    long offset = in.getInt(0x10) & 0xFFFF_FFFFL;
                    long len = in.getInt(0x14) & 0xFFFF_FFFFL;
                    byte[] expected = log.equals(LogIds.CEL_UUID) ? celBytes(cci)
                            : log.equals(LogIds.VERIFICATION_LOG_UUID) ? device.device().verificationLog().encode() : null;
                    require(expected != null, "Get Log succeeded for the unknown log " + log);
                    require(len <= maxOut && offset + len <= expected.length, "Get Log succeeded for offset " + offset
                            + " length " + len + " (log " + expected.length + " B, limit " + maxOut + ")");
                    require(out.length == len, "Get Log returned " + out.length + " bytes for " + len);
                    require(Arrays.equals(out, Arrays.copyOfRange(expected, (int) offset, (int) (offset + len))),
                            "Get Log bytes differ from the log's " + log);
                }
                case 0x0405 -> {
                    SupportedLogsSubList sub = SupportedLogsSubList.decode(b);
                    int max = payload[0] & 0xFF;
                    int start = payload[1] & 0xFF;
                    int total = 2; // the CEL and the Verification Log
                    require(out.length == sub.size() && sub.totalLogs() == total && sub.startIndex() == start
                            && sub.entries().size() <= max && start <= total
                            && sub.entries().size() == Math.min(max, total - start), "Sub-List " + sub + " for max "
                            + max + " start " + start);
                }
                case 0x0100 -> {
                    GetEventRecordsResponse r = GetEventRecordsResponse.decode(b);
                    require(out.length == r.size() && out.length <= maxOut && payload[0] <= 3,
                            "Get Event Records " + out.length + " bytes for log " + payload[0]);
                }
                case 0x0102 -> require(out.length == EventInterruptPolicy.SIZE, "Get Event Interrupt Policy size "
                        + out.length);
                case 0x0402 -> require(Arrays.equals(out, new byte[] {8, 0, 0, 0}), "Get Log Capabilities "
                        + Arrays.toString(out));
                case 0x4200 -> require(Arrays.equals(out, device.device().healthInfo().encode()),
                        "Get Health Info differs from the device's state");
                case 0x4201 -> require(out.length == AlertConfig.SIZE, "Get Alert Configuration size " + out.length);
                case 0x4203 -> require(out.length == ShutdownState.SIZE, "Get Shutdown State size " + out.length);
                case 0x4100 -> {
                    require(out.length == PartitionInfo.SIZE, "Get Partition Info size " + out.length);
                    require(PartitionInfo.decode(b).equals(new PartitionInfo(0, 4, 0, 0)),
                            "Get Partition Info " + Arrays.toString(out));
                }
                case 0x4102 -> {
                    ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
                    long offset = in.getInt(0) & 0xFFFF_FFFFL;
                    long len = in.getInt(4) & 0xFFFF_FFFFL;
                    require(offset + len <= LSA_SIZE && len <= maxOut, "Get LSA succeeded for offset " + offset
                            + " length " + len + " (limit " + maxOut + ")");
                    require(Arrays.equals(out, Arrays.copyOfRange(lsa, (int) offset, (int) (offset + len))),
                            "Get LSA bytes differ from those Set LSA wrote");
                }
                case 0x4103 -> {
                    long offset = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt(0) & 0xFFFF_FFFFL;
                    require(out.length == 0 && offset + payload.length - 8 <= LSA_SIZE,
                            "Set LSA succeeded beyond the LSA at " + offset);
                    System.arraycopy(payload, 8, lsa, (int) offset, payload.length - 8);
                }
                case 0x4000 -> {
                    require(out.length == IdentifyMemoryDevice.SIZE, "Identify Memory Device size " + out.length);
                    IdentifyMemoryDevice imd = IdentifyMemoryDevice.decode(b);
                    FwInfo info = device.fwInfo();
                    require(imd.fwRevision().equals(info.revision(info.activeSlot())),
                            "Identify Memory Device revision " + imd.fwRevision());
                }
                case 0x4300 -> {
                    GetPoisonListResponse r = GetPoisonListResponse.decode(b);
                    require(out.length == r.size() && out.length <= maxOut, "Get Poison List " + out.length + " bytes");
                }
                case 0x4303 -> require(out.length == ScanMediaCapabilities.SIZE, "Get Scan Media Capabilities size "
                        + out.length);
                case 0x4305 -> {
                    GetScanMediaResultsResponse r = GetScanMediaResultsResponse.decode(b);
                    require(out.length == r.size() && out.length <= maxOut, "Get Scan Media Results " + out.length
                            + " bytes");
                }
                case 0x4500 -> require(Arrays.equals(out, new byte[4]), "Get Security State " + Arrays.toString(out));
                default -> require(out.length == 0, ReturnCode.hex(opcode) + " returned " + out.length + " bytes");
            }
        }

        private static byte[] celBytes(Cci cci) {
            ByteBuffer b = ByteBuffer.allocate(celEntries(cci) * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (Row r : TABLE) {
                if (r.offeredOn(cci)) {
                    b.putShort((short) r.opcode()).putShort((short) r.celEffects());
                }
            }
            return Arrays.copyOf(b.array(), b.position());
        }

        /** The next part of a well-formed upload of one catalogue image; returns the payload size. */
        private int goodPart(GoodPart g) {
            Cci cci = g.cci();
            int dataLimit = setup.limit(cci) - 0x80;
            int unit = Math.max(1, Math.min(g.units(), dataLimit / 128)) * 128;
            Upload u = uploads.get(cci);
            byte[] payload;
            int action;
            if (u == null) {
                Catalogue.Image image = Catalogue.IMAGES.get(g.image());
                byte[] img = image.bytes();
                if (img.length <= dataLimit && (g.preferFull() || img.length <= unit)) {
                    action = 0;
                    payload = transfer(0, targetSlot(g.slotChoice()), 0, img, 0, img.length);
                } else {
                    action = 1;
                    payload = transfer(1, 0, 0, img, 0, unit);
                    u = new Upload(image, g.slotChoice(), 0);
                }
                note("  good part of " + image + ": " + (action == 0 ? "Full" : "Initiate"));
            } else {
                byte[] img = u.image.bytes();
                long remaining = img.length - u.next;
                if (remaining <= unit) {
                    action = 3;
                    payload = transfer(3, targetSlot(u.slotChoice), u.next / 128, img, (int) u.next, (int) remaining);
                } else {
                    action = 2;
                    payload = transfer(2, 0, u.next / 128, img, (int) u.next, unit);
                }
                note("  good part of " + u.image + ": " + (action == 2 ? "Continue" : "End") + " at " + u.next);
            }
            int rc = send(cci, 0x0201, payload, payload.length);
            boolean accepted = rc == 0 || rc == ReturnCode.BACKGROUND_COMMAND_STARTED.value();
            if (accepted && (action == 0 || action == 3)) {
                uploads.remove(cci);
                COMMITS.incrementAndGet();
            } else if (accepted) {
                u.next += payload.length - 0x80;
                uploads.put(cci, u);
            } else if (rc == ReturnCode.INVALID_INPUT.value() || rc == ReturnCode.FW_TRANSFER_OUT_OF_ORDER.value()) {
                uploads.remove(cci); // the transfer is gone (expired, aborted, or never opened)
            }
            return payload.length;
        }

        private void goodActivate(GoodActivate a) {
            FwInfo info = device.fwInfo();
            List<Integer> filled = new ArrayList<>();
            for (int s = 1; s <= setup.slots(); s++) {
                if (s != info.activeSlot() && !info.revision(s).isEmpty()) {
                    filled.add(s);
                }
            }
            // with nothing to activate, the active slot (000Bh) keeps the step useful
            int slot = filled.isEmpty() ? info.activeSlot() : filled.get(a.choice() % filled.size());
            note("  activate slot " + slot + (a.online() ? " online" : " on next reset"));
            send(a.cci(), 0x0202, new byte[] {(byte) (a.online() ? 0 : 1), (byte) slot}, 2);
        }

        /** Mostly a slot that can take a package; sometimes the active slot, slot 0 or one past the last. */
        private int targetSlot(int choice) {
            int active = device.fwInfo().activeSlot();
            return switch (choice) {
                case 0 -> active;
                case 1 -> 0;
                case 2 -> setup.slots() + 1;
                default -> {
                    List<Integer> free = new ArrayList<>();
                    for (int s = 1; s <= setup.slots(); s++) {
                        if (s != active) {
                            free.add(s);
                        }
                    }
                    yield free.get(choice % free.size());
                }
            };
        }

        private static byte[] transfer(int action, int slot, long offsetUnits, byte[] image, int from, int length) {
            byte[] p = new byte[0x80 + length];
            ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
            b.put(0, (byte) action);
            b.put(1, (byte) slot);
            b.putInt(4, (int) offsetUnits);
            System.arraycopy(image, from, p, 0x80, length);
            return p;
        }

        /**
         * The documented contract of the register block: naturally aligned 1, 2, 4 or 8-byte accesses
         * inside it work; anything else is an IllegalArgumentException, never another exception.
         */
        private void registerAccess(RegisterAccess ra) {
            var regs = device.mailbox();
            long size = regs.size();
            long off = ra.offset();
            int doorbellByte = io.cxlkit.protocol.regs.RegisterMap.MB_CONTROL;
            if (ra.bulk() >= 0) {
                int n = Math.min(ra.bulk(), 1 << 21);
                boolean valid = off >= 0 && off + n <= size;
                // a byte-wise write over the Control register would ring the doorbell: read there instead
                boolean write = ra.write() && !(off <= doorbellByte && doorbellByte < off + n);
                ByteBuffer buf = ByteBuffer.allocate(n);
                if (n == 0) {
                    // no access at all: a no-op or a refusal, wherever it points
                    try {
                        if (write) {
                            regs.writeBytes(ra.offset(), buf);
                        } else {
                            regs.readBytes(ra.offset(), buf);
                        }
                    } catch (IllegalArgumentException refused) {
                        // fine too
                    }
                    return;
                }
                expectAccess(valid, () -> {
                    if (write) {
                        regs.writeBytes(ra.offset(), buf);
                    } else {
                        regs.readBytes(ra.offset(), buf);
                    }
                }, ra);
                return;
            }
            int w = ra.width();
            boolean valid = (w == 1 || w == 2 || w == 4 || w == 8) && off >= 0 && off + w <= size && off % w == 0;
            long value = ra.value();
            if (ra.write() && off <= doorbellByte && doorbellByte < off + Math.max(w, 0)) {
                value &= ~(1L << (8 * (doorbellByte - off))); // never the doorbell bit
            }
            long v = value;
            expectAccess(valid, () -> {
                if (ra.write()) {
                    regs.write(ra.offset(), w, v);
                } else {
                    long read = regs.read(ra.offset(), w);
                    if (w < 8 && (read >>> (8 * w)) != 0) {
                        throw new AssertionError("a " + w + "-byte read returned " + Long.toHexString(read));
                    }
                }
            }, ra);
            require(!device.doorbell(), "the doorbell is set after " + ra);
        }

        private void expectAccess(boolean valid, Runnable access, RegisterAccess ra) {
            try {
                access.run();
                require(valid, ra + " should have been refused with IllegalArgumentException");
            } catch (IllegalArgumentException e) {
                require(!valid, ra + " was refused: " + e.getMessage());
            } catch (AssertionError e) {
                throw e;
            } catch (RuntimeException e) {
                throw fail(ra + " threw " + e + " (only IllegalArgumentException is documented)", e);
            }
        }

        private void advance(long nanos) {
            if (model != null) {
                model.advance(nanos);
            }
            device.advance(Duration.ofNanos(nanos));
        }

        private void inject(Inject i) {
            switch (i.kind()) {
                case MEDIA_DISABLED -> {
                    device.inject(FaultSet::setMediaDisabled);
                    if (model != null) {
                        model.injectMediaDisabled();
                    }
                }
                case ACTIVATION_ROLLBACK, ACTIVATION_COLD_RESET -> {
                    boolean rollback = i.kind() == FaultKind.ACTIVATION_ROLLBACK;
                    device.inject(f -> f.setActivationFailure(rollback ? FaultSet.ActivationFailure.ROLLBACK
                            : FaultSet.ActivationFailure.COLD_RESET));
                    if (model != null) {
                        model.injectActivationFailure(rollback ? FirmwareModel.ActivationFault.ROLLBACK
                                : FirmwareModel.ActivationFault.COLD_RESET);
                    }
                }
                case CORRUPT_STAGING -> {
                    device.inject(FaultSet::setCorruptStaging);
                    if (model != null) {
                        model.injectCorruptStaging();
                    }
                }
                case LATE_PART -> {
                    device.inject(FaultSet::setLatePart);
                    if (model != null) {
                        model.injectLatePart();
                    }
                }
                case FAIL_OPCODE -> {
                    device.failOpcode(i.opcode(), i.returnCode(), i.count(), i.cci().orElse(null));
                    if (model != null && modelOpcode(i.opcode())) {
                        model.injectFailOpcode(Opcode.of(i.opcode()), i.returnCode(), i.count(), i.cci().orElse(null));
                    }
                }
            }
        }

        // ---- invariants

        void checkInvariants(String what) {
            List<String> traces = CAPTURE.drain();
            require(traces.isEmpty(), "logged stack trace(s) during " + what + ": " + traces);
            FwInfo info = device.fwInfo();
            int active = info.activeSlot();
            int staged = info.stagedSlot();
            require(info.slotsSupported() == setup.slots(), "slots supported " + info.slotsSupported());
            require(active >= 1 && active <= setup.slots(), "active slot " + active);
            require(staged != active, "staged slot " + staged + " is the active slot");
            require(staged >= 0 && staged <= setup.slots(), "staged slot " + staged);
            for (int s = 1; s <= FwInfo.SLOT_COUNT; s++) {
                Optional<Path> file = s <= setup.slots() ? device.device().slotFile(s) : Optional.empty();
                String rev = info.revision(s);
                require(file.isPresent() == !rev.isEmpty(), "slot " + s + ": revision '" + rev + "' but file "
                        + file.map(Path::toString).orElse("none"));
                if (file.isPresent()) {
                    require(Files.isRegularFile(file.get()), "slot " + s + "'s file " + file.get() + " is missing");
                    if (setup.policy() == VerifyPolicy.PACKAGE) {
                        inspectIntact(s, file.get(), rev);
                    }
                }
            }
            require(!info.revision(active).isEmpty(), "the active slot " + active + " is empty");
            if (active != lastActive) {
                ACTIVATIONS.incrementAndGet();
                lastActive = active;
            }
            require(staged == 0 || !info.revision(staged).isEmpty(), "the staged slot " + staged + " is empty");
            Path staging = device.dir().resolve("staging.bin");
            try {
                if (Files.exists(staging)) {
                    long size = Files.size(staging);
                    require(size <= setup.maxPackage(), "staging file of " + size + " bytes above the maximum package "
                            + setup.maxPackage());
                }
            } catch (IOException e) {
                // removed meanwhile: nothing to check
            }
            if (model != null) {
                require(active == model.active(), "active slot " + active + ", model " + model.active());
                require(staged == model.staged(), "staged slot " + staged + ", model " + model.staged());
                require(info.slotRevisions().equals(model.revisions()), "revisions " + info.slotRevisions()
                        + ", model " + model.revisions());
            }
        }

        private void inspectIntact(int slot, Path file, String revision) {
            try {
                var attrs = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
                String key = file + "|" + attrs.fileKey() + "|" + attrs.lastModifiedTime() + "|" + attrs.size() + "|"
                        + revision;
                if (key.equals(inspected[slot])) {
                    return; // replaced only by rename, so the same inode, time and size are the same bytes
                }
                var inspection = PackageVerifier.inspect(file);
                require(inspection.intact(), "slot " + slot + " holds a package that is not intact: "
                        + inspection.failure().map(io.cxlkit.protocol.fwpkg.VerificationFailure::message).orElse("?"));
                require(inspection.header().orElseThrow().revision().equals(revision), "slot " + slot
                        + " reports revision " + revision + " for a package of "
                        + inspection.header().orElseThrow().revision());
                inspected[slot] = key;
            } catch (IOException e) {
                throw fail("cannot read slot " + slot + ": " + e, e);
            }
        }

        // ---- reporting

        private void note(String line) {
            log.addLast(line);
            while (log.size() > LOG_LINES) {
                log.removeFirst();
            }
        }

        private void require(boolean ok, String message) {
            if (!ok) {
                throw fail(message, null);
            }
        }

        private AssertionError fail(String message, Throwable cause) {
            return new AssertionError(message + "\nmodel: " + (model == null ? "none" : model.toString())
                    + "\nrecent steps:\n  " + String.join("\n  ", log), cause);
        }

        @Override
        public void close() {
            try {
                device.close();
            } finally {
                try (Stream<Path> files = Files.walk(root)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // best effort
                }
            }
        }
    }
}
