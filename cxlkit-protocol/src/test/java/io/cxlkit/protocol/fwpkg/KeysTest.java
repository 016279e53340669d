package io.cxlkit.protocol.fwpkg;

import static io.cxlkit.protocol.fwpkg.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void keyIdOfTheRfc8032Key() {
        assertThat(KeyIds.of(Vectors.rfcPublic())).isEqualTo(Vectors.RFC8032_KEY_ID);
    }

    @Test
    void keyIdIsTheFirst8BytesOfSha256OfTheX509Encoding() {
        for (int n = 0; n < 20; n++) {
            KeyPair kp = Vectors.newKeyPair();
            String id = KeyIds.of(kp.getPublic());
            assertThat(id).matches("[0-9a-f]{16}");
            assertThat(kp.getPublic().getEncoded()).hasSize(44);
            assertThat(id).isEqualTo(hex(Arrays.copyOf(Vectors.sha256(kp.getPublic().getEncoded()), 8)));
        }
    }

    @Test
    void readsOpenSslPem() throws Exception {
        assertThat(hex(Vectors.rfcPublic().getEncoded()))
                .isEqualTo("302a300506032b6570032100" + Vectors.RFC8032_PUBLIC_RAW);
        // RFC 8032 TEST 1: the signature of the empty message
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(Vectors.rfcPrivate());
        assertThat(hex(s.sign())).isEqualTo("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    }

    @Test
    void writesWhatOpenSslWrites() {
        assertThat(Pem.writePrivateKey(Vectors.rfcPrivate())).isEqualTo(Vectors.RFC8032_PRIVATE_PEM);
        assertThat(Pem.writePublicKey(Vectors.rfcPublic())).isEqualTo(Vectors.RFC8032_PUBLIC_PEM);
    }

    @Test
    void pemRoundTrip() throws Exception {
        KeyPair kp = Vectors.newKeyPair();
        String priv = Pem.writePrivateKey(kp.getPrivate());
        String pub = Pem.writePublicKey(kp.getPublic());
        assertThat(priv).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(pub).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(Pem.readPrivateKey(priv).getEncoded()).isEqualTo(kp.getPrivate().getEncoded());
        assertThat(Pem.readPublicKey(pub)).isEqualTo(kp.getPublic());
        // keys read back sign and verify packages
        byte[] pkg = FirmwarePackage.builder().revision("r").body(new byte[10])
                .sign(Pem.readPrivateKey(priv), Pem.readPublicKey(pub)).build().toByteArray();
        assertThat(PackageVerifier.inspect(pkg).verifiesWith(java.util.List.of(kp.getPublic()))).isTrue();
        // surrounding text and CRLF line ends are tolerated
        assertThat(Pem.readPublicKey("key:\r\n" + pub.replace("\n", "\r\n") + "trailer")).isEqualTo(kp.getPublic());
    }

    @Test
    void badPemIsRejected() throws Exception {
        String pub = Pem.writePublicKey(Vectors.newKeyPair().getPublic());
        String priv = Pem.writePrivateKey(Vectors.newKeyPair().getPrivate());
        assertThatThrownBy(() -> Pem.readPrivateKey(pub)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no PEM PRIVATE KEY block");
        assertThatThrownBy(() -> Pem.readPublicKey(priv)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no PEM PUBLIC KEY block");
        assertThatThrownBy(() -> Pem.readPublicKey("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bad base64 in PEM PUBLIC KEY block");
        assertThatThrownBy(() -> Pem.readPublicKey("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("empty PEM PUBLIC KEY block");
        assertThatThrownBy(() -> Pem.readPublicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not an Ed25519 public key");
        KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        String ed448Pub = "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getEncoder().encodeToString(ed448.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        assertThatThrownBy(() -> Pem.readPublicKey(ed448Pub)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an Ed25519 public key");
        assertThatThrownBy(() -> Pem.writePublicKey(ed448.getPublic())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pem.writePrivateKey(ed448.getPrivate())).isInstanceOf(IllegalArgumentException.class);
    }
}
