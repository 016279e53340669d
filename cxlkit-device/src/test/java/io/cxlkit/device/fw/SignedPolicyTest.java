package io.cxlkit.device.fw;

import io.cxlkit.protocol.fwpkg.SigningKeys;
import static io.cxlkit.device.testing.TestDevice.pkg;
import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.VerifyPolicy;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.fwpkg.KeyIds;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@code signed} verification policy (device-behaviour.md §5): as {@code package}, plus a valid
 * Ed25519 signature by one of the device's trusted keys; the factory package is exempt.
 */
class SignedPolicyTest {

    private static final KeyPair TRUSTED = keyPair();
    private static final KeyPair ALSO_TRUSTED = keyPair();
    private static final KeyPair STRANGER = keyPair();

    @TempDir
    Path dir;

    private static KeyPair keyPair() {
        return SigningKeys.newPair();
    }

    /** A package like {@link TestDevice#pkg} but signed with {@code key}. */
    private static byte[] signed(String revision, int bodySize, long securityVersion, KeyPair key) {
        byte[] body = new byte[bodySize];
        for (int i = 0; i < bodySize; i++) {
            body[i] = (byte) (i * 7 + revision.hashCode());
        }
        return FirmwarePackage.builder().revision(revision).securityVersion(securityVersion).body(body)
                .sign(key.getPrivate(), key.getPublic()).build().toByteArray();
    }

    private static UnaryOperator<DeviceConfig.Builder> signedPolicy(KeyPair... trusted) {
        List<PublicKey> keys = java.util.Arrays.stream(trusted).map(KeyPair::getPublic).toList();
        return b -> b.verifyPolicy(VerifyPolicy.SIGNED).trustedKeys(keys);
    }

    private TestDevice signedDevice() {
        return TestDevice.builder(dir).instant().config(signedPolicy(TRUSTED, ALSO_TRUSTED)).open();
    }

    // ---- Transfer FW: End and Full ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void anUnsignedPackageFails000Ah_atFullAndAtEnd(Cci cci) {
        try (TestDevice t = signedDevice()) {
            assertThat(rc(t.uploadFull(cci, 2, pkg("UNSIGNED", 128)))).isEqualTo("000Ah");
            assertThat(rc(t.upload(cci, 2, pkg("UNSIGNED", 1024), 256))).isEqualTo("000Ah");
            assertThat(t.fwInfo().revision(2)).isEmpty();
            assertThat(t.device().slotFile(2)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void aPackageSignedByAnUntrustedKeyFails000Ah(Cci cci) {
        try (TestDevice t = signedDevice()) {
            assertThat(rc(t.uploadFull(cci, 2, signed("STRANGER", 128, 0, STRANGER)))).isEqualTo("000Ah");
            assertThat(rc(t.upload(cci, 2, signed("STRANGER", 1024, 0, STRANGER), 256))).isEqualTo("000Ah");
            assertThat(t.fwInfo().revision(2)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void aPackageSignedByATrustedKeyIsStored_andActivates(Cci cci) {
        try (TestDevice t = signedDevice()) {
            assertThat(rc(t.uploadFull(cci, 2, signed("SIGNED 1", 128, 0, TRUSTED)))).isEqualTo("0000h");
            assertThat(t.fwInfo().revision(2)).isEqualTo("SIGNED 1");
            assertThat(rc(t.activateAndWait(cci, ActivateFwRequest.online(2)))).isEqualTo("0000h");
            assertThat(t.fwInfo().activeSlot()).isEqualTo(2);

            // any of the trusted keys will do, through End as well as Full
            assertThat(rc(t.upload(cci, 1, signed("SIGNED 2", 1024, 0, ALSO_TRUSTED), 256))).isEqualTo("0000h");
            assertThat(t.fwInfo().revision(1)).isEqualTo("SIGNED 2");
            assertThat(rc(t.activateAndWait(cci, ActivateFwRequest.onNextReset(1)))).isEqualTo("0000h");
            t.coldReset();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
            assertThat(t.fwInfo().stagedSlot()).isZero();
        }
    }

    @Test
    void aCorruptedSignatureFails000Ah() {
        byte[] good = signed("SIGNED 1", 128, 0, TRUSTED);
        int trailer = 128 + 128;
        byte[] badSignature = good.clone();
        badSignature[trailer + 0x28 + 5] ^= 0x01;
        byte[] otherKey = good.clone(); // a trailer naming another key: the signature no longer verifies
        System.arraycopy(ALSO_TRUSTED.getPublic().getEncoded(), 12, otherKey, trailer + 0x08, 32);
        try (TestDevice t = signedDevice()) {
            assertThat(rc(t.uploadFull(Cci.MCTP, 2, badSignature))).isEqualTo("000Ah");
            assertThat(rc(t.uploadFull(Cci.MCTP, 2, otherKey))).isEqualTo("000Ah");
            assertThat(t.fwInfo().revision(2)).isEmpty();
            assertThat(rc(t.uploadFull(Cci.MCTP, 2, good))).as("the uncorrupted package").isEqualTo("0000h");
        }
    }

    @Test
    void aSignedPackageWithADamagedBodyStillFails000Ah() {
        byte[] pkg = signed("SIGNED 1", 128, 0, TRUSTED);
        pkg[130] ^= 0x01;
        try (TestDevice t = signedDevice()) {
            assertThat(rc(t.uploadFull(Cci.MCTP, 2, pkg))).isEqualTo("000Ah");
        }
    }

    // ---- the factory package ----

    @Test
    void theFactoryPackageIsExempt_atOpen_reset_andActivation() {
        try (TestDevice t = signedDevice()) {
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
            assertThat(t.fwInfo().revision(1)).isEqualTo(FirmwarePackage.FACTORY_REVISION);
            t.coldReset();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);

            // move off the factory package, then back to it: by reset, then online
            assertThat(rc(t.uploadFull(Cci.MCTP, 2, signed("SIGNED 1", 128, 0, TRUSTED)))).isEqualTo("0000h");
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0000h");
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(1)))).isEqualTo("0000h");
            t.coldReset();
            assertThat(t.fwInfo().activeSlot()).as("the staged factory package passes at reset").isEqualTo(1);
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0000h");
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(1)))).isEqualTo("0000h");
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);

            // ...and it can be sent again: the exemption is for its exact bytes
            assertThat(rc(t.upload(Cci.MCTP, 2, FirmwarePackage.factory(), 512))).isEqualTo("0000h");
        }
    }

    @Test
    void anUnsignedPackageWithTheFactoryRevisionIsNotExempt() {
        try (TestDevice t = signedDevice()) {
            byte[] lookalike = pkg(FirmwarePackage.FACTORY_REVISION, FirmwarePackage.FACTORY_BODY_LENGTH);
            assertThat(rc(t.upload(Cci.MCTP, 2, lookalike, 512))).isEqualTo("000Ah");
        }
    }

    // ---- re-verification at activation and reset ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void anOnlineActivationWhoseReverificationFails_is000Ch_andThePreviousFirmwareStaysActive(Cci cci) {
        for (byte[] untrusted : List.of(pkg("UNSIGNED", 128), signed("STRANGER", 128, 0, STRANGER))) {
            // the default policy (package) stores it; realistic timing runs the activation in the background
            try (TestDevice t = TestDevice.open(dir)) {
                assertThat(rc(t.uploadFull(cci, 2, untrusted))).isEqualTo("0000h");
                String revision = t.fwInfo().revision(2);
                t.reopen(signedPolicy(TRUSTED));
                assertThat(rc(t.activateAndWait(cci, ActivateFwRequest.online(2)))).as(revision).isEqualTo("000Ch");
                assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
                assertThat(t.fwInfo().revision(1)).isEqualTo(FirmwarePackage.FACTORY_REVISION);
                assertThat(t.fwInfo().revision(2)).as("the slot keeps its package").isEqualTo(revision);
                assertThat(t.device().securityFloor()).isZero();
            }
        }
    }

    @Test
    void aStagedPackageThatFailsAtColdReset_losesItsMark_butKeepsItsBytes() throws Exception {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("UNSIGNED", 128))).isZero();
            byte[] stored = Files.readAllBytes(t.device().slotFile(2).orElseThrow());
            t.reopen(signedPolicy(TRUSTED));
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            assertThat(t.fwInfo().stagedSlot()).isEqualTo(2);
            t.coldReset();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
            assertThat(t.fwInfo().stagedSlot()).isZero();
            assertThat(t.fwInfo().revision(2)).isEqualTo("UNSIGNED");
            assertThat(Files.readAllBytes(t.device().slotFile(2).orElseThrow())).isEqualTo(stored);
        }
    }

    @Test
    void aStagedPackageThatFailsAtRestart_losesItsMark() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, signed("STRANGER", 128, 0, STRANGER))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            t.reopen(signedPolicy(TRUSTED)); // a restart is a power-on: the staged slot is verified
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
            assertThat(t.fwInfo().stagedSlot()).isZero();
            assertThat(t.fwInfo().revision(2)).isEqualTo("STRANGER");
            t.reopen();
            assertThat(t.fwInfo().stagedSlot()).as("persisted").isZero();
        }
    }

    @Test
    void theActiveSlotIsNotReverifiedAtStartup() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("UNSIGNED", 128))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0000h");
            t.reopen(signedPolicy(TRUSTED));
            assertThat(t.fwInfo().activeSlot()).isEqualTo(2);
            t.coldReset();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(2);
        }
    }

    // ---- anti-rollback ----

    @Test
    void antiRollbackAppliesToSignedPackages() {
        try (TestDevice t = signedDevice()) {
            assertThat(rc(t.uploadFull(Cci.MCTP, 2, signed("SV 3", 128, 3, TRUSTED)))).isEqualTo("0000h");
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0000h");
            assertThat(t.device().securityFloor()).isEqualTo(3);

            assertThat(rc(t.uploadFull(Cci.MCTP, 1, signed("SV 2", 128, 2, TRUSTED)))).isEqualTo("000Ah");
            assertThat(t.fwInfo().revision(1)).isEqualTo(FirmwarePackage.FACTORY_REVISION);
            assertThat(rc(t.uploadFull(Cci.MCTP, 1, signed("SV 3 AGAIN", 128, 3, TRUSTED)))).isEqualTo("0000h");
            assertThat(rc(t.uploadFull(Cci.MCTP, 1, signed("SV 4", 128, 4, ALSO_TRUSTED)))).isEqualTo("0000h");
            assertThat(t.device().securityFloor()).isEqualTo(3);
        }
    }

    @Test
    void theFactoryPackageIsNotExemptFromAntiRollback() {
        try (TestDevice t = signedDevice()) {
            assertThat(rc(t.uploadFull(Cci.MCTP, 2, signed("SV 1", 128, 1, TRUSTED)))).isEqualTo("0000h");
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0000h");
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(1)))).isEqualTo("000Ch");
            assertThat(t.fwInfo().activeSlot()).isEqualTo(2);
        }
    }

    // ---- the checker's reasons ----

    @Test
    void theCheckerSaysWhyAPackageFails() throws Exception {
        PolicyChecker checker = new PolicyChecker();
        List<PublicKey> trusted = List.of(TRUSTED.getPublic());
        Path unsigned = Files.write(dir.resolve("unsigned.pkg"), pkg("UNSIGNED", 128));
        Path stranger = Files.write(dir.resolve("stranger.pkg"), signed("STRANGER", 128, 0, STRANGER));
        byte[] bad = signed("BAD SIG", 128, 0, TRUSTED);
        bad[256 + 0x28] ^= 0x01;
        Path badSignature = Files.write(dir.resolve("bad.pkg"), bad);
        Path good = Files.write(dir.resolve("good.pkg"), signed("GOOD", 128, 7, TRUSTED));
        Path factory = Files.write(dir.resolve("factory.pkg"), FirmwarePackage.factory());

        assertThat(checker.check(unsigned, VerifyPolicy.SIGNED, trusted).reason())
                .isEqualTo("the package is not signed");
        assertThat(checker.check(stranger, VerifyPolicy.SIGNED, trusted).reason())
                .isEqualTo("signed by key " + KeyIds.of(STRANGER.getPublic()) + ", which is not trusted by this device");
        assertThat(checker.check(badSignature, VerifyPolicy.SIGNED, trusted).reason())
                .isEqualTo("the signature (key " + KeyIds.of(TRUSTED.getPublic()) + ") does not verify");
        assertThat(checker.check(good, VerifyPolicy.SIGNED, trusted)).isEqualTo(Verdict.pass("GOOD", 7));
        assertThat(checker.check(good, VerifyPolicy.SIGNED, List.of()).ok()).isFalse();
        assertThat(checker.check(factory, VerifyPolicy.SIGNED, List.of()))
                .isEqualTo(Verdict.pass(FirmwarePackage.FACTORY_REVISION, 0));
        // the package policy ignores signatures and keys
        assertThat(checker.check(stranger, VerifyPolicy.PACKAGE, List.of()).ok()).isTrue();
        assertThat(checker.check(badSignature, VerifyPolicy.PACKAGE, List.of()).ok()).isTrue();
    }

    // ---- configuration ----

    @Test
    void theSignedPolicyNeedsATrustedKey() {
        assertThatThrownBy(() -> DeviceConfig.defaults(0).toBuilder().verifyPolicy(VerifyPolicy.SIGNED).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the signed verification policy needs at least one trusted key");
        DeviceConfig c = DeviceConfig.defaults(0).toBuilder().verifyPolicy(VerifyPolicy.SIGNED)
                .trustedKeys(List.of(TRUSTED.getPublic())).build();
        assertThat(c.trustedKeys()).containsExactly(TRUSTED.getPublic());
        assertThat(DeviceConfig.defaults(0).trustedKeys()).isEmpty();
        assertThat(VerifyPolicy.fromLabel("signed")).isEqualTo(VerifyPolicy.SIGNED);
        assertThat(VerifyPolicy.SIGNED.label()).isEqualTo("signed");
    }
}
