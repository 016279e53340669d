package io.cxlkit.cli.serve;

import io.cxlkit.cli.FileErrors;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.config.VerifyPolicy;
import io.cxlkit.protocol.fwpkg.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per-device settings that may come from flags (defaults for every device) or from a config
 * file entry (overrides for one device). Empty means "not set here". {@code trustedKeys} holds
 * keys already read (see {@link #readTrustedKeys}): a config entry's list replaces the flags' one.
 * {@code health}: the event log size and critical thresholds ({@link HealthSettings}); {@code media}:
 * the Scan Media time and the poison limits ({@link MediaSettings}).
 */
public record DeviceSettings(Optional<String> name, Optional<Long> serial, Optional<String> pciAddress,
                             Optional<Integer> slots, Optional<Long> payloadSize, Optional<Long> mctpMessageSize,
                             Optional<Timing.Preset> timing, Optional<Duration> partTime, Optional<Duration> fullTime,
                             Optional<Duration> activateTime, Optional<Duration> sanitizeTime,
                             Optional<String> fwVerify, Optional<Long> fwMaxSize,
                             Optional<Duration> partTimeout, Optional<Boolean> onlineActivate,
                             Optional<Long> pmemSize, Optional<Long> ramSize,
                             Optional<Long> partitionableCapacity, Optional<Long> partitionAlign, Optional<Long> lsaSize,
                             Optional<List<PublicKey>> trustedKeys,
                             HealthSettings health, MediaSettings media) {

    public static final DeviceSettings NONE = new DeviceSettings(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            HealthSettings.NONE, MediaSettings.NONE);

    /** {@code over}'s values where set, else this one's. */
    public DeviceSettings overriddenBy(DeviceSettings over) {
        return new DeviceSettings(or(over.name, name), or(over.serial, serial), or(over.pciAddress, pciAddress),
                or(over.slots, slots), or(over.payloadSize, payloadSize), or(over.mctpMessageSize, mctpMessageSize),
                or(over.timing, timing), or(over.partTime, partTime), or(over.fullTime, fullTime),
                or(over.activateTime, activateTime), or(over.sanitizeTime, sanitizeTime), or(over.fwVerify, fwVerify),
                or(over.fwMaxSize, fwMaxSize),
                or(over.partTimeout, partTimeout), or(over.onlineActivate, onlineActivate), or(over.pmemSize, pmemSize),
                or(over.ramSize, ramSize), or(over.partitionableCapacity, partitionableCapacity),
                or(over.partitionAlign, partitionAlign), or(over.lsaSize, lsaSize), or(over.trustedKeys, trustedKeys),
                health.overriddenBy(over.health), media.overriddenBy(over.media));
    }

    private static <T> Optional<T> or(Optional<T> a, Optional<T> b) {
        return a.isPresent() ? a : b;
    }

    /**
     * The configuration of device {@code index}: §9 defaults, then these settings. Every range of
     * cli.md is checked here, with a one-line message naming the setting.
     */
    public DeviceConfig toConfig(int index) {
        DeviceConfig.Builder b = DeviceConfig.defaults(index).toBuilder();
        name.ifPresent(b::name);
        serial.ifPresent(b::serial);
        pciAddress.ifPresent(b::pciAddress);
        slots.ifPresent(s -> {
            if (s < 2 || s > 4) {
                throw new IllegalArgumentException("slots must be 2..4, not " + s);
            }
            b.slots(s);
        });
        payloadSize.ifPresent(s -> b.payloadSizeExponent(Units.powerOfTwo(s, 8, 20, "payload size")));
        mctpMessageSize.ifPresent(s -> b.mctpMessageSizeExponent(Units.powerOfTwo(s, 8, 20, "MCTP message size")));
        Timing t = Timing.of(timing.orElse(Timing.Preset.REALISTIC));
        if (partTime.isPresent()) {
            t = t.withPartTime(partTime.get());
        }
        if (fullTime.isPresent()) {
            t = t.withFullTime(fullTime.get());
        }
        if (activateTime.isPresent()) {
            t = t.withActivateTime(activateTime.get());
        }
        if (sanitizeTime.isPresent()) {
            t = t.withSanitizeTime(sanitizeTime.get());
        }
        b.timing(media.applyTo(t));
        VerifyPolicy policy = fwVerify.map(VerifyPolicy::fromLabel).orElse(DeviceConfig.defaults(index).verifyPolicy());
        List<PublicKey> keys = trustedKeys.orElse(List.of());
        if (policy == VerifyPolicy.SIGNED && keys.isEmpty()) {
            throw new IllegalArgumentException(name.orElse("mem" + index) + ": fw-verify signed needs at least one "
                    + "trusted key (--trusted-key FILE, or trusted_keys in the config file)");
        }
        b.verifyPolicy(policy).trustedKeys(keys);
        fwMaxSize.ifPresent(s -> {
            if (s < DeviceConfig.MIN_PACKAGE_SIZE || s > DeviceConfig.MAX_PACKAGE_SIZE) {
                throw new IllegalArgumentException("fw-max-size must be 128 B..4 GiB, not " + Units.describe(s));
            }
            b.maxPackageSize(s);
        });
        partTimeout.ifPresent(d -> {
            if (d.isZero()) {
                throw new IllegalArgumentException("fw-part-timeout must be positive");
            }
            b.partTimeout(d);
        });
        onlineActivate.ifPresent(b::onlineActivate);
        long pmem = pmemSize.orElse(DeviceConfig.defaults(index).persistentCapacity());
        long ram = ramSize.orElse(0L);
        if (pmem % DeviceConfig.CAPACITY_UNIT != 0 || ram % DeviceConfig.CAPACITY_UNIT != 0) {
            throw new IllegalArgumentException("pmem and ram sizes must be multiples of 256 MiB");
        }
        b.persistentCapacity(pmem).volatileCapacity(ram);
        health.applyTo(b);
        media.applyTo(b);
        capacityAndLabels(b, name.orElse("mem" + index));
        return b.build();
    }

    /**
     * Partitionable capacity, its alignment (256 MiB when something is partitionable, unless given)
     * and the LSA size; DeviceConfig checks the rest, naming the device.
     */
    private void capacityAndLabels(DeviceConfig.Builder b, String device) {
        long x = partitionableCapacity.orElse(0L);
        b.partitionableCapacity(x).partitionAlignment(partitionAlign.orElse(x > 0 ? DeviceConfig.CAPACITY_UNIT : 0));
        lsaSize.ifPresent(s -> {
            if (s < DeviceConfig.MIN_LSA_SIZE || s > DeviceConfig.MAX_LSA_SIZE) {
                throw new IllegalArgumentException(device + ": lsa-size must be 1280 B..16 MiB, not " + Units.describe(s));
            }
            b.lsaSize((int) (long) s);
        });
    }

    /**
     * Reads trusted public keys: PEM X.509 Ed25519 keys, as {@code cxlkit fw keygen} writes
     * KEYFILE.pub.
     *
     * @throws IllegalArgumentException one line naming the file, if one is missing, unreadable or
     *                                  not an Ed25519 public key
     */
    public static List<PublicKey> readTrustedKeys(List<Path> files) {
        List<PublicKey> keys = new ArrayList<>();
        for (Path file : files) {
            keys.add(readTrustedKey(file));
        }
        return List.copyOf(keys);
    }

    private static PublicKey readTrustedKey(Path file) {
        String pem;
        try {
            // Latin-1 decodes any bytes: a binary file is then reported as "not a key", not as an I/O error
            pem = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException("trusted key " + file + ": " + FileErrors.reason(file, e));
        }
        try {
            return Pem.readPublicKey(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trusted key " + file + ": " + oneLine(e)
                    + " (expected a PEM Ed25519 public key, as 'cxlkit fw keygen' writes KEYFILE.pub)");
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }
}
