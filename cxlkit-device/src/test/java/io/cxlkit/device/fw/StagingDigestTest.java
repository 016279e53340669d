package io.cxlkit.device.fw;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.protocol.fwpkg.BodyDigest;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * device-behaviour.md §5: an incremental digest is allowed only if it provably equals the digest
 * of the stored bytes. The property checks exactly that against a byte-array "file" written the
 * way the staging file is, whatever the order of writes.
 */
class StagingDigestTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private static byte[] pkg(int bodyBytes, boolean signed) {
        byte[] body = new byte[bodyBytes];
        new Random(bodyBytes).nextBytes(body);
        var b = FirmwarePackage.builder().revision("DIGEST").securityVersion(1).body(body);
        if (signed) {
            java.security.KeyPair keys;
            try {
                keys = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            b.sign(keys.getPrivate(), keys.getPublic());
        }
        return b.build().toByteArray();
    }

    private static byte[] sha256(byte[] b, int from, int to) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(b, from, to - from);
        return md.digest();
    }

    /** Writes {@code pkg} in parts of {@code part} bytes, in order; returns the digest's answer. */
    private Optional<BodyDigest> inOrder(StagingDigest d, byte[] pkg, int part) {
        d.begin();
        for (int off = 0; off < pkg.length; off += part) {
            int n = Math.min(part, pkg.length - off);
            d.written(off, pkg.clone(), off, n); // a fresh array each time: chunks never change once handed over
        }
        return d.result(pkg.length);
    }

    @Test
    void partsInOrderGiveTheBodyDigestOnAnyPool() throws Exception {
        byte[] p = pkg(100_000, true);
        byte[] expected = sha256(p, 128, 128 + 100_000);
        for (int part : new int[] {128, 4096, 3968, 1 << 20}) {
            for (StagingDigest d : List.of(new StagingDigest(pool), new StagingDigest(Runnable::run))) {
                assertThat(inOrder(d, p, part)).as("parts of %d", part)
                        .contains(new BodyDigest(100_000, expected));
            }
        }
    }

    @Test
    void aRetransmittedPartMakesItGiveUp() {
        byte[] p = pkg(10_000, false);
        StagingDigest d = new StagingDigest(pool);
        d.begin();
        d.written(0, p, 0, 4096);
        d.written(4096, p, 4096, 4096);
        d.written(4096, p, 4096, 4096); // the same range again: the stored bytes may differ now
        d.written(8192, p, 8192, p.length - 8192);
        assertThat(d.result(p.length)).isEmpty();
    }

    @Test
    void theCorruptStagingFaultOrAnUnknownWriteMakesItGiveUp() {
        byte[] p = pkg(10_000, false);
        StagingDigest d = new StagingDigest(pool);
        d.begin();
        d.written(0, p, 0, p.length);
        d.invalidate();
        assertThat(d.result(p.length)).isEmpty();
    }

    @Test
    void bytesThatAreNotAPackageOrAreCutShortGiveNothing() {
        byte[] random = new byte[4096];
        new Random(3).nextBytes(random);
        StagingDigest d = new StagingDigest(pool);
        assertThat(inOrder(d, random, 1024)).isEmpty();

        byte[] p = pkg(10_000, false);
        d.begin();
        d.written(0, p, 0, 5000); // the body is 10,000 bytes: the digest cannot cover it
        assertThat(d.result(5000)).isEmpty();
        d.begin();
        d.written(0, p, 0, p.length);
        assertThat(d.result(p.length - 128)).as("the file holds less than was written").isEmpty();
    }

    @Test
    void aNewStagingStartsAfresh() throws Exception {
        byte[] first = pkg(5000, false);
        byte[] second = pkg(7000, false);
        StagingDigest d = new StagingDigest(pool);
        d.begin();
        d.written(0, first, 0, 3000);
        d.written(0, first, 0, 3000); // gives up on the first staging...
        assertThat(inOrder(d, second, 1024)) // ...but not on the next
                .contains(new BodyDigest(7000, sha256(second, 128, 128 + 7000)));
    }

    // ---- the property: whenever it answers, the answer is the stored bytes' body digest ----

    /** One write: at the end of what is stored so far (most of the time) or anywhere. */
    record Write(boolean contiguous, int offsetSeed, int length, boolean invalidate, boolean begin) {
    }

    @Provide
    Arbitrary<List<Write>> writes() {
        // without edge cases: jqwik would pick 0 and 1 far more often than 1 in 60 for the rare actions
        Arbitrary<Write> w = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers().between(1, 4000),
                Arbitraries.integers().between(0, 59)).as((kind, seed, len, rare) ->
                new Write(kind < 96, seed, len, rare == 0, rare == 1)).withoutEdgeCases();
        return w.list().ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 300)
    void anAnswerAlwaysEqualsTheDigestOfTheStoredBody(@ForAll("writes") List<Write> writes,
                                                       @ForAll boolean hashOnAPool) throws Exception {
        byte[] source = pkg(4_000, false); // bytes written come from a real package, or are mangled
        StagingDigest d = new StagingDigest(hashOnAPool ? pool : Runnable::run);
        byte[] file = new byte[0];
        d.begin();
        List<String> log = new ArrayList<>();
        for (Write w : writes) {
            if (w.begin()) {
                d.begin();
                file = new byte[0];
                continue;
            }
            if (w.invalidate()) {
                d.invalidate();
                if (file.length > 0) {
                    file[file.length / 2] ^= 1;
                }
                continue;
            }
            int offset = w.contiguous() ? file.length : w.offsetSeed() % (file.length + 1);
            byte[] chunk = new byte[w.length()];
            for (int i = 0; i < chunk.length; i++) {
                int at = offset + i;
                chunk[i] = at < source.length ? source[at] : (byte) at;
            }
            if (w.offsetSeed() % 23 == 7) {
                chunk[0] ^= 0x55; // now and then a byte that differs from the package
            }
            if (offset + chunk.length > file.length) {
                file = Arrays.copyOf(file, offset + chunk.length);
            }
            System.arraycopy(chunk, 0, file, offset, chunk.length);
            d.written(offset, chunk, 0, chunk.length);
            log.add(offset + "+" + chunk.length);
        }
        Optional<BodyDigest> answer = d.result(file.length);
        Statistics.label("answered").collect(answer.isPresent());
        Statistics.label("answered").coverage(c -> c.check(true).percentage(p -> p >= 10));
        if (answer.isPresent()) {
            long end = 128 + answer.get().bodyLength();
            assertThat(end).isLessThanOrEqualTo(file.length);
            assertThat(answer.get().sha256()).as("writes %s", log).isEqualTo(sha256(file, 128, (int) end));
        }
    }
}
