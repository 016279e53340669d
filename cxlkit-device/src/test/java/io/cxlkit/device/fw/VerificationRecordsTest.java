package io.cxlkit.device.fw;

import io.cxlkit.protocol.fwpkg.SigningKeys;
import static io.cxlkit.device.testing.TestDevice.pkg;
import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.clock.VirtualClock;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.VerifyPolicy;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.fwpkg.KeyIds;
import io.cxlkit.protocol.fwpkg.VerificationCheck;
import io.cxlkit.protocol.fwpkg.VerificationFailure;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.VerificationLog;
import io.cxlkit.protocol.payload.VerificationLog.Operation;
import io.cxlkit.protocol.payload.VerificationLog.Record;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Verification Log's records (docs/verification-log.md): one for each failed verification at
 * Transfer FW End and Full (000Ah), online Activate FW (000Ch) and the cold reset that rejects a
 * staged slot, with the check that failed and what it compared; the last 16 kept.
 */
class VerificationRecordsTest {

    private static final KeyPair TRUSTED = keyPair();
    private static final KeyPair STRANGER = keyPair();

    @TempDir
    Path dir;

    private static KeyPair keyPair() {
        return SigningKeys.newPair();
    }

    private static byte[] signed(String revision, long securityVersion, KeyPair key) {
        return FirmwarePackage.builder().revision(revision).securityVersion(securityVersion).body(new byte[500])
                .sign(key.getPrivate(), key.getPublic()).build().toByteArray();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static byte[] sha256(byte[] b, int from, int to) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(b, from, to));
    }

    private static UnaryOperator<DeviceConfig.Builder> signedPolicy() {
        return b -> b.verifyPolicy(VerifyPolicy.SIGNED).trustedKeys(List.of(TRUSTED.getPublic()));
    }

    private TestDevice signedDevice() {
        return TestDevice.builder(dir).instant().config(signedPolicy()).open();
    }

    private static Record newest(TestDevice t) {
        List<Record> records = t.device().verificationLog().records();
        assertThat(records).isNotEmpty();
        return records.get(records.size() - 1);
    }

    /** Full, or Initiate/Continue/End in 512-byte parts, whichever {@code full} says. */
    private static int upload(TestDevice t, Cci cci, boolean full, byte[] pkg) {
        return full ? t.uploadFull(cci, 2, pkg) : t.upload(cci, 2, pkg, 512);
    }

    private static void assertRecord(Record r, long sequence, Operation operation, int slot, VerificationCheck check) {
        assertThat(r.sequence()).isEqualTo(sequence);
        assertThat(r.knownOperation()).contains(operation);
        assertThat(r.slot()).isEqualTo(slot);
        assertThat(r.knownCheck()).contains(check);
    }

    // ---- Transfer FW End and Full: 000Ah ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cci.class)
    void randomBytesAreBadMagic_atFullAndAtEnd(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.device().verificationLog().records()).isEmpty();
            assertThat(rc(upload(t, cci, true, randomBytes(300)))).isEqualTo("000Ah");
            assertRecord(newest(t), 1, Operation.TRANSFER, 2, VerificationCheck.BAD_MAGIC);
            assertThat(newest(t).reason()).isEqualTo("bad magic");
            assertThat(newest(t).digests()).isEmpty();
            assertThat(newest(t).keyId()).isEmpty();
            assertThat(newest(t).securityVersions()).isEmpty();

            assertThat(rc(upload(t, cci, false, randomBytes(3000)))).isEqualTo("000Ah");
            assertRecord(newest(t), 2, Operation.TRANSFER, 2, VerificationCheck.BAD_MAGIC);
            assertThat(t.device().verificationLog().newestSequence()).isEqualTo(2);
        }
    }

    @Test
    void anUnsignedPackageUnderSigned_atFullAndAtEnd() {
        try (TestDevice t = signedDevice()) {
            for (boolean full : new boolean[] {true, false}) {
                assertThat(rc(upload(t, Cci.MAILBOX, full, pkg("UNSIGNED", 500)))).isEqualTo("000Ah");
                Record r = newest(t);
                assertThat(r.knownCheck()).contains(VerificationCheck.NOT_SIGNED);
                assertThat(r.reason()).isEqualTo("the package is not signed");
                assertThat(r.keyId()).isEmpty();
            }
            assertThat(t.device().verificationLog().records()).hasSize(2);
        }
    }

    @Test
    void aPackageSignedByAnUntrustedKey_namesTheKey_atFullAndAtEnd() {
        String keyId = KeyIds.of(STRANGER.getPublic());
        try (TestDevice t = signedDevice()) {
            for (boolean full : new boolean[] {true, false}) {
                assertThat(rc(upload(t, Cci.MCTP, full, signed("STRANGER", 0, STRANGER)))).isEqualTo("000Ah");
                Record r = newest(t);
                assertRecord(r, full ? 1 : 2, Operation.TRANSFER, 2, VerificationCheck.KEY_NOT_TRUSTED);
                assertThat(r.keyId()).contains(keyId);
                assertThat(r.reason()).isEqualTo("signed by key " + keyId + ", which is not trusted by this device");
            }
        }
    }

    @Test
    void aSignatureThatDoesNotVerify_namesTheKey() {
        byte[] bad = signed("BAD SIG", 0, TRUSTED);
        bad[128 + 500 + 0x28] ^= 1;
        try (TestDevice t = signedDevice()) {
            assertThat(rc(t.uploadFull(Cci.MCTP, 2, bad))).isEqualTo("000Ah");
            assertThat(newest(t).knownCheck()).contains(VerificationCheck.SIGNATURE_INVALID);
            assertThat(newest(t).keyId()).contains(KeyIds.of(TRUSTED.getPublic()));
        }
    }

    @Test
    void aSecurityVersionBelowTheFloor_givesBoth_atFullAndAtEnd() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("SV 5", 500, 5))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0000h");
            for (boolean full : new boolean[] {true, false}) {
                byte[] old = pkg("SV 3", 500, 3);
                int rc = full ? t.uploadFull(Cci.MCTP, 1, old) : t.upload(Cci.MCTP, 1, old, 512);
                assertThat(rc(rc)).isEqualTo("000Ah");
                Record r = newest(t);
                assertRecord(r, full ? 1 : 2, Operation.TRANSFER, 1, VerificationCheck.SECURITY_VERSION_BELOW_FLOOR);
                assertThat(r.securityVersions()).contains(new VerificationFailure.SecurityVersions(3, 5));
                assertThat(r.reason()).isEqualTo("security version 3 is below the device's floor 5");
            }
        }
    }

    @Test
    void aBodyDigestMismatch_givesTheExpectedAndTheFoundDigest_atFullAndAtEnd() throws Exception {
        byte[] good = pkg("BODY", 500);
        byte[] damaged = good.clone();
        damaged[128 + 250] ^= 0x40;
        try (TestDevice t = TestDevice.instant(dir)) {
            for (boolean full : new boolean[] {true, false}) {
                assertThat(rc(upload(t, Cci.MAILBOX, full, damaged))).isEqualTo("000Ah");
                Record r = newest(t);
                assertThat(r.knownCheck()).contains(VerificationCheck.BODY_DIGEST_MISMATCH);
                VerificationFailure.Digests d = r.digests().orElseThrow();
                assertThat(d.expected()).isEqualTo(sha256(good, 128, 628));
                assertThat(d.found()).isEqualTo(sha256(damaged, 128, 628));
                assertThat(r.reason()).isEqualTo("body digest mismatch: expected "
                        + java.util.HexFormat.of().formatHex(d.expected(), 0, 8) + ", found "
                        + java.util.HexFormat.of().formatHex(d.found(), 0, 8));
            }
            // the corrupt-staging fault flips a byte of the stored bytes: that is what the record compares
            t.inject(FaultSet::setCorruptStaging);
            assertThat(rc(t.upload(Cci.MCTP, 2, good, 512))).isEqualTo("000Ah");
            byte[] stored = good.clone();
            stored[128] ^= (byte) 0xFF;
            assertThat(newest(t).digests().orElseThrow().found()).isEqualTo(sha256(stored, 128, 628));
        }
    }

    @Test
    void theRecordCarriesTheDeviceClock_andABackgroundEndRecordsAtItsCompletion() {
        VirtualClock clock = new VirtualClock();
        try (TestDevice t = TestDevice.builder(dir).clock(clock).open()) { // realistic: End runs in the background
            clock.advance(Duration.ofSeconds(90));
            assertThat(rc(t.upload(Cci.MCTP, 2, randomBytes(1024), 512))).isEqualTo("000Ah");
            Record r = newest(t);
            assertThat(r.timestampNanos()).isGreaterThan(clock.wallTimeNanos() - Duration.ofSeconds(1).toNanos())
                    .isLessThanOrEqualTo(clock.wallTimeNanos())
                    .isGreaterThanOrEqualTo(VirtualClock.DEFAULT_EPOCH_NANOS + Duration.ofSeconds(90).toNanos());
        }
    }

    @Test
    void aSuccessfulUpload_andARefusedPart_recordNothing() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("GOOD", 500))).isZero();
            assertThat(rc(t.uploadFull(Cci.MCTP, 1, pkg("ACTIVE SLOT", 500)))).isEqualTo("000Bh");
            // an injected 000Ah is not a verification: nothing to say why
            t.failOpcode(0x0201, 0x000A, 1, null);
            assertThat(rc(t.uploadFull(Cci.MCTP, 2, pkg("GOOD", 500)))).isEqualTo("000Ah");
            assertThat(t.device().verificationLog().records()).isEmpty();
            assertThat(t.device().verificationLog().newestSequence()).isZero();
        }
    }

    // ---- online Activate FW: 000Ch ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cci.class)
    void anOnlineActivationThatFailsReverification_records000Ch(Cci cci) {
        String keyId = KeyIds.of(STRANGER.getPublic());
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(cci, 2, signed("STRANGER", 0, STRANGER))).isZero(); // package policy: stored
            t.reopen(signedPolicy());
            assertThat(rc(t.activateAndWait(cci, ActivateFwRequest.online(2)))).isEqualTo("000Ch");
            Record r = newest(t);
            assertRecord(r, 1, Operation.ONLINE_ACTIVATION, 2, VerificationCheck.KEY_NOT_TRUSTED);
            assertThat(r.keyId()).contains(keyId);
        }
    }

    @Test
    void anOnlineActivationBelowTheFloor_recordsBothVersions() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("SV 1", 500, 1))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0000h");
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(1)))).isEqualTo("000Ch"); // factory, sv 0
            Record r = newest(t);
            assertRecord(r, 1, Operation.ONLINE_ACTIVATION, 1, VerificationCheck.SECURITY_VERSION_BELOW_FLOOR);
            assertThat(r.securityVersions()).contains(new VerificationFailure.SecurityVersions(0, 1));
        }
    }

    @Test
    void injectedActivationFaultsRecordNothing() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("GOOD", 500))).isZero();
            t.inject(f -> f.setActivationFailure(FaultSet.ActivationFailure.ROLLBACK));
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("000Ch");
            t.inject(f -> f.setActivationFailure(FaultSet.ActivationFailure.COLD_RESET));
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("000Dh");
            assertThat(t.device().verificationLog().records()).isEmpty();
        }
    }

    // ---- cold reset ----

    @Test
    void aStagedSlotRejectedAtColdReset_isRecorded_andTheRecordSurvivesTheReset() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.uploadFull(Cci.MCTP, 2, randomBytes(300)))).isEqualTo("000Ah"); // record 1, kept
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("UNSIGNED", 500))).isZero();
            t.reopen(signedPolicy());
            assertThat(t.device().verificationLog().records()).as("a power cycle starts an empty log").isEmpty();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            t.coldReset();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
            assertThat(t.fwInfo().stagedSlot()).isZero();
            Record r = newest(t);
            assertRecord(r, 1, Operation.COLD_RESET, 2, VerificationCheck.NOT_SIGNED);

            // later resets keep it: nothing is staged, nothing new is recorded
            t.coldReset();
            assertThat(t.device().verificationLog().records()).containsExactly(r);
        }
    }

    @Test
    void aStagedSlotRejectedAtPowerOn_isInTheNewLog() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, signed("STRANGER", 0, STRANGER))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            t.reopen(signedPolicy());
            assertRecord(newest(t), 1, Operation.COLD_RESET, 2, VerificationCheck.KEY_NOT_TRUSTED);
        }
    }

    // ---- every check at online activation and at cold reset ----

    /** How slot {@code slot} comes to hold a package that fails {@code check} under the device's policy. */
    enum StoredFailure {
        BAD_MAGIC(VerificationCheck.BAD_MAGIC, 2),
        NOT_SIGNED(VerificationCheck.NOT_SIGNED, 2),
        KEY_NOT_TRUSTED(VerificationCheck.KEY_NOT_TRUSTED, 2),
        SECURITY_VERSION_BELOW_FLOOR(VerificationCheck.SECURITY_VERSION_BELOW_FLOOR, 1),
        BODY_DIGEST_MISMATCH(VerificationCheck.BODY_DIGEST_MISMATCH, 2);

        final VerificationCheck check;
        final int slot;

        StoredFailure(VerificationCheck check, int slot) {
            this.check = check;
            this.slot = slot;
        }
    }

    /**
     * A device whose slot {@code f.slot} holds a package that fails {@code f.check}: stored under a
     * laxer policy, or damaged on disk afterwards, or older than the floor an activation raised.
     */
    private TestDevice deviceFailing(StoredFailure f) throws Exception {
        TestDevice t = TestDevice.instant(dir);
        switch (f) {
            case BAD_MAGIC -> {
                t.reopen(b -> b.verifyPolicy(VerifyPolicy.NONE));
                assertThat(t.uploadFull(Cci.MCTP, 2, randomBytes(300))).isZero();
                t.reopen(b -> b.verifyPolicy(VerifyPolicy.PACKAGE));
            }
            case NOT_SIGNED -> {
                assertThat(t.uploadFull(Cci.MCTP, 2, pkg("UNSIGNED", 500))).isZero();
                t.reopen(signedPolicy());
            }
            case KEY_NOT_TRUSTED -> {
                assertThat(t.uploadFull(Cci.MCTP, 2, signed("STRANGER", 0, STRANGER))).isZero();
                t.reopen(signedPolicy());
            }
            case SECURITY_VERSION_BELOW_FLOOR -> { // slot 1 keeps the factory package, security version 0
                assertThat(t.uploadFull(Cci.MCTP, 2, pkg("SV 1", 500, 1))).isZero();
                assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0000h");
            }
            case BODY_DIGEST_MISMATCH -> {
                assertThat(t.uploadFull(Cci.MCTP, 2, pkg("BODY", 500))).isZero();
                Path slot = t.device().slotFile(2).orElseThrow();
                byte[] stored = java.nio.file.Files.readAllBytes(slot);
                stored[128 + 7] ^= 1;
                java.nio.file.Files.write(slot, stored);
            }
            default -> throw new IllegalArgumentException(f.name());
        }
        assertThat(t.device().verificationLog().records()).isEmpty();
        return t;
    }

    private static void assertDetails(StoredFailure f, Record r) throws Exception {
        assertThat(r.knownCheck()).contains(f.check);
        switch (f) {
            case KEY_NOT_TRUSTED -> assertThat(r.keyId()).contains(KeyIds.of(STRANGER.getPublic()));
            case SECURITY_VERSION_BELOW_FLOOR -> assertThat(r.securityVersions())
                    .contains(new VerificationFailure.SecurityVersions(0, 1));
            case BODY_DIGEST_MISMATCH -> {
                byte[] good = pkg("BODY", 500);
                byte[] bad = good.clone();
                bad[128 + 7] ^= 1;
                assertThat(r.digests()).contains(new VerificationFailure.Digests(sha256(good, 128, 628),
                        sha256(bad, 128, 628)));
            }
            default -> {
                assertThat(r.keyId()).isEmpty();
                assertThat(r.digests()).isEmpty();
                assertThat(r.securityVersions()).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(StoredFailure.class)
    void eachCheckAtOnlineActivation(StoredFailure f) throws Exception {
        try (TestDevice t = deviceFailing(f)) {
            assertThat(rc(t.activateAndWait(Cci.MAILBOX, ActivateFwRequest.online(f.slot)))).isEqualTo("000Ch");
            Record r = newest(t);
            assertRecord(r, 1, Operation.ONLINE_ACTIVATION, f.slot, f.check);
            assertDetails(f, r);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(StoredFailure.class)
    void eachCheckAtColdReset(StoredFailure f) throws Exception {
        try (TestDevice t = deviceFailing(f)) {
            int active = t.fwInfo().activeSlot();
            assertThat(rc(t.activate(Cci.MAILBOX, ActivateFwRequest.onNextReset(f.slot)))).isEqualTo("0000h");
            t.coldReset();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(active);
            assertThat(t.fwInfo().stagedSlot()).isZero();
            Record r = newest(t);
            assertRecord(r, 1, Operation.COLD_RESET, f.slot, f.check);
            assertDetails(f, r);
        }
    }

    // ---- the ring ----

    @Test
    void theLast16AreKept_oldestDroppedFirst_andNumberingGoesOn() {
        try (TestDevice t = TestDevice.instant(dir)) {
            for (int i = 1; i <= 20; i++) {
                assertThat(rc(t.uploadFull(Cci.MCTP, 2, randomBytes(100 + i)))).isEqualTo("000Ah");
            }
            VerificationLog log = t.device().verificationLog();
            assertThat(log.capacity()).isEqualTo(VerificationLogRing.CAPACITY).isEqualTo(16);
            assertThat(log.newestSequence()).isEqualTo(20);
            assertThat(log.records()).extracting(Record::sequence)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(5, 20).boxed().toList());
            assertThat(log.size()).isEqualTo(16 + 16 * 192);
            // each record says which upload it was: the first four are gone
            assertThat(log.records()).extracting(Record::reason).containsExactlyElementsOf(
                    java.util.stream.IntStream.rangeClosed(5, 20).mapToObj(i -> "truncated header: " + (100 + i)
                            + " of 128 bytes").toList());
            assertThat(log.records()).allSatisfy(r -> assertThat(r.knownCheck()).contains(VerificationCheck.HEADER_TOO_SHORT));
        }
    }

    @Test
    void theRingNumbersAfterFFFFFFFFhFrom1_neverZero() {
        VirtualClock clock = new VirtualClock();
        VerificationLogRing ring = new VerificationLogRing(clock, 0xFFFF_FFFEL);
        VerificationFailure f = VerificationFailure.of(VerificationCheck.BAD_MAGIC);
        ring.record(Operation.TRANSFER, 2, f);
        clock.advance(Duration.ofMillis(5));
        ring.record(Operation.TRANSFER, 2, f);
        assertThat(ring.log().records()).extracting(Record::sequence).containsExactly(0xFFFF_FFFFL, 1L);
        assertThat(ring.log().newestSequence()).isEqualTo(1);
        assertThat(ring.log().records()).extracting(Record::timestampNanos).containsExactly(
                VirtualClock.DEFAULT_EPOCH_NANOS, VirtualClock.DEFAULT_EPOCH_NANOS + 5_000_000L);
        assertThat(Optional.of(ring.bytes().length)).contains(16 + 2 * 192);
    }
}
