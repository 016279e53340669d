package io.cxlkit.device.config;

import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything configurable about one device, with the defaults of device-behaviour.md §3 and §9.
 * Immutable; change fields through {@link #toBuilder()}.
 *
 * <p>{@code trustedKeys}: the Ed25519 public keys whose signatures the {@link VerifyPolicy#SIGNED}
 * policy accepts (device-behaviour.md §5); default none, and that policy needs at least one.
 *
 * <p>{@code eventLogSize}: the records each of the four event logs holds, {@value #MIN_EVENT_LOG_SIZE}..
 * {@value #MAX_EVENT_LOG_SIZE} (default 8; Identify Memory Device 30h-37h). {@code criticalThresholds}:
 * the alert configuration's critical thresholds (docs/events-and-health.md).
 *
 * <p>Capacity (docs/capacity-and-labels.md): volatile-only V ({@code volatileCapacity}),
 * persistent-only P ({@code persistentCapacity}), partitionable X ({@code partitionableCapacity},
 * default 0) split by Set Partition Info in steps of the alignment A ({@code partitionAlignment},
 * 0 when nothing is partitionable); all multiples of 256 MiB, X a multiple of A. {@code lsaSize}:
 * the Label Storage Area's size in bytes, {@link #MIN_LSA_SIZE}..{@link #MAX_LSA_SIZE}. A broken rule
 * is one line naming the device.
 *
 * <p>Media and poison (docs/media-and-poison.md): {@code poisonMaxRecords}, the poison list's record
 * limit M (Identify Memory Device 3Ch, default 256), and {@code injectPoisonLimit}, the Injected
 * lines allowed at once (3Fh, default 0: no limit).
 */
public record DeviceConfig(
        String name,
        long serial,
        String pciAddress,
        int vendorId,
        int deviceId,
        int subsystemVendorId,
        int subsystemId,
        long volatileCapacity,
        long persistentCapacity,
        long partitionableCapacity,
        long partitionAlignment,
        int lsaSize,
        int eventLogSize,
        int slots,
        boolean onlineActivate,
        long maxPackageSize,
        Duration partTimeout,
        int payloadSizeExponent,
        int mctpMessageSizeExponent,
        Timing timing,
        VerifyPolicy verifyPolicy,
        List<PublicKey> trustedKeys,
        CriticalThresholds criticalThresholds,
        int poisonMaxRecords,
        int injectPoisonLimit) {

    public static final long CAPACITY_UNIT = 256L << 20;
    public static final long MIN_PACKAGE_SIZE = 128;
    public static final long MAX_PACKAGE_SIZE = 4L << 30;
    public static final int MIN_EVENT_LOG_SIZE = 1;
    public static final int MAX_EVENT_LOG_SIZE = 1024;
    /** The smallest Label Storage Area, r3.1 §9.13.2.1's minimum. */
    public static final int MIN_LSA_SIZE = 1280;
    public static final int MAX_LSA_SIZE = 16 << 20;
    public static final int DEFAULT_LSA_SIZE = 128 << 10;
    /** Identify Memory Device 3Ch, the poison list's record limit M (docs/media-and-poison.md): 1..2^24-1. */
    public static final int DEFAULT_POISON_MAX_RECORDS = 256;
    public static final int MAX_POISON_MAX_RECORDS = 0xFF_FFFF;
    /** Identify Memory Device 3Fh, the Injected lines allowed at once; 0 = no limit; at most FFFFh. */
    public static final int MAX_INJECT_POISON_LIMIT = 0xFFFF;

    public DeviceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pciAddress, "pciAddress");
        Objects.requireNonNull(partTimeout, "partTimeout");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(verifyPolicy, "verifyPolicy");
        trustedKeys = List.copyOf(Objects.requireNonNull(trustedKeys, "trustedKeys"));
        Objects.requireNonNull(criticalThresholds, "criticalThresholds");
        require(slots >= 2 && slots <= 4, "slots must be 2..4, got " + slots);
        require(payloadSizeExponent >= 8 && payloadSizeExponent <= 20,
                "payload size must be 2^8..2^20 bytes, got 2^" + payloadSizeExponent);
        require(mctpMessageSizeExponent >= 8 && mctpMessageSizeExponent <= 20,
                "MCTP message size must be 2^8..2^20 bytes, got 2^" + mctpMessageSizeExponent);
        require(maxPackageSize >= MIN_PACKAGE_SIZE && maxPackageSize <= MAX_PACKAGE_SIZE,
                "maximum package size must be 128 B..4 GiB, got " + maxPackageSize);
        require(!partTimeout.isNegative() && !partTimeout.isZero(), "part timeout must be positive");
        require(volatileCapacity >= 0 && persistentCapacity >= 0
                        && volatileCapacity % CAPACITY_UNIT == 0 && persistentCapacity % CAPACITY_UNIT == 0,
                "capacities must be multiples of 256 MiB");
        require(eventLogSize >= MIN_EVENT_LOG_SIZE && eventLogSize <= MAX_EVENT_LOG_SIZE,
                "event log size must be " + MIN_EVENT_LOG_SIZE + ".." + MAX_EVENT_LOG_SIZE + ", not " + eventLogSize);
        checkPartitioning(name, volatileCapacity, persistentCapacity, partitionableCapacity, partitionAlignment);
        require(lsaSize >= MIN_LSA_SIZE && lsaSize <= MAX_LSA_SIZE,
                name + ": LSA size must be 1280 B..16 MiB, not " + lsaSize + " B");
        require(vendorId >= 0 && vendorId <= 0xFFFF && deviceId >= 0 && deviceId <= 0xFFFF
                && subsystemVendorId >= 0 && subsystemVendorId <= 0xFFFF
                && subsystemId >= 0 && subsystemId <= 0xFFFF, "PCI ids are 16 bits");
        require(verifyPolicy != VerifyPolicy.SIGNED || !trustedKeys.isEmpty(),
                "the signed verification policy needs at least one trusted key");
        require(poisonMaxRecords >= 1 && poisonMaxRecords <= MAX_POISON_MAX_RECORDS,
                name + ": poison-max-records must be 1.." + MAX_POISON_MAX_RECORDS + ", not " + poisonMaxRecords);
        require(injectPoisonLimit >= 0 && injectPoisonLimit <= MAX_INJECT_POISON_LIMIT,
                name + ": inject-poison-limit must be 0.." + MAX_INJECT_POISON_LIMIT + " (0: no limit), not "
                        + injectPoisonLimit);
    }

    /** The capacity rules of docs/capacity-and-labels.md; every message names the device. */
    private static void checkPartitioning(String name, long v, long p, long x, long a) {
        require(x >= 0 && x % CAPACITY_UNIT == 0,
                name + ": partitionable capacity must be a multiple of 256 MiB, not " + x + " B");
        require(a >= 0 && a % CAPACITY_UNIT == 0,
                name + ": partition alignment must be a multiple of 256 MiB, not " + a + " B");
        require(x == 0 || a != 0, name + ": partitionable capacity " + mib(x) + " needs a partition alignment, not 0");
        require(a == 0 || x % a == 0, name + ": partitionable capacity " + mib(x)
                + " is not a multiple of the partition alignment " + mib(a));
        require(v <= Long.MAX_VALUE - p && v + p <= Long.MAX_VALUE - x, name + ": total capacity overflows");
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The defaults for device {@code mem<index>} (device-behaviour.md §9). */
    public static DeviceConfig defaults(int index) {
        return new DeviceConfig("mem" + index, index, pciAddress(index), 0x1b36, 0x0d93, 0, 0,
                0, 1L << 30, 0, 0, DEFAULT_LSA_SIZE, 8, 2, true, 32L << 20, Duration.ofSeconds(30), 12, 10,
                Timing.realistic(), VerifyPolicy.PACKAGE, List.of(), CriticalThresholds.DEFAULTS,
                DEFAULT_POISON_MAX_RECORDS, 0);
    }

    /** {@code %04x:%02x:00.0} with domain i / 243 and bus 0x0d + i % 243. */
    public static String pciAddress(int index) {
        return String.format("%04x:%02x:00.0", index / 243, 0x0d + index % 243);
    }

    public int payloadSize() {
        return 1 << payloadSizeExponent;
    }

    public int mctpMessageSize() {
        return 1 << mctpMessageSizeExponent;
    }

    /** Volatile-only, persistent-only and partitionable capacity together (Identify Memory Device 10h). */
    public long totalCapacity() {
        return volatileCapacity + persistentCapacity + partitionableCapacity;
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable twin of {@link DeviceConfig}; {@link #build()} validates. */
    public static final class Builder {
        private String name;
        private long serial;
        private String pciAddress;
        private int vendorId;
        private int deviceId;
        private int subsystemVendorId;
        private int subsystemId;
        private long volatileCapacity;
        private long persistentCapacity;
        private long partitionableCapacity;
        private long partitionAlignment;
        private int lsaSize;
        private int eventLogSize;
        private int slots;
        private boolean onlineActivate;
        private long maxPackageSize;
        private Duration partTimeout;
        private int payloadSizeExponent;
        private int mctpMessageSizeExponent;
        private Timing timing;
        private VerifyPolicy verifyPolicy;
        private List<PublicKey> trustedKeys;
        private CriticalThresholds criticalThresholds;
        private int poisonMaxRecords;
        private int injectPoisonLimit;

        private Builder(DeviceConfig c) {
            this.name = c.name;
            this.serial = c.serial;
            this.pciAddress = c.pciAddress;
            this.vendorId = c.vendorId;
            this.deviceId = c.deviceId;
            this.subsystemVendorId = c.subsystemVendorId;
            this.subsystemId = c.subsystemId;
            this.volatileCapacity = c.volatileCapacity;
            this.persistentCapacity = c.persistentCapacity;
            this.partitionableCapacity = c.partitionableCapacity;
            this.partitionAlignment = c.partitionAlignment;
            this.lsaSize = c.lsaSize;
            this.eventLogSize = c.eventLogSize;
            this.slots = c.slots;
            this.onlineActivate = c.onlineActivate;
            this.maxPackageSize = c.maxPackageSize;
            this.partTimeout = c.partTimeout;
            this.payloadSizeExponent = c.payloadSizeExponent;
            this.mctpMessageSizeExponent = c.mctpMessageSizeExponent;
            this.timing = c.timing;
            this.verifyPolicy = c.verifyPolicy;
            this.trustedKeys = c.trustedKeys;
            this.criticalThresholds = c.criticalThresholds;
            this.poisonMaxRecords = c.poisonMaxRecords;
            this.injectPoisonLimit = c.injectPoisonLimit;
        }

        public Builder name(String v) {
            this.name = v;
            return this;
        }

        public Builder serial(long v) {
            this.serial = v;
            return this;
        }

        public Builder pciAddress(String v) {
            this.pciAddress = v;
            return this;
        }

        public Builder vendorId(int v) {
            this.vendorId = v;
            return this;
        }

        public Builder deviceId(int v) {
            this.deviceId = v;
            return this;
        }

        public Builder subsystemVendorId(int v) {
            this.subsystemVendorId = v;
            return this;
        }

        public Builder subsystemId(int v) {
            this.subsystemId = v;
            return this;
        }

        public Builder volatileCapacity(long v) {
            this.volatileCapacity = v;
            return this;
        }

        public Builder persistentCapacity(long v) {
            this.persistentCapacity = v;
            return this;
        }

        public Builder partitionableCapacity(long v) {
            this.partitionableCapacity = v;
            return this;
        }

        public Builder partitionAlignment(long v) {
            this.partitionAlignment = v;
            return this;
        }

        public Builder lsaSize(int v) {
            this.lsaSize = v;
            return this;
        }

        public Builder eventLogSize(int v) {
            this.eventLogSize = v;
            return this;
        }

        public Builder slots(int v) {
            this.slots = v;
            return this;
        }

        public Builder onlineActivate(boolean v) {
            this.onlineActivate = v;
            return this;
        }

        public Builder maxPackageSize(long v) {
            this.maxPackageSize = v;
            return this;
        }

        public Builder partTimeout(Duration v) {
            this.partTimeout = v;
            return this;
        }

        public Builder payloadSizeExponent(int v) {
            this.payloadSizeExponent = v;
            return this;
        }

        public Builder mctpMessageSizeExponent(int v) {
            this.mctpMessageSizeExponent = v;
            return this;
        }

        public Builder timing(Timing v) {
            this.timing = v;
            return this;
        }

        public Builder verifyPolicy(VerifyPolicy v) {
            this.verifyPolicy = v;
            return this;
        }

        /** The keys the {@code signed} policy trusts (replaces any earlier ones). */
        public Builder trustedKeys(List<PublicKey> v) {
            this.trustedKeys = v;
            return this;
        }

        public Builder criticalThresholds(CriticalThresholds v) {
            this.criticalThresholds = v;
            return this;
        }

        /** Identify Memory Device 3Ch, the poison list's record limit M. */
        public Builder poisonMaxRecords(int v) {
            this.poisonMaxRecords = v;
            return this;
        }

        /** Identify Memory Device 3Fh: Injected lines allowed at once (0: no limit). */
        public Builder injectPoisonLimit(int v) {
            this.injectPoisonLimit = v;
            return this;
        }

        public DeviceConfig build() {
            return new DeviceConfig(name, serial, pciAddress, vendorId, deviceId, subsystemVendorId, subsystemId, volatileCapacity, persistentCapacity, partitionableCapacity, partitionAlignment, lsaSize, eventLogSize, slots, onlineActivate, maxPackageSize, partTimeout, payloadSizeExponent, mctpMessageSizeExponent, timing, verifyPolicy, trustedKeys,
                    criticalThresholds, poisonMaxRecords, injectPoisonLimit);
        }
    }
}
