package io.cxlkit.device.persist;

import static io.cxlkit.device.persist.PersistHarness.STAGING_FILE;
import static io.cxlkit.device.persist.PersistHarness.activateOnReset;
import static io.cxlkit.device.persist.PersistHarness.activateOnline;
import static io.cxlkit.device.persist.PersistHarness.config;
import static io.cxlkit.device.persist.PersistHarness.corrupted;
import static io.cxlkit.device.persist.PersistHarness.describe;
import static io.cxlkit.device.persist.PersistHarness.full;
import static io.cxlkit.device.persist.PersistHarness.fwInfo;
import static io.cxlkit.device.persist.PersistHarness.hex;
import static io.cxlkit.device.persist.PersistHarness.intact;
import static io.cxlkit.device.persist.PersistHarness.open;
import static io.cxlkit.device.persist.PersistHarness.packageA;
import static io.cxlkit.device.persist.PersistHarness.packageB;
import static io.cxlkit.device.persist.PersistHarness.packageC;
import static io.cxlkit.device.persist.PersistHarness.parts;
import static io.cxlkit.device.persist.PersistHarness.tmpFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.persist.PersistHarness.DiskState;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.fwpkg.PackageVerifier;
import io.cxlkit.protocol.payload.FwInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crash simulation (device-behaviour.md §6): a scenario is run once with a counting hook to find
 * its N write/fsync/rename/delete points; then, for each k in 1..N, the same prior state is built in
 * a fresh directory and the scenario is run again with a hook that kills the "process" at the k-th
 * point. Whatever the device did with the crash (it may propagate or be turned into a failure code),
 * the files left behind must satisfy the persistence guarantees, both as found on disk and as seen
 * by a device restarted on them.
 */
class SlotCommitCrashTest {

    private static final int OK = ReturnCode.SUCCESS.value();

    @TempDir
    Path root;

    /** A run of a scenario: {@link CrashRun} with the check of a firmware command's answer. */
    static final class Run extends CrashRun {

        Run(Path dir, DeviceConfig config, CrashingHook hook) {
            super(dir, config, hook);
        }

        /** Checks a return code, unless the process has crashed (then any code may come back). */
        void expect(String what, int rc, ReturnCode expected) {
            if (!hook.crashed()) {
                assertThat(hex(rc)).as(what).isEqualTo(hex(expected.value()));
            }
        }
    }

    /**
     * @param markMayDrop the scenario replaces a staged slot, whose mark the device clears before
     *                    the rename: a crash in between leaves (old active, no mark), allowed by §6
     * @param afterCheck  sanity check of the state a crash-free run ends with
     */
    record Scenario(String name, DeviceConfig config, CrashRun.Step<Run> setup, CrashRun.Step<Run> action,
                    boolean markMayDrop, Consumer<DiskState> afterCheck) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Result(DiskState before, DiskState after, List<String> points, String crashedAt, boolean thrown) {
    }

    // ---- scenarios ----

    private static CrashRun.Step<Run> openWith(byte[] slot2) {
        return r -> {
            r.open();
            r.expect("setup: Full to slot 2", full(r.device, 2, slot2), ReturnCode.SUCCESS);
        };
    }

    private static CrashRun.Step<Run> openWithStaged(byte[] slot2) {
        return r -> {
            openWith(slot2).run(r);
            r.expect("setup: Activate on reset slot 2", activateOnReset(r.device, 2), ReturnCode.SUCCESS);
        };
    }

    private static Consumer<DiskState> expect(int active, int staged, int slot, byte[] content) {
        return d -> {
            assertThat(d.hasState()).isTrue();
            assertThat(d.active()).as("active").isEqualTo(active);
            assertThat(d.staged()).as("staged").isEqualTo(staged);
            assertThat(d.slot(slot)).as("slot " + slot).isEqualTo(content);
        };
    }

    static Stream<Scenario> scenarios() {
        byte[] a = packageA();
        byte[] b = packageB();
        DeviceConfig two = config();
        DeviceConfig three = config().toBuilder().slots(3).build();
        return Stream.of(
                new Scenario("Full of B over A in slot 2", two, openWith(a),
                        r -> r.expect("Full B", full(r.device, 2, b), ReturnCode.SUCCESS),
                        false, expect(1, 0, 2, b)),
                new Scenario("parts of B over A in slot 2", two, openWith(a),
                        r -> r.expect("parts B", parts(r.device, 2, b), ReturnCode.SUCCESS),
                        false, expect(1, 0, 2, b)),
                new Scenario("Full of B into empty slot 2", two, Run::open,
                        r -> r.expect("Full B", full(r.device, 2, b), ReturnCode.SUCCESS),
                        false, expect(1, 0, 2, b)),
                new Scenario("parts of B into empty slot 2", two, Run::open,
                        r -> r.expect("parts B", parts(r.device, 2, b), ReturnCode.SUCCESS),
                        false, expect(1, 0, 2, b)),
                new Scenario("Full of B over staged A in slot 2", two, openWithStaged(a),
                        r -> r.expect("Full B", full(r.device, 2, b), ReturnCode.SUCCESS),
                        true, expect(1, 0, 2, b)),
                new Scenario("parts of B over staged A in slot 2", two, openWithStaged(a),
                        r -> r.expect("parts B", parts(r.device, 2, b), ReturnCode.SUCCESS),
                        true, expect(1, 0, 2, b)),
                new Scenario("Full of B to slot 3 while A in slot 2 is staged", three, openWithStaged(a),
                        r -> r.expect("Full B", full(r.device, 3, b), ReturnCode.SUCCESS),
                        false, expect(1, 2, 3, b)),
                new Scenario("Full of a corrupt package over A (000Ah)", two, openWith(a),
                        r -> r.expect("Full corrupt", full(r.device, 2, corrupted(b)),
                                ReturnCode.FW_VERIFICATION_FAILED),
                        false, expect(1, 0, 2, a)),
                new Scenario("Activate on reset (staged mark persist)", two, openWith(b),
                        r -> r.expect("Activate on reset", activateOnReset(r.device, 2), ReturnCode.SUCCESS),
                        false, expect(1, 2, 2, b)),
                new Scenario("on-reset activation by cold reset", two, openWithStaged(b),
                        r -> r.device.coldReset(),
                        false, expect(2, 0, 2, b)),
                new Scenario("on-reset activation by restart", two, openWithStaged(b),
                        Run::open,
                        false, expect(2, 0, 2, b)),
                new Scenario("online activation", two, openWith(b),
                        r -> r.expect("Activate online", activateOnline(r.device, 2), ReturnCode.SUCCESS),
                        false, expect(2, 0, 2, b)),
                new Scenario("first start", two, r -> { },
                        Run::open,
                        false, expect(1, 0, 1, FirmwarePackage.factory())));
    }

    // ---- running ----

    private static Result run(Scenario s, Path dir, int crashAt) throws Exception {
        CrashingHook hook = new CrashingHook(crashAt);
        Run run = new Run(dir, s.config(), hook);
        s.setup().run(run);
        DiskState before = DiskState.read(dir);
        hook.arm();
        boolean thrown = false;
        try {
            s.action().run(run);
        } catch (SimulatedCrash e) {
            thrown = true;
        }
        return new Result(before, DiskState.read(dir), hook.points(), hook.crashedAt(), thrown);
    }

    private Result reference(Scenario s) throws Exception {
        Path dir = root.resolve(slug(s) + "-reference");
        Result ref = run(s, dir, 0);
        assertThat(ref.crashedAt()).isNull();
        s.afterCheck().accept(ref.after());
        assertThat(dir.resolve(STAGING_FILE)).as("staging.bin after a crash-free run").doesNotExist();
        assertThat(tmpFiles(dir)).as("temporary files after a crash-free run").isEmpty();
        return ref;
    }

    private static String slug(Scenario s) {
        return s.name().replaceAll("[^A-Za-z0-9]+", "-");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void aCrashAtEveryPointLeavesAConsistentState(Scenario s, TestReporter reporter) throws Exception {
        Result ref = reference(s);
        int n = ref.points().size();
        assertThat(n).as("write points reached by '" + s.name() + "'").isPositive();
        reporter.publishEntry(s.name(), n + " points: " + String.join(" | ", ref.points()));

        List<String> failures = new ArrayList<>();
        int propagated = 0;
        for (int k = 1; k <= n; k++) {
            Path dir = root.resolve(slug(s) + "-crash-" + k);
            String at = ref.points().get(k - 1);
            try {
                Result crash = run(s, dir, k);
                assertThat(crash.crashedAt()).as("the crash happened at the same point as counted")
                        .isEqualTo(at);
                if (crash.thrown()) {
                    propagated++;
                }
                checkOnDisk(s, ref, crash.after());
                checkAfterRestart(s, ref, crash.after(), dir);
            } catch (AssertionError | Exception e) {
                failures.add("crash " + k + "/" + n + " at '" + at + "': " + e.getMessage().strip());
            }
        }
        reporter.publishEntry(s.name() + " crashes propagated to the caller", propagated + " of " + n);
        System.out.printf("%s: %d crash points, %d crashes propagated to the caller, %d failed%n",
                s.name(), n, propagated, failures.size());
        assertThat(failures).as(s.name()).isEmpty();
    }

    /** The files as a killed process leaves them, before any restart (§6). */
    private static void checkOnDisk(Scenario s, Result ref, DiskState d) {
        DiskState b0 = ref.before();
        DiskState b1 = ref.after();
        String ctx = "on disk [" + d + "], before [" + b0 + "], after [" + b1 + "]: ";
        for (int slot = 1; slot <= 4; slot++) {
            byte[] got = d.slot(slot);
            assertThat(Arrays.equals(got, b0.slot(slot)) || Arrays.equals(got, b1.slot(slot)))
                    .as(ctx + "slot " + slot + " holds " + describe(got) + ", neither the old "
                            + describe(b0.slot(slot)) + " nor the new " + describe(b1.slot(slot)))
                    .isTrue();
        }
        if (b0.hasState()) {
            assertThat(d.hasState()).as(ctx + "device.properties vanished").isTrue();
        }
        if (!d.hasState()) {
            return; // an interrupted first start: nothing persisted yet but (maybe) slot 1
        }
        if (b0.hasState()) {
            assertThat(d.serial()).as(ctx + "serial").isEqualTo(b0.serial());
            assertThat(d.slots()).as(ctx + "slots").isEqualTo(b0.slots());
        }
        List<List<Integer>> pairs = new ArrayList<>();
        if (b0.hasState()) {
            pairs.add(List.of(b0.active(), b0.staged()));
            if (s.markMayDrop()) {
                pairs.add(List.of(b0.active(), 0));
            }
        }
        pairs.add(List.of(b1.active(), b1.staged()));
        assertThat(pairs).as(ctx + "(active, staged)").contains(List.of(d.active(), d.staged()));

        assertThat(d.slot(d.active())).as(ctx + "the active slot " + d.active() + " is empty").isNotNull();
        assertThat(PackageVerifier.inspect(d.slot(d.active())).intact())
                .as(ctx + "the active slot's package is intact").isTrue();
        if (d.staged() != 0) {
            byte[] staged = d.slot(d.staged());
            assertThat(staged).as(ctx + "the staged slot is empty").isNotNull();
            assertThat(PackageVerifier.inspect(staged).intact()).as(ctx + "the staged package is intact").isTrue();
            // the mark stays on the package the host staged, never on one that replaced it
            boolean asBefore = b0.hasState() && d.staged() == b0.staged() && Arrays.equals(staged, b0.slot(d.staged()));
            boolean asAfter = d.staged() == b1.staged() && Arrays.equals(staged, b1.slot(d.staged()));
            assertThat(asBefore || asAfter)
                    .as(ctx + "the staged mark on slot " + d.staged() + " is on " + describe(staged)
                            + ", not the package that was staged")
                    .isTrue();
        }
    }

    /** A device restarted on the files: it opens, cleans up, and reports exactly what is stored. */
    private static void checkAfterRestart(Scenario s, Result ref, DiskState crashed, Path dir) throws Exception {
        CxlDevice device = open(s.config(), dir);
        String ctx = "after restart on [" + crashed + "]: ";
        assertThat(dir.resolve(STAGING_FILE)).as(ctx + "staging.bin").doesNotExist();
        assertThat(tmpFiles(dir)).as(ctx + "temporary files").isEmpty();

        DiskState r = DiskState.read(dir);
        FwInfo info = fwInfo(device);
        int expectedActive;
        if (crashed.hasState()) {
            boolean stagedOk = crashed.staged() != 0 && crashed.slot(crashed.staged()) != null
                    && PackageVerifier.inspect(crashed.slot(crashed.staged())).intact();
            expectedActive = stagedOk ? crashed.staged() : crashed.active();
            for (int slot = 1; slot <= 4; slot++) {
                assertThat(r.slot(slot)).as(ctx + "a restart does not change slot " + slot)
                        .isEqualTo(crashed.slot(slot));
            }
        } else {
            expectedActive = 1;
            assertThat(r.slot(1)).as(ctx + "slot 1 after a completed first start")
                    .isEqualTo(FirmwarePackage.factory());
        }
        assertThat(info.activeSlot()).as(ctx + "active slot").isEqualTo(expectedActive);
        assertThat(info.stagedSlot()).as(ctx + "staged slot").isZero();
        assertThat(r.active()).as(ctx + "persisted active slot").isEqualTo(expectedActive);
        assertThat(r.staged()).as(ctx + "persisted staged slot").isZero();
        assertThat(device.slotFile(expectedActive)).as(ctx + "active slot file").isPresent();
        assertThat(intact(device.slotFile(expectedActive).orElseThrow())).as(ctx + "active package intact").isTrue();
        for (int slot = 1; slot <= 4; slot++) {
            byte[] got = r.slot(slot);
            assertThat(Arrays.equals(got, ref.before().slot(slot)) || Arrays.equals(got, ref.after().slot(slot)))
                    .as(ctx + "slot " + slot + " holds the old or the new package").isTrue();
            if (slot <= s.config().slots()) {
                String expected = got == null ? "" : PackageVerifier.revisionOrRaw(got);
                assertThat(info.revision(slot)).as(ctx + "revision of slot " + slot).isEqualTo(expected);
            }
        }
        // the restarted device works: an upload to a non-active slot goes through
        int target = expectedActive == 1 ? 2 : 1;
        assertThat(hex(full(device, target, packageC()))).as(ctx + "Full of C to slot " + target)
                .isEqualTo(hex(OK));
        assertThat(Files.readAllBytes(dir.resolve("slot-" + target + ".pkg"))).isEqualTo(packageC());
    }

    // ---- the record ----

    /** Lists every scenario's crash points in the test output (surefire's *-output.txt) and report. */
    @Test
    void theCrashPointsOfEveryScenarioAreListed(TestReporter reporter) throws Exception {
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (Scenario s : scenarios().toList()) {
            Result ref = reference(s);
            all.put(s.name(), ref.points());
        }
        CrashPoints.listPerScenario(all, reporter);

        assertThat(all.values()).allSatisfy(points -> assertThat(points).isNotEmpty());
        // slot commits are renames of the fsynced staging file
        assertThat(all.get("Full of B over A in slot 2"))
                .containsSubsequence("write staging.bin", "fsync staging.bin", "rename staging.bin -> slot-2.pkg",
                        "fsync dir after slot-2.pkg");
        assertThat(all.get("parts of B over A in slot 2"))
                .containsSubsequence("write staging.bin", "fsync staging.bin", "rename staging.bin -> slot-2.pkg");
        // a staged mark on the replaced slot is cleared before the rename
        List<String> overStaged = all.get("Full of B over staged A in slot 2");
        assertThat(overStaged.indexOf("rename device.properties.tmp -> device.properties"))
                .isNotNegative().isLessThan(overStaged.indexOf("rename staging.bin -> slot-2.pkg"));
        // a failed verification never renames into a slot
        assertThat(all.get("Full of a corrupt package over A (000Ah)")).noneMatch(p -> p.startsWith("rename"));
        assertThat(all.get("first start")).contains("rename slot-1.pkg.tmp -> slot-1.pkg",
                "rename device.properties.tmp -> device.properties");
        assertThat(all.get("online activation")).contains("rename device.properties.tmp -> device.properties");
        assertThat(all.get("on-reset activation by restart"))
                .contains("rename device.properties.tmp -> device.properties");
    }
}
