package io.cxlkit.protocol.fwpkg;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.HexFormat;

/**
 * Test vectors written out by hand from the tables of docs/package-format.md; digests and the
 * signature were computed outside Java (sha256sum, openssl pkeyutl -sign -rawin).
 */
final class Vectors {

    private Vectors() {
    }

    /** RFC 8032 §7.1 TEST 1 key pair, as OpenSSL writes it. */
    static final String RFC8032_PRIVATE_PEM = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
            -----END PRIVATE KEY-----
            """;
    static final String RFC8032_PUBLIC_PEM = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
            -----END PUBLIC KEY-----
            """;
    static final String RFC8032_PUBLIC_RAW = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    /** sha256(302a300506032b6570032100 || raw key)[0..8]. */
    static final String RFC8032_KEY_ID = "06e3fd8fda29bb60";

    static final byte[] BODY = "cxlkit".getBytes(StandardCharsets.US_ASCII);
    static final String REVISION = "BWFW VERSION 1";
    static final long SECURITY_VERSION = 0x107;

    /** Unsigned header of BODY, revision "BWFW VERSION 1", security version 107h. */
    static final String UNSIGNED_HEADER_HEX = ""
            + "43584c4b49544657" + "0100" + "8000" + "0000" + "0000"       // 00h magic, version, hdr len, flags, rsvd
            + "425746572056455253494f4e20310000"                           // 10h revision
            + "0600000000000000"                                           // 20h body length 6
            + "7734b499372cf26d37c1148ce86ea43aeb63460ad81c4ab043070ab24f0e1cd8" // 28h sha256("cxlkit")
            + "07010000" + "00000000"                                      // 48h sec version, trailer length
            + "00000000000000000000000000000000"                           // 50h reserved
            + "39a2b98da143f3004fdb56da2c7696e492641e52b7e409cf1f5fee2c7d4da7ba"; // 60h header digest

    /** The same, signed (flags 1, trailer length 104). */
    static final String SIGNED_HEADER_HEX = ""
            + "43584c4b49544657" + "0100" + "8000" + "0100" + "0000"
            + "425746572056455253494f4e20310000"
            + "0600000000000000"
            + "7734b499372cf26d37c1148ce86ea43aeb63460ad81c4ab043070ab24f0e1cd8"
            + "07010000" + "68000000"
            + "00000000000000000000000000000000"
            + "cd6ebb465503f2d2d19b9334fe7ebf76cefaae47299d02ce1b8d4fd999a7ab3a";

    /** openssl pkeyutl -sign -rawin of the signed header with the RFC 8032 key. */
    static final String SIGNATURE_HEX = ""
            + "b6b569cb92090421933297b60baef5e6ba4882b9a1a8192da513d3c7afc74fb1"
            + "4e5823e2ae3f623f117eafa0805d8e222fa8a7f7e231de2d028dff158e3ff80e";

    /** The whole signed package: header, body, trailer, 18 zero bytes of padding (256 bytes). */
    static final String SIGNED_PACKAGE_HEX = SIGNED_HEADER_HEX
            + "63786c6b6974"                                               // body "cxlkit"
            + "53494731" + "0100" + "0000" + RFC8032_PUBLIC_RAW + SIGNATURE_HEX
            + "000000000000000000000000000000000000";

    /** Factory header: "BWFW VERSION 0", body 4096 zero bytes, security version 0, unsigned. */
    static final String FACTORY_HEADER_HEX = ""
            + "43584c4b495446570100800000000000"
            + "425746572056455253494f4e20300000"
            + "0010000000000000"
            + "ad7facb2586fc6e966c004d7d1d16b024f5805ff7cb47c7a85dabd8b48892ca7"
            + "0000000000000000"
            + "00000000000000000000000000000000"
            + "9ea9055cf30aeb3faf30312577deb5e3cb746af403a9fb8fffc874d00463d46f";
    /** sha256sum of the whole factory package. */
    static final String FACTORY_SHA256 = "9a2b75dd9567579f8969a5c07a3331742cadc0b5e9a0d8e82779ef73613fb40c";

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static PrivateKey rfcPrivate() {
        return Pem.readPrivateKey(RFC8032_PRIVATE_PEM);
    }

    static PublicKey rfcPublic() {
        return Pem.readPublicKey(RFC8032_PUBLIC_PEM);
    }

    static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] sha256(byte[] b) {
        return Ed25519.sha256(b, 0, b.length);
    }
}
