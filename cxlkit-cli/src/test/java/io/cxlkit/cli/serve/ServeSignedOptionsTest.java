package io.cxlkit.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.cli.Main;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.VerifyPolicy;
import io.cxlkit.protocol.fwpkg.Pem;
import io.cxlkit.server.PlatformConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve --fw-verify signed}, {@code --trusted-key FILE} and the config file's
 * {@code trusted_keys}, checked through the configuration serve builds before it starts anything.
 */
class ServeSignedOptionsTest {

    @TempDir
    Path dir;

    private Path keyA;
    private Path keyB;
    private PublicKey publicA;
    private PublicKey publicB;

    /** Key pairs made by {@code cxlkit fw keygen}: the .pub files are what --trusted-key takes. */
    @BeforeEach
    void keys() throws Exception {
        keyA = keygen("a.pem");
        keyB = keygen("b.pem");
        publicA = Pem.readPublicKey(Files.readString(keyA));
        publicB = Pem.readPublicKey(Files.readString(keyB));
    }

    private Path keygen(String name) {
        Run r = run("fw", "keygen", "-o", dir.resolve(name).toString());
        assertThat(r.exit).as(r.err).isZero();
        return dir.resolve(name + ".pub");
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** The platform configuration {@code cxlkit serve ARGS} would start (nothing is started). */
    private PlatformConfig config(String... args) {
        return ServeConfigs.of(dir, args);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    // ---- flags ----

    @Test
    void signedWithATrustedKey_configuresEveryDevice() {
        PlatformConfig c = config("--devices", "2", "--fw-verify", "signed", "--trusted-key", keyA.toString());
        assertThat(c.devices()).hasSize(2).allSatisfy(d -> {
            assertThat(d.verifyPolicy()).isEqualTo(VerifyPolicy.SIGNED);
            assertThat(d.trustedKeys()).containsExactly(publicA);
        });
    }

    @Test
    void trustedKeyIsRepeatable() {
        PlatformConfig c = config("--fw-verify", "signed", "--trusted-key", keyA.toString(),
                "--trusted-key", keyB.toString());
        assertThat(c.devices().get(0).trustedKeys()).containsExactly(publicA, publicB);
    }

    @Test
    void keysWithoutTheSignedPolicyAreAccepted_andByDefaultThereAreNone() {
        assertThat(config("--trusted-key", keyA.toString()).devices().get(0))
                .satisfies(d -> assertThat(d.verifyPolicy()).isEqualTo(VerifyPolicy.PACKAGE))
                .satisfies(d -> assertThat(d.trustedKeys()).containsExactly(publicA));
        assertThat(config().devices().get(0).trustedKeys()).isEmpty();
    }

    @Test
    void signedWithoutAKeyIsRefused() {
        assertThatThrownBy(() -> config("--fw-verify", "signed"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mem0: fw-verify signed needs at least one trusted key "
                        + "(--trusted-key FILE, or trusted_keys in the config file)");
    }

    @Test
    void aMissingKeyFileIsRefused() {
        Path missing = dir.resolve("nope.pub");
        assertThatThrownBy(() -> config("--fw-verify", "signed", "--trusted-key", missing.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trusted key " + missing + ": no such file");
    }

    @Test
    void aFileThatIsNotAPublicKeyIsRefused() throws Exception {
        Path privateKey = dir.resolve("a.pem");
        Path garbage = write("garbage.pub", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        Path binary = Files.write(dir.resolve("binary.pub"), new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 1});
        for (Path bad : List.of(privateKey, garbage, binary, dir)) {
            assertThatThrownBy(() -> config("--fw-verify", "signed", "--trusted-key", bad.toString()))
                    .as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("trusted key " + bad + ": ")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void badKeyOptionsAreOneLineAndExit2_beforeAnythingStarts() {
        Path state = dir.resolve("state");
        String[][] cases = {
            {"--fw-verify", "signed"},
            {"--fw-verify", "signed", "--trusted-key", dir.resolve("nope.pub").toString()},
            {"--trusted-key", dir.resolve("a.pem").toString()},
        };
        for (String[] bad : cases) {
            List<String> args = new ArrayList<>(List.of("serve", "--state-dir", state.toString(),
                    "--http-listen", "127.0.0.1:0", "--cci-listen", "127.0.0.1:0"));
            args.addAll(List.of(bad));
            Run r = run(args.toArray(String[]::new));
            assertThat(r.exit).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(r.out).isEmpty();
            assertThat(r.err.lines().toList()).as(String.join(" ", bad)).singleElement().asString()
                    .startsWith("cxlkit: serve: ");
            assertThat(state).doesNotExist();
        }
    }

    // ---- config file ----

    @Test
    void configTrustedKeys_overrideTheFlagsKeysPerDevice_relativeToTheConfigFile() throws Exception {
        Files.createDirectories(dir.resolve("conf/keys"));
        Files.copy(keyB, dir.resolve("conf/keys/b.pub"));
        Path yaml = Files.writeString(dir.resolve("conf/devices.yaml"), """
                devices:
                  - name: mem0
                  - name: mem1
                    trusted_keys: [keys/b.pub]
                  - name: mem2
                    fw_verify: package
                    trusted_keys: []
                  - name: mem3
                    trusted_keys:
                      - %s
                      - keys/b.pub
                """.formatted(keyA));
        PlatformConfig c = config("--config", yaml.toString(), "--fw-verify", "signed",
                "--trusted-key", keyA.toString());
        List<DeviceConfig> d = c.devices();
        assertThat(d).extracting(DeviceConfig::verifyPolicy).containsExactly(VerifyPolicy.SIGNED,
                VerifyPolicy.SIGNED, VerifyPolicy.PACKAGE, VerifyPolicy.SIGNED);
        assertThat(d.get(0).trustedKeys()).as("the flags' keys").containsExactly(publicA);
        assertThat(d.get(1).trustedKeys()).containsExactly(publicB);
        assertThat(d.get(2).trustedKeys()).isEmpty();
        assertThat(d.get(3).trustedKeys()).containsExactly(publicA, publicB);
    }

    @Test
    void configTrustedKeysInJson_withTheSignedPolicyPerDevice() throws Exception {
        Path json = write("devices.json", """
                {"devices": [{"fw_verify": "signed", "trusted_keys": ["%s"]}, {}]}
                """.formatted(keyA.toString().replace("\\", "\\\\")));
        List<DeviceConfig> d = config("--config", json.toString()).devices();
        assertThat(d.get(0).verifyPolicy()).isEqualTo(VerifyPolicy.SIGNED);
        assertThat(d.get(0).trustedKeys()).containsExactly(publicA);
        assertThat(d.get(1).verifyPolicy()).isEqualTo(VerifyPolicy.PACKAGE);
        assertThat(d.get(1).trustedKeys()).isEmpty();
    }

    @Test
    void badConfigTrustedKeysAreRefused_namingTheEntry() throws Exception {
        Path missing = write("missing.yaml", "devices:\n  - trusted_keys: [nope.pub]\n");
        assertThatThrownBy(() -> config("--config", missing.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(missing + ": devices[0]: trusted key " + dir.resolve("nope.pub") + ": no such file");

        Path notAList = write("scalar.yaml", "devices:\n  - trusted_keys: " + keyA + "\n");
        assertThatThrownBy(() -> config("--config", notAList.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(notAList + ": devices[0]: 'trusted_keys' must be a list of key files");

        Path numbers = write("numbers.yaml", "devices:\n  - trusted_keys: [1, 2]\n");
        assertThatThrownBy(() -> config("--config", numbers.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(numbers + ": devices[0]: 'trusted_keys' must be a list of key files");

        Path noKeys = write("nokeys.yaml", "devices:\n  - fw_verify: signed\n    trusted_keys: []\n");
        assertThatThrownBy(() -> config("--config", noKeys.toString(), "--trusted-key", keyA.toString()))
                .as("an empty list replaces the flags' keys")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fw-verify signed needs at least one trusted key");
    }
}
