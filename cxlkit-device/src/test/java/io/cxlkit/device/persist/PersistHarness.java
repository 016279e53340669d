package io.cxlkit.device.persist;

import io.cxlkit.device.DeviceThreads;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.clock.VirtualClock;
import io.cxlkit.device.fw.DeviceStateException;
import io.cxlkit.device.fw.PolicyChecker;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.fwpkg.PackageVerifier;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.Identify;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Shared helpers for the persistence tests: deterministic device opening, firmware commands sent over
 * the MCTP CCI, test packages, and a raw view of a device directory (device-behaviour.md §6).
 */
final class PersistHarness {

    static final String STATE_FILE = "device.properties";
    static final String STAGING_FILE = "staging.bin";
    /** Part size for multi-part uploads: a multiple of 128 that fits the default 1 KiB MCTP message. */
    static final int PART = 256;

    private static int nextTag;

    private PersistHarness() {
    }

    /** Defaults of mem{@code index}, with instant timing so every command completes synchronously. */
    static DeviceConfig config(int index) {
        return DeviceConfig.defaults(index).toBuilder().timing(Timing.instant()).build();
    }

    static DeviceConfig config() {
        return config(0);
    }

    /** Opens a device with a virtual clock, same-thread executors and the real package checker. */
    static CxlDevice open(DeviceConfig config, Path dir, CrashHook hook) throws IOException, DeviceStateException {
        return CxlDevice.open(config, dir, new VirtualClock(), DeviceThreads.inline(), hook, new PolicyChecker());
    }

    static CxlDevice open(DeviceConfig config, Path dir) throws IOException, DeviceStateException {
        return open(config, dir, CrashHook.NONE);
    }

    /** A package with a deterministic body of {@code bodyLength} bytes derived from {@code seed}. */
    static byte[] pkg(String revision, long securityVersion, int bodyLength, int seed) {
        byte[] body = new byte[bodyLength];
        for (int i = 0; i < bodyLength; i++) {
            body[i] = (byte) (seed * 31 + i * 7 + (i >>> 8));
        }
        return FirmwarePackage.builder().revision(revision).securityVersion(securityVersion).body(body)
                .build().toByteArray();
    }

    /** Package A: 768 bytes, fits one Full over MCTP and splits into three 256-byte parts. */
    static byte[] packageA() {
        return pkg("A-REV 1.0", 0, 600, 1);
    }

    /** Package B: same size as A, different bytes. */
    static byte[] packageB() {
        return pkg("B-REV 2.0", 0, 610, 2);
    }

    /** Package C, for checking a reopened device still accepts uploads. */
    static byte[] packageC() {
        return pkg("C-REV 3.0", 0, 300, 3);
    }

    /** {@code pkg} with its first body byte flipped: fails the {@code package} policy's body digest. */
    static byte[] corrupted(byte[] pkg) {
        byte[] bad = pkg.clone();
        bad[128] ^= (byte) 0xFF;
        return bad;
    }

    // ---- commands over MCTP ----

    static CciMessage send(CxlDevice device, CommandId command, byte[] payload) {
        int tag = nextTag++ & 0xFF;
        CciMessage response = device.mctp().handle(CciMessage.request(tag, command.opcode(), payload));
        assertThat(response.tag()).isEqualTo(tag);
        return response;
    }

    static int full(CxlDevice device, int slot, byte[] pkg) {
        return send(device, CommandId.TRANSFER_FW, TransferFwRequest.full(slot, ByteBuffer.wrap(pkg)).encode())
                .returnCode();
    }

    static int initiate(CxlDevice device, byte[] data) {
        return send(device, CommandId.TRANSFER_FW, TransferFwRequest.initiate(0, ByteBuffer.wrap(data)).encode())
                .returnCode();
    }

    static int continuePart(CxlDevice device, long byteOffset, byte[] data) {
        return send(device, CommandId.TRANSFER_FW, TransferFwRequest.continuePart(
                byteOffset / TransferFwRequest.OFFSET_UNIT, ByteBuffer.wrap(data)).encode()).returnCode();
    }

    static int end(CxlDevice device, int slot, long byteOffset, byte[] data) {
        return send(device, CommandId.TRANSFER_FW, TransferFwRequest.end(slot,
                byteOffset / TransferFwRequest.OFFSET_UNIT, ByteBuffer.wrap(data)).encode()).returnCode();
    }

    /**
     * Uploads {@code pkg} to {@code slot} as Initiate, Continue..., End in {@link #PART}-byte parts.
     * Returns the first non-success return code, or End's.
     */
    static int parts(CxlDevice device, int slot, byte[] pkg) {
        if (pkg.length <= PART) {
            throw new IllegalArgumentException("a multi-part upload needs more than one part");
        }
        int rc = initiate(device, Arrays.copyOfRange(pkg, 0, PART));
        int offset = PART;
        while (rc == 0 && pkg.length - offset > PART) {
            rc = continuePart(device, offset, Arrays.copyOfRange(pkg, offset, offset + PART));
            offset += PART;
        }
        return rc != 0 ? rc : end(device, slot, offset, Arrays.copyOfRange(pkg, offset, pkg.length));
    }

    static int activateOnline(CxlDevice device, int slot) {
        return send(device, CommandId.ACTIVATE_FW, ActivateFwRequest.online(slot).encode()).returnCode();
    }

    static int activateOnReset(CxlDevice device, int slot) {
        return send(device, CommandId.ACTIVATE_FW, ActivateFwRequest.onNextReset(slot).encode()).returnCode();
    }

    /** Get FW Info as a host sees it over MCTP. */
    static FwInfo fwInfo(CxlDevice device) {
        CciMessage r = send(device, CommandId.GET_FW_INFO, new byte[0]);
        assertThat(r.returnCode()).as("Get FW Info").isEqualTo(ReturnCode.SUCCESS.value());
        return FwInfo.decode(ByteBuffer.wrap(r.payload()));
    }

    static Identify identify(CxlDevice device) {
        CciMessage r = send(device, CommandId.IDENTIFY, new byte[0]);
        assertThat(r.returnCode()).as("Identify").isEqualTo(ReturnCode.SUCCESS.value());
        return Identify.decode(ByteBuffer.wrap(r.payload()));
    }

    static String hex(int rc) {
        return String.format("%04Xh", rc);
    }

    // ---- the directory as stored ----

    /** Bytes of slot-N.pkg, or null when absent. */
    static byte[] slotBytes(Path dir, int slot) {
        Path f = dir.resolve("slot-" + slot + ".pkg");
        try {
            return Files.exists(f) ? Files.readAllBytes(f) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean intact(Path file) {
        try {
            return Files.exists(file) && PackageVerifier.inspect(file).intact();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the files in {@code dir} matching *.tmp. */
    static List<String> tmpFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean stagingPresent(Path dir) {
        return Files.exists(dir.resolve(STAGING_FILE));
    }

    /**
     * The non-volatile state as a restarted process would find it: device.properties (absent: no
     * state) and the slot files.
     */
    record DiskState(boolean hasState, long serial, int slots, int active, int staged, long securityFloor,
                     List<byte[]> slotContents) {

        static DiskState read(Path dir) {
            Path f = dir.resolve(STATE_FILE);
            List<byte[]> contents = new ArrayList<>();
            contents.add(null); // index 0 unused
            for (int s = 1; s <= 4; s++) {
                contents.add(slotBytes(dir, s));
            }
            if (!Files.exists(f)) {
                return new DiskState(false, 0, 0, 0, 0, 0, contents);
            }
            try {
                Properties p = new Properties();
                p.load(new StringReader(Files.readString(f, StandardCharsets.UTF_8)));
                return new DiskState(true, Long.parseLong(p.getProperty("serial")),
                        Integer.parseInt(p.getProperty("slots")), Integer.parseInt(p.getProperty("active")),
                        Integer.parseInt(p.getProperty("staged", "0")),
                        Long.parseLong(p.getProperty("security_floor", "0")), contents);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] slot(int n) {
            return slotContents.get(n);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(hasState
                    ? "active=" + active + " staged=" + staged + " slots=" + slots + " serial=" + serial
                    : "no device.properties");
            for (int s = 1; s <= 4; s++) {
                byte[] b = slot(s);
                sb.append(" slot").append(s).append('=').append(b == null ? "empty" : describe(b));
            }
            return sb.toString();
        }
    }

    /** A short human name for package bytes: its revision if it parses, else its length. */
    static String describe(byte[] bytes) {
        if (bytes == null) {
            return "empty";
        }
        if (Arrays.equals(bytes, FirmwarePackage.factory())) {
            return "factory";
        }
        var inspection = PackageVerifier.inspect(bytes);
        return inspection.revision().map(r -> "'" + r + "'").orElse("?") + "(" + bytes.length + " B"
                + (inspection.intact() ? "" : ", not intact") + ")";
    }
}
