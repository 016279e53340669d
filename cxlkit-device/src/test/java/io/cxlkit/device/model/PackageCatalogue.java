package io.cxlkit.device.model;

import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The images the test sends: a few valid packages (built with the protocol's package builder, bodies
 * from a fixed-seed random source so no two share bytes), the factory package, and corrupted images.
 * The model treats exactly the valid ones (and the factory) as passing verification.
 */
final class PackageCatalogue {

    /** One image the host may send; {@code valid} when it is a package that must verify. */
    record Image(String name, byte[] bytes, boolean valid) {
        @Override
        public String toString() {
            return name + "(" + bytes.length + " B" + (valid ? "" : ", bad") + ")";
        }
    }

    static final String FACTORY_REVISION = FirmwarePackage.FACTORY_REVISION;

    final FirmwareModel.KnownPackage factory;
    final List<FirmwareModel.KnownPackage> known = new ArrayList<>();
    final List<Image> images = new ArrayList<>();
    final List<Image> valid = new ArrayList<>();
    final List<Image> corrupted = new ArrayList<>();

    PackageCatalogue() {
        Random random = new Random(0xC0FFEEL);
        factory = new FirmwareModel.KnownPackage(FirmwarePackage.factory(), FACTORY_REVISION, 0);
        known.add(factory);
        addValid("R0", 0, body(random, 300));      //  512 B: fits a 1 KiB MCTP message
        addValid("R1", 0, body(random, 700));      //  896 B: exactly the MCTP data limit at n = 10
        addValid("R2", 0, body(random, 1900));     // 2048 B
        addValid("R3", 0, body(random, 3500));     // 3712 B: Full fits the 4 KiB mailbox only
        addValid("R4", 0, body(random, 5200));     // 5376 B: above a 4 KiB maximum package size
        addValid("SV1", 1, body(random, 1000));    // raises the security floor once activated
        images.add(new Image("factory", factory.bytes(), true));
        valid.add(images.get(images.size() - 1));

        byte[] r1 = bytesOf("R1");
        byte[] bodyFlip = r1.clone();
        bodyFlip[200] ^= 0x01;
        addCorrupted("R1-body-flip", bodyFlip);
        byte[] r2 = bytesOf("R2");
        byte[] headerFlip = r2.clone();
        headerFlip[0x10] ^= 0x20;  // inside the header, covered by the header digest
        addCorrupted("R2-header-flip", headerFlip);
        byte[] r3 = bytesOf("R3");
        addCorrupted("R3-truncated", Arrays.copyOf(r3, r3.length - 128));
        addCorrupted("R0-short-tail", Arrays.copyOf(bytesOf("R0"), 300));  // not a 128-byte multiple
        addCorrupted("random-1024", body(random, 1024));
    }

    private void addValid(String revision, long securityVersion, byte[] body) {
        byte[] bytes = FirmwarePackage.builder().revision(revision).securityVersion(securityVersion).body(body).build()
                .toByteArray();
        known.add(new FirmwareModel.KnownPackage(bytes, revision, securityVersion));
        Image image = new Image(revision, bytes, true);
        images.add(image);
        valid.add(image);
    }

    private void addCorrupted(String name, byte[] bytes) {
        Image image = new Image(name, bytes, false);
        images.add(image);
        corrupted.add(image);
    }

    Image find(String name) {
        return images.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    private byte[] bytesOf(String revision) {
        return known.stream().filter(k -> k.revision().equals(revision)).findFirst().orElseThrow().bytes();
    }

    private static byte[] body(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
