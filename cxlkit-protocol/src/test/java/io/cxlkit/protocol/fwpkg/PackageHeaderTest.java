package io.cxlkit.protocol.fwpkg;

import static io.cxlkit.protocol.fwpkg.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PackageHeaderTest {

    private static PackageHeader vectorHeader(boolean signed) {
        return PackageHeader.of(Vectors.REVISION, Vectors.SECURITY_VERSION, Vectors.BODY.length,
                Vectors.sha256(Vectors.BODY), signed);
    }

    /** Rewrites the header digest after a test changed a field. */
    private static byte[] redigest(byte[] h) {
        System.arraycopy(Vectors.sha256(Arrays.copyOf(h, 96)), 0, h, 96, 32);
        return h;
    }

    @Test
    void encodesTheDocumentedBytesExactly() {
        assertThat(hex(vectorHeader(false).encode())).isEqualTo(Vectors.UNSIGNED_HEADER_HEX);
        assertThat(hex(vectorHeader(true).encode())).isEqualTo(Vectors.SIGNED_HEADER_HEX);
    }

    @Test
    void encodeToWritesAtThePositionWhateverTheBufferOrder() {
        ByteBuffer b = ByteBuffer.allocate(3 + 128 + 5).order(ByteOrder.BIG_ENDIAN);
        b.position(3);
        vectorHeader(false).encodeTo(b);
        assertThat(b.position()).isEqualTo(131);
        assertThat(hex(Arrays.copyOfRange(b.array(), 3, 131))).isEqualTo(Vectors.UNSIGNED_HEADER_HEX);
    }

    @Test
    void parsesTheDocumentedBytes() {
        PackageHeader h = PackageHeader.parse(hex(Vectors.SIGNED_HEADER_HEX));
        assertThat(h.formatVersion()).isEqualTo(1);
        assertThat(h.flags()).isEqualTo(1);
        assertThat(h.signed()).isTrue();
        assertThat(h.revision()).isEqualTo("BWFW VERSION 1");
        assertThat(h.bodyLength()).isEqualTo(6);
        assertThat(h.bodySha256()).isEqualTo(Vectors.sha256(Vectors.BODY));
        assertThat(h.bodySha256Hex()).isEqualTo("7734b499372cf26d37c1148ce86ea43aeb63460ad81c4ab043070ab24f0e1cd8");
        assertThat(h.securityVersion()).isEqualTo(0x107);
        assertThat(h.trailerLength()).isEqualTo(104);
        assertThat(h.unpaddedLength()).isEqualTo(128 + 6 + 104);
        assertThat(h.packageLength()).isEqualTo(256);
        assertThat(h).isEqualTo(vectorHeader(true)).hasSameHashCodeAs(vectorHeader(true));
        assertThat(PackageHeader.parse(hex(Vectors.UNSIGNED_HEADER_HEX)).signed()).isFalse();
    }

    @Test
    void parseAdvancesPastTheHeaderOnlyOnSuccess() {
        ByteBuffer ok = ByteBuffer.wrap(Arrays.copyOf(hex(Vectors.UNSIGNED_HEADER_HEX), 200));
        PackageHeader.parse(ok);
        assertThat(ok.position()).isEqualTo(128);
        byte[] bad = hex(Vectors.UNSIGNED_HEADER_HEX);
        bad[0] ^= 1;
        ByteBuffer b = ByteBuffer.wrap(bad);
        assertThatThrownBy(() -> PackageHeader.parse(b)).isInstanceOf(PackageFormatException.class);
        assertThat(b.position()).isZero();
    }

    @Test
    void roundTripsExtremeFields() {
        byte[] sha = new byte[32];
        Arrays.fill(sha, (byte) 0xA5);
        for (String rev : new String[] {"x", " ", "~~~~~~~~~~~~~~~~", "0123456789ABCDEF"}) {
            PackageHeader h = PackageHeader.of(rev, PackageHeader.MAX_SECURITY_VERSION, PackageHeader.MAX_BODY_LENGTH,
                    sha, true);
            assertThat(PackageHeader.parse(h.encode())).isEqualTo(h);
        }
    }

    @Test
    void everySingleByteFlipIsBadMagicOrHeaderDigestMismatch() {
        byte[] good = hex(Vectors.SIGNED_HEADER_HEX);
        for (int i = 0; i < 128; i++) {
            for (int mask : new int[] {0x01, 0x80, 0xFF}) {
                byte[] h = good.clone();
                h[i] ^= (byte) mask;
                String expected = i < 8 ? "bad magic" : "header digest mismatch";
                assertThatThrownBy(() -> PackageHeader.parse(h))
                        .as("byte %d ^ %02x", i, mask)
                        .isExactlyInstanceOf(PackageFormatException.class)
                        .hasMessage(expected);
            }
        }
    }

    @Test
    void truncatedHeader() {
        assertThatThrownBy(() -> PackageHeader.parse(new byte[127]))
                .isInstanceOf(PackageFormatException.class).hasMessage("truncated header: 127 of 128 bytes");
    }

    /** Field errors behind a correct digest: each gets its own message. */
    @Test
    void fieldErrorsWithAValidDigest() {
        assertFieldError(h -> h[0x08] = 2, "unsupported format version 2");
        assertFieldError(h -> h[0x0A] = 0x40, "header length 64 is not 128");
        assertFieldError(h -> h[0x0C] = 2, "unknown flags 0002h");
        assertFieldError(h -> h[0x4C] = 0, "signature trailer length 0 does not match the flags (expected 104)");
        assertFieldError(h -> h[0x0F] = 1, "reserved header bytes are not zero");
        assertFieldError(h -> h[0x5F] = 1, "reserved header bytes are not zero");
        assertFieldError(h -> h[0x27] = (byte) 0x80, "body length 9223372036854775814 is out of range");
        assertFieldError(h -> Arrays.fill(h, 0x10, 0x20, (byte) 0), PackageHeader.BAD_REVISION);
        assertFieldError(h -> h[0x10] = 0x1F, PackageHeader.BAD_REVISION);
        assertFieldError(h -> h[0x10] = 0x7F, PackageHeader.BAD_REVISION);
        assertFieldError(h -> h[0x10] = (byte) 0xC3, PackageHeader.BAD_REVISION);
        // a NUL inside the revision with text after it
        assertFieldError(h -> h[0x12] = 0, PackageHeader.BAD_REVISION);
        assertFieldError(h -> h[0x1F] = 'x', PackageHeader.BAD_REVISION);
    }

    private interface Mutation {
        void apply(byte[] h);
    }

    private static void assertFieldError(Mutation m, String message) {
        byte[] h = hex(Vectors.SIGNED_HEADER_HEX);
        m.apply(h);
        redigest(h);
        assertThatThrownBy(() -> PackageHeader.parse(h)).isExactlyInstanceOf(PackageFormatException.class)
                .hasMessage(message);
    }

    @Test
    void revisionFillingTheFieldHasNoNul() {
        byte[] h = PackageHeader.of("ABCDEFGHIJKLMNOP", 0, 0, new byte[32], false).encode();
        assertThat(new String(h, 0x10, 16, StandardCharsets.US_ASCII)).isEqualTo("ABCDEFGHIJKLMNOP");
        assertThat(PackageHeader.parse(h).revision()).isEqualTo("ABCDEFGHIJKLMNOP");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ABCDEFGHIJKLMNOPQ", "tab\there", "caf\u00e9", "nul\u0000", "del\u007f"})
    void invalidRevisionsAreRejected(String revision) {
        assertThat(PackageHeader.isValidRevision(revision)).isFalse();
        assertThatThrownBy(() -> PackageHeader.of(revision, 0, 0, new byte[32], false))
                .isInstanceOf(PackageFormatException.class)
                .hasMessage("revision is not 1-16 printable ASCII characters");
    }

    @Test
    void constructorChecksRanges() {
        assertThatThrownBy(() -> PackageHeader.of("r", -1, 0, new byte[32], false))
                .isInstanceOf(PackageFormatException.class);
        assertThatThrownBy(() -> PackageHeader.of("r", 1L << 32, 0, new byte[32], false))
                .isInstanceOf(PackageFormatException.class);
        assertThatThrownBy(() -> PackageHeader.of("r", 0, -1, new byte[32], false))
                .isInstanceOf(PackageFormatException.class);
        assertThatThrownBy(() -> PackageHeader.of("r", 0, PackageHeader.MAX_BODY_LENGTH + 1, new byte[32], false))
                .isInstanceOf(PackageFormatException.class);
        assertThatThrownBy(() -> PackageHeader.of("r", 0, 0, new byte[31], false))
                .isInstanceOf(PackageFormatException.class);
        assertThatThrownBy(() -> new PackageHeader(2, 0, "r", 0, new byte[32], 0))
                .isInstanceOf(PackageFormatException.class).hasMessage("unsupported format version 2");
        assertThatThrownBy(() -> new PackageHeader(1, 4, "r", 0, new byte[32], 0))
                .isInstanceOf(PackageFormatException.class).hasMessage("unknown flags 0004h");
    }

    @Test
    void bodyDigestIsCopiedInAndOut() {
        byte[] sha = new byte[32];
        PackageHeader h = PackageHeader.of("r", 0, 0, sha, false);
        sha[0] = 1;
        h.bodySha256()[1] = 1;
        assertThat(h.bodySha256()).containsOnly(0);
    }

    @Test
    void paddedLengths() {
        assertThat(PackageHeader.of("r", 0, 0, new byte[32], false).packageLength()).isEqualTo(128);
        assertThat(PackageHeader.of("r", 0, 1, new byte[32], false).packageLength()).isEqualTo(256);
        assertThat(PackageHeader.of("r", 0, 128, new byte[32], false).packageLength()).isEqualTo(256);
        assertThat(PackageHeader.of("r", 0, 24, new byte[32], true).packageLength()).isEqualTo(256);
        assertThat(PackageHeader.of("r", 0, 25, new byte[32], true).packageLength()).isEqualTo(384);
    }
}
