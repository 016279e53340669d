package io.cxlkit.device.model;

import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.Opcode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A small reference model of the device's firmware rules, written from
 * {@code /work/shared/docs/device-behaviour.md} alone: §1 (dispatch checks 2, 4 and 5 as they apply
 * to 0005h, 0201h and 0202h), §2 (one background operation, per-CCI BG status, Request Abort),
 * §3 (Transfer FW checks 1..10, staging, verification and commit, inter-part timeout), §4 (Activate FW
 * checks, on-reset staging, online activation and its failures, cold reset), §5 (anti-rollback on
 * verification), §7 (modelled durations with fixed part/full/activate times) and the §8 faults
 * media-disabled, fail-opcode, activation-fail, corrupt-staging and late-part.
 *
 * <p>§5 verification under the {@code package} policy is modelled without parsing anything: the bytes
 * as stored pass when they equal one of the valid packages given at construction (the factory package
 * included) and its security version is not below the floor; the floor rises to the security version
 * of every package that becomes active (online or at a cold reset).
 *
 * <p>Pure Java: it imports nothing of the device's main code, only protocol enums and records. Time is
 * the model's own {@link #now()} (nanoseconds), moved by {@link #advance(long)} in step with the
 * device's virtual clock. Each command method returns the return code the doc requires and updates
 * the state; {@link #fired()} tells which numbered rules decided at least one outcome.
 *
 * <p>Where the doc leaves a choice open, the model makes the one documented on the method and the
 * test report lists it.
 */
public final class FirmwareModel {

    public static final Opcode REQUEST_ABORT = Opcode.of(0x0005);
    public static final Opcode TRANSFER_FW = Opcode.of(0x0201);
    public static final Opcode ACTIVATE_FW = Opcode.of(0x0202);

    public static final int FULL = 0;
    public static final int INITIATE = 1;
    public static final int CONTINUE = 2;
    public static final int END = 3;
    public static final int ABORT = 4;

    // return codes (reference.md / CXL r3.1 Table 8-34), as wire values
    public static final int RC_SUCCESS = 0x0000;
    public static final int RC_BACKGROUND = 0x0001;
    public static final int RC_INVALID_INPUT = 0x0002;
    public static final int RC_BUSY = 0x0006;
    public static final int RC_MEDIA_DISABLED = 0x0007;
    public static final int RC_IN_PROGRESS = 0x0008;
    public static final int RC_OUT_OF_ORDER = 0x0009;
    public static final int RC_VERIFICATION_FAILED = 0x000A;
    public static final int RC_INVALID_SLOT = 0x000B;
    public static final int RC_ROLLED_BACK = 0x000C;
    public static final int RC_COLD_RESET_REQUIRED = 0x000D;
    public static final int RC_ABORTED = 0x0012;
    public static final int RC_INVALID_PAYLOAD_LENGTH = 0x0016;
    public static final int RC_ABORT_NOT_SUPPORTED = 0x0020;

    /** The rules the model can tell apart, named after the doc's sections. */
    public enum Rule implements ModelRuns.Rule {
        DISPATCH_2_LENGTH("§1 check 2: input length (0016h)", false),
        DISPATCH_4_INJECTED("§1 check 4: injected fail-opcode", false),
        DISPATCH_5_BUSY("§1 check 5: background command while one runs (0006h)", false),

        T1_OTHER_CCI("§3 check 1: transfer open on the other CCI (0008h)", true),
        T2_ACTION("§3 check 2: action above 04h (0002h)", true),
        T3_ABORT_OPEN("§3 check 3: Abort closes this CCI's open transfer (0000h)", true),
        T3_ABORT_NONE("§3 check 3: Abort with no open transfer (0000h)", true),
        T4_SIZE("§3 check 4: above the maximum package size (0002h)", true),
        T5_ALREADY_OPEN("§3 check 5: Full/Initiate while a transfer is open (0008h)", true),
        T6_NOT_OPEN("§3 check 6: Continue/End with no open transfer (0002h)", true),
        T7_RETRANSMIT("§3 check 7: identical part is a retransmission (accepted)", true),
        T7_OUT_OF_ORDER("§3 check 7: overlap or gap (0009h, transfer aborted)", true),
        T8_PART_SHAPE("§3 check 8: bad Initiate offset / part length (0002h)", true),
        T9_SLOT("§3 check 9: Full/End to slot 0, above Slots Supported or active (000Bh)", true),
        T10_MEDIA_DISABLED("§3 check 10: media disabled (0007h)", true),
        T_PART_DONE("§3: Initiate/Continue part completes (0000h)", false),
        T_COMMIT("§3: verified End/Full commits the slot", true),
        T_COMMIT_UNSTAGES("§3: commit into the staged slot clears the staged mark", false),
        T_VERIFY_FAILED("§3: End/Full fails verification (000Ah), slots unchanged", true),
        T_ANTI_ROLLBACK("§5: lower security version fails verification", true),
        T_CORRUPT_STAGING("§8 corrupt-staging: next End/Full verification fails", false),
        T_EXPIRED("§3: inter-part timeout aborts the open transfer", true),
        T_LATE_PART("§8 late-part: the next Continue/End finds its transfer expired", false),

        A1_ACTION("§4 check 1: activate action not 00h/01h (0002h)", true),
        A2_SLOT("§4 check 2: activate slot 0 / above / active / empty (000Bh)", true),
        A3_ONLINE_UNSUPPORTED("§4 check 3: online activation not supported (0002h)", true),
        A_ON_RESET("§4: action 01h stages the slot (0000h)", true),
        A_ONLINE_SUCCESS("§4: online activation succeeds", true),
        A_ONLINE_FAIL_VERIFY("§4: online activation fails verification (000Ch)", true),
        A_ONLINE_FAIL_ROLLBACK("§4/§8: injected rollback fault (000Ch)", true),
        A_ONLINE_FAIL_COLD_RESET("§4/§8: injected cold-reset fault (000Dh)", true),
        R_COLD_RESET_ACTIVATES_STAGED("§4: cold reset activates a verified staged slot", true),
        R_COLD_RESET_STAGED_FAILS("§4: cold reset: staged slot fails verification, loses its mark", true),
        R_COLD_RESET_DROPS("§2/§4: cold reset drops a running operation or open transfer", true),

        BG_SYNC("§2: zero modelled duration completes synchronously", false),
        BG_STARTED("§2: non-zero duration returns 0001h", false),
        BG_ABORT_PART("§2: 0005h on the owner aborts a transfer part (0012h)", true),
        BG_ABORT_ACTIVATION("§2: 0005h during online activation (0020h)", true),
        BG_ABORT_OTHER_CCI("§2: 0005h on the other CCI (0000h)", false),
        BG_ABORT_IDLE("§2: 0005h with nothing running (0000h)", false);

        private final String description;
        private final boolean required;

        Rule(String description, boolean required) {
            this.description = description;
            this.required = required;
        }

        @Override
        public String description() {
            return description;
        }

        /** Rules of §3 and §4 (and the §2 abort rules) that every run must exercise. */
        @Override
        public boolean required() {
            return required;
        }

        public static Set<Rule> requiredRules() {
            EnumSet<Rule> s = EnumSet.noneOf(Rule.class);
            for (Rule r : values()) {
                if (r.required) {
                    s.add(r);
                }
            }
            return s;
        }
    }

    /**
     * The configuration the model needs; every duration is in nanoseconds. {@code partNanos} is P,
     * {@code fullNanos} F, End takes P + F (§7: the overrides replace P, F and End's P and F terms).
     */
    public record Config(int slots, boolean onlineActivation, long maxPackageSize, long partTimeoutNanos,
                         long partNanos, long fullNanos, long activateNanos, int mailboxPayloadSize,
                         int mctpMessageSize) {
    }

    /** A valid package the model knows: the only byte strings that pass verification. */
    public record KnownPackage(byte[] bytes, String revision, long securityVersion) {
        @Override
        public String toString() {
            return revision + "(sv" + securityVersion + ", " + bytes.length + " B)";
        }
    }

    /** A committed slot. */
    public record SlotContent(byte[] bytes, String revision, long securityVersion) {
        @Override
        public String toString() {
            return revision + "(" + bytes.length + " B)";
        }
    }

    /** The BG status a CCI must report (§2, reference.md 0002h). */
    public record BgView(boolean inProgress, int percent, int opcode, int returnCode, boolean percentExact,
                         boolean returnCodeValid) {
        static final BgView ZERO = new BgView(false, 0, 0, 0, true, true);
    }

    /** Which activation failure is injected (§8 activation-fail). */
    public enum ActivationFault { NONE, ROLLBACK, COLD_RESET }

    private record FailOpcode(Opcode opcode, int returnCode, Cci cci, int[] remaining) {
    }

    private enum OpKind { PART, END, FULL, ACTIVATE }

    private static final class Op {
        final Cci owner;
        final OpKind kind;
        final Opcode opcode;
        final long start;
        final long deadline;
        final int slot;          // End/Full target, activation slot
        final long packageSize;  // End/Full: bytes of the package as stored
        ActivationFault activationFault = ActivationFault.NONE;
        boolean corruptStaging;

        Op(Cci owner, OpKind kind, Opcode opcode, long start, long deadline, int slot, long packageSize) {
            this.owner = owner;
            this.kind = kind;
            this.opcode = opcode;
            this.start = start;
            this.deadline = deadline;
            this.slot = slot;
            this.packageSize = packageSize;
        }
    }

    private static final class Transfer {
        final Cci owner;
        long prevOffset;
        long prevLength;
        /** When the previous part completed, or -1 while it runs. */
        long prevCompletedAt = -1;

        Transfer(Cci owner) {
            this.owner = owner;
        }
    }

    private final Config config;
    private final List<KnownPackage> known;
    private final Map<Rule, Long> fired = new EnumMap<>(Rule.class);
    private final List<String> events = new ArrayList<>();

    private long now;
    private final SlotContent[] slots;
    private int active;
    private int staged;
    private long securityFloor;

    private Transfer transfer;
    private byte[] staging = new byte[0];
    private Op running;
    private final Map<Cci, BgView> lastBg = new EnumMap<>(Cci.class);

    private boolean mediaDisabled;
    private final List<FailOpcode> failOpcodes = new ArrayList<>();
    private ActivationFault activationFault = ActivationFault.NONE;
    private boolean corruptStaging;
    private boolean latePart;
    private boolean coldResetNeeded;

    /** Background-complete notifications the mailbox has raised (§2). */
    private long mailboxNotifications;

    /** Target slots of the verified End/Full commits so far, in order (for "a slot changes only on a commit"). */
    private final List<Integer> commits = new ArrayList<>();

    /**
     * A device at its first start (§3 defaults): slot 1 active with the factory package, other slots
     * empty, nothing staged; then the power-on cold reset, which finds nothing staged.
     */
    public FirmwareModel(Config config, KnownPackage factory, List<KnownPackage> known) {
        this.config = Objects.requireNonNull(config);
        this.known = List.copyOf(known);
        this.slots = new SlotContent[config.slots() + 1];
        slots[1] = new SlotContent(factory.bytes(), factory.revision(), factory.securityVersion());
        active = 1;
        staged = 0;
        securityFloor = 0;
        for (Cci c : Cci.values()) {
            lastBg.put(c, BgView.ZERO);
        }
    }

    // ------------------------------------------------------------------------------------ queries

    public Config config() {
        return config;
    }

    public long now() {
        return now;
    }

    public int active() {
        return active;
    }

    public int staged() {
        return staged;
    }

    public long securityFloor() {
        return securityFloor;
    }

    /** The slot's content, or null when empty (slots 1..Slots Supported). */
    public SlotContent slot(int n) {
        return n >= 1 && n <= config.slots() ? slots[n] : null;
    }

    /** Get FW Info revisions, slot 1 first, "" for empty or unsupported slots (always 4). */
    public List<String> revisions() {
        List<String> r = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            SlotContent s = slot(i);
            r.add(s == null ? "" : s.revision());
        }
        return r;
    }

    public String activeRevision() {
        return slots[active].revision();
    }

    /** The CCI owning the open transfer, or null. */
    public Cci transferOwner() {
        return transfer == null ? null : transfer.owner;
    }

    /** Byte offset just after the previous accepted part of the open transfer, or -1. */
    public long transferNextOffset() {
        return transfer == null ? -1 : transfer.prevOffset + transfer.prevLength;
    }

    /**
     * The instant at which the open transfer has been idle for exactly the inter-part timeout (its
     * previous part completed then + timeout), or -1 when none is open or its last part still runs.
     */
    public long transferTimeoutBoundary() {
        return transfer == null || transfer.prevCompletedAt < 0 ? -1
                : transfer.prevCompletedAt + config.partTimeoutNanos();
    }

    public boolean running() {
        return running != null;
    }

    /** When the running operation completes, or {@link #now()} when none runs. */
    public long runningDeadline() {
        return running == null ? now : running.deadline;
    }

    public Cci runningOwner() {
        return running == null ? null : running.owner;
    }

    public boolean mediaDisabled() {
        return mediaDisabled;
    }

    /** Memory Device Status Reset Needed reads cold (§4 000Dh, §8 media-disabled). */
    public boolean resetNeededCold() {
        return mediaDisabled || coldResetNeeded;
    }

    public boolean failOpcodePending() {
        return !failOpcodes.isEmpty();
    }

    /** The target slot of every verified End/Full commit so far, in order. */
    public List<Integer> commits() {
        return List.copyOf(commits);
    }

    /**
     * Background-complete notifications the mailbox must have raised so far: one each time a
     * background operation owned by the mailbox completes, is aborted by 0005h, or is dropped by a
     * reset (§2; the model's reading counts the abort, whose result is recorded like a completion's).
     */
    public long mailboxNotifications() {
        return mailboxNotifications;
    }

    public Map<Rule, Long> fired() {
        return new EnumMap<>(fired);
    }

    /** Human-readable events since the last call (completions, expiries), for failure reports. */
    public List<String> drainEvents() {
        List<String> e = List.copyOf(events);
        events.clear();
        return e;
    }

    /** What 0002h (MCTP) or the BG Command Status register (mailbox) must show for {@code cci}. */
    public BgView bgStatus(Cci cci) {
        if (running != null && running.owner == cci) {
            long duration = running.deadline - running.start;
            int pct = (int) (99 * (now - running.start) / duration);
            return new BgView(true, pct, running.opcode.value(), 0, true, false);
        }
        return lastBg.get(cci);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append("t=").append(now / 1_000_000.0).append("ms active=").append(active).append(" staged=").append(staged)
                .append(" floor=").append(securityFloor).append(" slots=");
        for (int i = 1; i <= config.slots(); i++) {
            b.append(i).append(':').append(slots[i]).append(' ');
        }
        if (transfer != null) {
            b.append(" transfer[").append(transfer.owner).append(" prev=").append(transfer.prevOffset).append('+')
                    .append(transfer.prevLength).append(" done@").append(transfer.prevCompletedAt).append(']');
        }
        if (running != null) {
            b.append(" running[").append(running.kind).append(" on ").append(running.owner).append(" until ")
                    .append(running.deadline).append(']');
        }
        b.append(" faults[media=").append(mediaDisabled).append(" act=").append(activationFault)
                .append(" corrupt=").append(corruptStaging).append(" late=").append(latePart).append(" failOpcodes=").append(failOpcodes.size())
                .append(" coldNeeded=").append(coldResetNeeded).append(']');
        return b.toString();
    }

    // ------------------------------------------------------------------------------------ time

    /**
     * Moves time forward by {@code nanos}, completing background operations at their deadline and
     * expiring a stale transfer, in time order (§2, §3, §7).
     *
     * <p>Reading: "an open transfer whose previous part completed <em>more than</em> the inter-part
     * timeout ago is aborted", so the transfer is still open at exactly completion + timeout and gone
     * one nanosecond later.
     */
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time goes forward");
        }
        long target = now + nanos;
        while (true) {
            long opAt = running != null ? running.deadline : Long.MAX_VALUE;
            long expiryAt = expiryInstant();
            long next = Math.min(opAt, expiryAt);
            if (next > target) {
                break;
            }
            now = Math.max(now, next);
            if (opAt <= expiryAt) {
                complete();
            } else {
                events.add("transfer of " + transfer.owner + " expired at " + now);
                transfer = null;
                staging = new byte[0];
                fire(Rule.T_EXPIRED);
            }
        }
        now = target;
    }

    private long expiryInstant() {
        if (transfer == null || transfer.prevCompletedAt < 0) {
            return Long.MAX_VALUE;
        }
        return transfer.prevCompletedAt + config.partTimeoutNanos() + 1;
    }

    // ------------------------------------------------------------------------------------ faults (§8)

    public void injectMediaDisabled() {
        mediaDisabled = true;
    }

    /** A later injection replaces an earlier one that has not fired (model's choice; the doc is silent). */
    public void injectActivationFailure(ActivationFault f) {
        activationFault = f;
    }

    public void injectCorruptStaging() {
        corruptStaging = true;
    }

    public void injectLatePart() {
        latePart = true;
    }

    public boolean latePartPending() {
        return latePart;
    }

    /** {@code cci} null means any CCI. */
    public void injectFailOpcode(Opcode opcode, int returnCode, int count, Cci cci) {
        failOpcodes.add(new FailOpcode(opcode, returnCode, cci, new int[] {count}));
    }

    private Integer takeInjected(Opcode opcode, Cci cci) {
        for (int i = 0; i < failOpcodes.size(); i++) {
            FailOpcode f = failOpcodes.get(i);
            if (f.opcode().equals(opcode) && (f.cci() == null || f.cci() == cci)) {
                if (--f.remaining()[0] == 0) {
                    failOpcodes.remove(i);
                }
                return f.returnCode();
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------ 0005h

    /** Request Abort Background Operation (§1, §2). */
    public int requestAbort(Cci cci, int declaredLength) {
        if (declaredLength != 0) {
            return fire(Rule.DISPATCH_2_LENGTH, RC_INVALID_PAYLOAD_LENGTH);
        }
        Integer injected = takeInjected(REQUEST_ABORT, cci);
        if (injected != null) {
            return fire(Rule.DISPATCH_4_INJECTED, injected);
        }
        // 0005h is not Background-flagged: no Busy check.
        if (running == null) {
            return fire(Rule.BG_ABORT_IDLE, RC_SUCCESS);
        }
        if (running.owner != cci) {
            return fire(Rule.BG_ABORT_OTHER_CCI, RC_SUCCESS);
        }
        if (running.kind == OpKind.ACTIVATE) {
            return fire(Rule.BG_ABORT_ACTIVATION, RC_ABORT_NOT_SUPPORTED);
        }
        // a Transfer FW part: it stops with 0012h, Percentage below 100; the whole transfer is aborted
        long duration = running.deadline - running.start;
        int pct = (int) (99 * (now - running.start) / duration);
        lastBg.put(cci, new BgView(false, pct, running.opcode.value(), RC_ABORTED, false, true));
        if (cci == Cci.MAILBOX) {
            mailboxNotifications++;
        }
        running = null;
        transfer = null;
        staging = new byte[0];
        events.add("part aborted by 0005h on " + cci);
        return fire(Rule.BG_ABORT_PART, RC_SUCCESS);
    }

    // ------------------------------------------------------------------------------------ 0201h

    /**
     * Transfer FW (§1 checks, then §3 checks 1..10).
     *
     * @param declaredLength the input length as the CCI states it (80h + data normally)
     * @param data           the part's data (empty when the input is shorter than 80h)
     */
    public int transfer(Cci cci, int declaredLength, int action, int slot, long offsetUnits, byte[] data) {
        int limit = cci == Cci.MAILBOX ? config.mailboxPayloadSize() : config.mctpMessageSize();
        if (declaredLength < 0x80 || declaredLength > limit) {
            return fire(Rule.DISPATCH_2_LENGTH, RC_INVALID_PAYLOAD_LENGTH);
        }
        Integer injected = takeInjected(TRANSFER_FW, cci);
        if (injected != null) {
            return fire(Rule.DISPATCH_4_INJECTED, injected);
        }
        if (running != null) {
            return fire(Rule.DISPATCH_5_BUSY, RC_BUSY);
        }
        // §8 late-part: the next Continue/End finds *its* transfer expired, as if the inter-part timeout
        // had passed before the checks (model's reading: only a Continue/End of the CCI that owns the
        // open transfer uses the fault up; there is nothing to expire otherwise, and another CCI's
        // transfer is not its transfer).
        if (latePart && (action == CONTINUE || action == END) && transfer != null && transfer.owner == cci) {
            latePart = false;
            transfer = null;
            staging = new byte[0];
            fire(Rule.T_LATE_PART);
        }
        // 1
        if (transfer != null && transfer.owner != cci) {
            return fire(Rule.T1_OTHER_CCI, RC_IN_PROGRESS);
        }
        // 2
        if (action > ABORT) {
            return fire(Rule.T2_ACTION, RC_INVALID_INPUT);
        }
        // 3
        if (action == ABORT) {
            if (transfer != null) {
                transfer = null;
                staging = new byte[0];
                return fire(Rule.T3_ABORT_OPEN, RC_SUCCESS);
            }
            return fire(Rule.T3_ABORT_NONE, RC_SUCCESS);
        }
        long length = data.length;
        long offset = offsetUnits * 128;
        // 4
        long extent = action == FULL ? length : offset + length;
        if (extent > config.maxPackageSize()) {
            return fire(Rule.T4_SIZE, RC_INVALID_INPUT);
        }
        // 5
        if ((action == FULL || action == INITIATE) && transfer != null) {
            return fire(Rule.T5_ALREADY_OPEN, RC_IN_PROGRESS);
        }
        // 6
        if ((action == CONTINUE || action == END) && transfer == null) {
            return fire(Rule.T6_NOT_OPEN, RC_INVALID_INPUT);
        }
        // 7
        boolean retransmission = false;
        if (action == CONTINUE || action == END) {
            if (offset == transfer.prevOffset && length == transfer.prevLength) {
                retransmission = true;
            } else if (offset != transfer.prevOffset + transfer.prevLength) {
                transfer = null;
                staging = new byte[0];
                return fire(Rule.T7_OUT_OF_ORDER, RC_OUT_OF_ORDER);
            }
        }
        // 8
        boolean shapeOk = switch (action) {
            case INITIATE -> offset == 0 && length > 0 && length % 128 == 0;
            case CONTINUE -> length > 0 && length % 128 == 0;
            case FULL -> length >= 1;
            default -> true; // End: any length, 0 included
        };
        if (!shapeOk) {
            return fire(Rule.T8_PART_SHAPE, RC_INVALID_INPUT);
        }
        // 9
        if ((action == FULL || action == END) && (slot == 0 || slot > config.slots() || slot == active)) {
            return fire(Rule.T9_SLOT, RC_INVALID_SLOT);
        }
        // 10
        if (mediaDisabled) {
            return fire(Rule.T10_MEDIA_DISABLED, RC_MEDIA_DISABLED);
        }
        if (retransmission) {
            fire(Rule.T7_RETRANSMIT);
        }

        // accepted: write to staging
        long packageSize = 0;
        switch (action) {
            case FULL -> {
                staging = data.clone();
                packageSize = length;
            }
            case INITIATE -> {
                transfer = new Transfer(cci);
                staging = new byte[0];
                write(0, data);
            }
            default -> write(offset, data);
        }
        if (action != FULL) {
            transfer.prevOffset = offset;
            transfer.prevLength = length;
            transfer.prevCompletedAt = -1;
        }
        if (action == END) {
            packageSize = offset + length;
        }
        OpKind kind = action == FULL ? OpKind.FULL : action == END ? OpKind.END : OpKind.PART;
        long duration = switch (kind) {
            case PART -> config.partNanos();
            case FULL -> config.fullNanos();
            case END -> config.partNanos() + config.fullNanos();
            case ACTIVATE -> throw new AssertionError();
        };
        Op op = new Op(cci, kind, TRANSFER_FW, now, now + duration, slot, packageSize);
        if (kind != OpKind.PART) {
            // corrupt-staging belongs to the End/Full accepted next (model's reading of §8 "before the
            // next End/Full verification", like the activation fault): a fault injected while one runs
            // waits for the following one; an End/Full that is aborted or dropped has used it up.
            op.corruptStaging = corruptStaging;
            corruptStaging = false;
        }
        return start(op);
    }

    private void write(long offset, byte[] data) {
        int end = Math.toIntExact(offset + data.length);
        if (staging.length < end) {
            staging = Arrays.copyOf(staging, end);
        }
        System.arraycopy(data, 0, staging, (int) offset, data.length);
    }

    // ------------------------------------------------------------------------------------ 0202h

    /** Activate FW (§1 checks, then §4). */
    public int activate(Cci cci, int declaredLength, int action, int slot) {
        if (declaredLength != 2) {
            return fire(Rule.DISPATCH_2_LENGTH, RC_INVALID_PAYLOAD_LENGTH);
        }
        Integer injected = takeInjected(ACTIVATE_FW, cci);
        if (injected != null) {
            return fire(Rule.DISPATCH_4_INJECTED, injected);
        }
        if (running != null) {
            return fire(Rule.DISPATCH_5_BUSY, RC_BUSY);
        }
        if (action != 0 && action != 1) {
            return fire(Rule.A1_ACTION, RC_INVALID_INPUT);
        }
        if (slot == 0 || slot > config.slots() || slot == active || slots[slot] == null) {
            return fire(Rule.A2_SLOT, RC_INVALID_SLOT);
        }
        if (action == 0 && !config.onlineActivation()) {
            return fire(Rule.A3_ONLINE_UNSUPPORTED, RC_INVALID_INPUT);
        }
        if (action == 1) {
            staged = slot;
            return fire(Rule.A_ON_RESET, RC_SUCCESS);
        }
        // The injected activation failure belongs to the activation accepted next: it is bound now, so a
        // fault injected while this one runs waits for the following activation (model's reading of §8
        // "the next online activation fails").
        Op op = new Op(cci, OpKind.ACTIVATE, ACTIVATE_FW, now, now + config.activateNanos(), slot, 0);
        op.activationFault = activationFault;
        activationFault = ActivationFault.NONE;
        return start(op);
    }

    // ------------------------------------------------------------------------------------ reset

    /**
     * A cold reset (§2, §4): drops the running operation (no effect), zeroes both BG statuses, aborts
     * the open transfer, clears all faults and the cold-reset-needed state; then a staged slot is
     * verified (anti-rollback included) and made active, or loses its mark.
     */
    public void coldReset() {
        if (running != null || transfer != null) {
            fire(Rule.R_COLD_RESET_DROPS);
        }
        if (running != null && running.owner == Cci.MAILBOX) {
            mailboxNotifications++;
        }
        running = null;
        transfer = null;
        staging = new byte[0];
        for (Cci c : Cci.values()) {
            lastBg.put(c, BgView.ZERO);
        }
        mediaDisabled = false;
        failOpcodes.clear();
        activationFault = ActivationFault.NONE;
        corruptStaging = false;
        latePart = false;
        coldResetNeeded = false;
        if (staged != 0) {
            SlotContent s = slots[staged];
            if (s != null && passes(s.bytes())) {
                active = staged;
                securityFloor = Math.max(securityFloor, s.securityVersion());
                fire(Rule.R_COLD_RESET_ACTIVATES_STAGED);
            } else {
                fire(Rule.R_COLD_RESET_STAGED_FAILS);
            }
            staged = 0;
        }
    }

    // ------------------------------------------------------------------------------------ internals

    /**
     * Zero duration: completes now and returns the final code (§2). Non-zero: 0001h, the owner's BG
     * status shows it running.
     */
    private int start(Op op) {
        running = op;
        if (op.deadline == op.start) {
            fire(Rule.BG_SYNC);
            return complete();
        }
        fire(Rule.BG_STARTED);
        return RC_BACKGROUND;
    }

    /**
     * Completes the running operation at {@link #now} and returns its code. A background completion
     * records the code in the owner's BG status; a synchronous one (zero duration) never became a
     * background operation and leaves the BG status alone (model's reading of §2: "On completion the
     * return code is recorded in the owning CCI's BG status" is about background operations).
     */
    private int complete() {
        Op op = running;
        running = null;
        int rc;
        switch (op.kind) {
            case PART -> {
                transfer.prevCompletedAt = now;
                rc = RC_SUCCESS;
                fire(Rule.T_PART_DONE);
            }
            case END, FULL -> {
                rc = verifyAndCommit(op);
                transfer = null;
                staging = new byte[0];
            }
            case ACTIVATE -> rc = finishActivation(op.slot, op.activationFault);
            default -> throw new AssertionError();
        }
        if (op.deadline != op.start) {
            lastBg.put(op.owner, new BgView(false, 100, op.opcode.value(), rc, true, true));
            if (op.owner == Cci.MAILBOX) {
                mailboxNotifications++;
            }
        }
        events.add(op.kind + " on " + op.owner + " completed at " + now + " with " + hex(rc));
        return rc;
    }

    private int verifyAndCommit(Op op) {
        byte[] stored = Arrays.copyOf(staging, Math.toIntExact(op.packageSize));
        if (op.corruptStaging) {
            fire(Rule.T_CORRUPT_STAGING);
            return fire(Rule.T_VERIFY_FAILED, RC_VERIFICATION_FAILED);
        }
        KnownPackage p = lookup(stored);
        if (p == null) {
            return fire(Rule.T_VERIFY_FAILED, RC_VERIFICATION_FAILED);
        }
        if (p.securityVersion() < securityFloor) {
            fire(Rule.T_ANTI_ROLLBACK);
            return fire(Rule.T_VERIFY_FAILED, RC_VERIFICATION_FAILED);
        }
        slots[op.slot] = new SlotContent(stored, p.revision(), p.securityVersion());
        commits.add(op.slot);
        if (staged == op.slot) {
            staged = 0;
            fire(Rule.T_COMMIT_UNSTAGES);
        }
        return fire(Rule.T_COMMIT, RC_SUCCESS);
    }

    /**
     * §4 online activation at completion. The injected fault wins over verification (model's choice:
     * "the next online activation fails with 000Ch / 000Dh" reads as unconditional).
     */
    private int finishActivation(int slot, ActivationFault fault) {
        if (fault == ActivationFault.COLD_RESET) {
            coldResetNeeded = true;
            if (staged == slot) {
                staged = 0;
            }
            return fire(Rule.A_ONLINE_FAIL_COLD_RESET, RC_COLD_RESET_REQUIRED);
        }
        if (fault == ActivationFault.ROLLBACK) {
            return fire(Rule.A_ONLINE_FAIL_ROLLBACK, RC_ROLLED_BACK);
        }
        SlotContent s = slots[slot];
        if (!passes(s.bytes())) {
            return fire(Rule.A_ONLINE_FAIL_VERIFY, RC_ROLLED_BACK);
        }
        active = slot;
        securityFloor = Math.max(securityFloor, s.securityVersion());
        if (staged == slot) {
            staged = 0;
        }
        return fire(Rule.A_ONLINE_SUCCESS, RC_SUCCESS);
    }

    /** §5 under the {@code package} policy: a known package whose security version is not below the floor. */
    private boolean passes(byte[] bytes) {
        KnownPackage p = lookup(bytes);
        return p != null && p.securityVersion() >= securityFloor;
    }

    private KnownPackage lookup(byte[] bytes) {
        for (KnownPackage p : known) {
            if (Arrays.equals(p.bytes(), bytes)) {
                return p;
            }
        }
        return null;
    }

    private int fire(Rule rule, int rc) {
        fire(rule);
        return rc;
    }

    private void fire(Rule rule) {
        fired.merge(rule, 1L, Long::sum);
    }

    public static String hex(int rc) {
        return String.format("%04Xh", rc);
    }
}
