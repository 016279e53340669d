package io.cxlkit.device.model;

import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.Opcode;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Model-based test of the firmware transfer/activation rules (device-behaviour.md §2-§4, §7, §8):
 * random chains of Transfer FW (every action, good and bad offsets, lengths, slots), Activate FW,
 * Request Abort, clock advances, cold resets and fault injections on both CCIs run against a real
 * device and {@link FirmwareModel}; after every step the return codes, Get FW Info, Identify Memory
 * Device, the BG status of both CCIs, Memory Device Status and the slot files must match the model,
 * and the invariants hold. {@link #everyNumberedRuleWasExercised()} then asserts that every
 * numbered rule of §3 and §4 decided at least one outcome.
 */
class FirmwareModelProperties {

    static final int TRIES = 160;
    static final int MAX_STEPS = 90;

    private static final PackageCatalogue CATALOGUE = new PackageCatalogue();
    private static final ModelRuns<FirmwareModel.Rule, FirmwareWorld> RUNS = new ModelRuns<>("firmware model",
            FirmwareModel.Rule.class);

    @Property(tries = TRIES, seed = "8264301557", shrinking = ShrinkingMode.BOUNDED)
    void deviceFollowsTheModel(@ForAll("chains") ActionChain<FirmwareWorld> chain) {
        RUNS.run(chain, FirmwareWorld::check);
    }

    @AfterTry
    void afterTry() {
        RUNS.closeWorlds();
    }

    @AfterContainer
    static void everyNumberedRuleWasExercised() {
        RUNS.assertEveryRequiredRuleExercised();
    }

    // ------------------------------------------------------------------------------------ generators

    @Provide
    Arbitrary<ActionChain<FirmwareWorld>> chains() {
        return configs().flatMap(c -> ActionChain.<FirmwareWorld>startWith(() -> open(c))
                .withAction(30, goodPart())
                .withAction(10, randomTransfer())
                .withAction(5, retransmit())
                .withAction(12, activate())
                .withAction(6, requestAbort())
                .withAction(16, advance())
                .withAction(6, awaitCompletion())
                .withAction(2, toTimeoutBoundary())
                .withAction(3, coldReset())
                .withAction(2, getFwInfo())
                .withAction(4, inject())
                .withMaxTransformations(MAX_STEPS));
    }

    /** Device configuration per chain, with what the model needs. */
    record Setup(FirmwareModel.Config config, int mailboxExponent, int mctpExponent) {
    }

    private static FirmwareWorld open(Setup s) {
        return RUNS.opened(new FirmwareWorld(s.config(), s.mailboxExponent(), s.mctpExponent(), CATALOGUE));
    }

    private static final long MS = 1_000_000L;

    Arbitrary<Setup> configs() {
        Arbitrary<Integer> slots = Arbitraries.integers().between(2, 4);
        Arbitrary<Boolean> online = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(true)), Tuple.of(1, Arbitraries.just(false)));
        Arbitrary<Long> maxPackage = Arbitraries.of(4096L, 8192L);
        Arbitrary<Long> part = Arbitraries.frequency(
                Tuple.of(1, 0L), Tuple.of(2, MS), Tuple.of(3, 2 * MS),
                Tuple.of(1, 3 * MS));
        Arbitrary<Long> full = Arbitraries.frequency(
                Tuple.of(1, 0L), Tuple.of(2, 2 * MS), Tuple.of(3, 5 * MS));
        Arbitrary<Long> activate = Arbitraries.frequency(
                Tuple.of(1, 0L), Tuple.of(3, 3 * MS), Tuple.of(1, 7 * MS));
        Arbitrary<Integer> mailboxExp = Arbitraries.of(11, 12);
        Arbitrary<Integer> mctpExp = Arbitraries.frequency(
                Tuple.of(3, 10), Tuple.of(1, 12));
        return Combinators.combine(slots, online, maxPackage, part, full, activate, mailboxExp, mctpExp)
                .as((s, o, max, p, f, a, mbx, mctp) -> new Setup(new FirmwareModel.Config(s, o, max, 50 * MS, p, f, a,
                        1 << mbx, 1 << mctp), mbx, mctp));
    }

    private static Arbitrary<Integer> choice() {
        return Arbitraries.integers().between(0, 9999);
    }

    private static Action.Independent<FirmwareWorld> action(Arbitrary<Transformer<FirmwareWorld>> t) {
        return () -> t;
    }

    /** The next part of a well-formed upload (Initiate / Continue / End, or Full), mostly to a good slot. */
    static Action.Independent<FirmwareWorld> goodPart() {
        return action(Combinators.combine(choice(), choice(), choice(), choice())
                .as((c, a, b, d) -> Transformer.mutate("good part " + c + "/" + a + "/" + b + "/" + d,
                        (FirmwareWorld w) -> w.transfer(Driver.goodPart(w, c, a, b, d)))));
    }

    /** Any Transfer FW: random action (above 04h too), slot, offset, length, declared length, CCI. */
    static Action.Independent<FirmwareWorld> randomTransfer() {
        return action(Combinators.combine(choice(), choice(), choice(), choice(), choice(), choice())
                .as((c, a, s, o, l, d) -> Transformer.mutate(
                        "random transfer " + c + "/" + a + "/" + s + "/" + o + "/" + l + "/" + d,
                        (FirmwareWorld w) -> w.transfer(Driver.randomPart(w, c, a, s, o, l, d)))));
    }

    /** The last accepted part again: as sent, as Continue, as End, or with other bytes. */
    static Action.Independent<FirmwareWorld> retransmit() {
        return action(Combinators.combine(choice(), choice(), choice())
                .as((c, k, s) -> Transformer.mutate("retransmit " + c + "/" + k + "/" + s,
                        (FirmwareWorld w) -> w.transfer(Driver.retransmission(w, c, k, s)))));
    }

    static Action.Independent<FirmwareWorld> activate() {
        return action(Combinators.combine(choice(), choice(), choice(), choice())
                .as((c, a, s, l) -> Transformer.mutate("activate " + c + "/" + a + "/" + s + "/" + l,
                        (FirmwareWorld w) -> Driver.activate(w, c, a, s, l))));
    }

    static Action.Independent<FirmwareWorld> requestAbort() {
        return action(Combinators.combine(choice(), choice())
                .as((c, l) -> Transformer.mutate("request abort " + c + "/" + l,
                        (FirmwareWorld w) -> Driver.requestAbort(w, c, l))));
    }

    static Action.Independent<FirmwareWorld> advance() {
        Arbitrary<Long> ms = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(0L, 1L, 2L, 3L, 4L, 5L, 7L, 10L)),
                Tuple.of(2, Arbitraries.of(20L, 30L, 49L, 50L, 51L, 52L, 55L, 100L)),
                Tuple.of(2, Arbitraries.longs().between(0, 100)));
        return action(ms.map(m -> Transformer.mutate("advance " + m + " ms",
                (FirmwareWorld w) -> w.advance(m * MS))));
    }

    /** Moves the clock exactly to the running operation's completion instant (or just past it). */
    static Action.Independent<FirmwareWorld> awaitCompletion() {
        return action(Arbitraries.of(0L, 0L, 1L).map(extra -> Transformer.mutate("await completion +" + extra + " ms",
                (FirmwareWorld w) -> w.advance(Math.max(0, w.model.runningDeadline() - w.model.now()) + extra * MS))));
    }

    /**
     * Moves the clock to the instant the open transfer has been idle for exactly the inter-part
     * timeout (still open: §3 expires it only "more than" the timeout after its last part), or one
     * nanosecond past it (expired), or a millisecond before.
     */
    static Action.Independent<FirmwareWorld> toTimeoutBoundary() {
        return action(Arbitraries.of(0L, 1L, -MS).map(delta -> Transformer.mutate("to timeout boundary " + delta + " ns",
                (FirmwareWorld w) -> {
                    long boundary = w.model.transferTimeoutBoundary();
                    if (boundary >= 0 && boundary + delta >= w.model.now()) {
                        w.advance(boundary + delta - w.model.now());
                    }
                })));
    }

    static Action.Independent<FirmwareWorld> coldReset() {
        return action(Arbitraries.just(Transformer.mutate("cold reset", FirmwareWorld::coldReset)));
    }

    static Action.Independent<FirmwareWorld> getFwInfo() {
        return action(Arbitraries.of(Cci.values())
                .map(c -> Transformer.mutate("get fw info " + c, (FirmwareWorld w) -> w.getFwInfo(c))));
    }

    static Action.Independent<FirmwareWorld> inject() {
        return action(Combinators.combine(choice(), choice(), choice())
                .as((k, a, b) -> Transformer.mutate("inject " + k + "/" + a + "/" + b,
                        (FirmwareWorld w) -> Driver.inject(w, k, a, b))));
    }

    // ------------------------------------------------------------------------------------ the host

    /** Turns choice numbers into concrete requests against the world's state at the time they run. */
    static final class Driver {

        private Driver() {
        }

        static Cci cci(int choice) {
            return choice % 2 == 0 ? Cci.MAILBOX : Cci.MCTP;
        }

        /** Mostly the CCI with the open transfer (or running operation), sometimes either. */
        static Cci preferOwner(FirmwareWorld w, int c) {
            Cci owner = w.model.transferOwner();
            if (owner == null) {
                owner = w.model.runningOwner();
            }
            return owner != null && c % 100 < 80 ? owner : cci(c / 100);
        }

        /** A Full/End target: mostly a slot that is not active, sometimes a bad one. */
        static int slot(FirmwareWorld w, int c) {
            int slots = w.model.config().slots();
            if (c % 10 < 8) {
                List<Integer> good = new ArrayList<>();
                for (int s = 1; s <= slots; s++) {
                    if (s != w.model.active()) {
                        good.add(s);
                    }
                }
                return good.get((c / 10) % good.size());
            }
            int[] bad = {0, w.model.active(), slots + 1, 7, 255, 1 + (c / 10) % slots};
            return bad[(c / 10) % bad.length];
        }

        /** Mostly valid images; SV1 (security version 1) often enough that the floor comes into play. */
        static PackageCatalogue.Image image(int c) {
            PackageCatalogue cat = CATALOGUE;
            if (c % 100 < 15) {
                return cat.find("SV1");
            }
            if (c % 100 < 78) {
                return cat.valid.get((c / 100) % cat.valid.size());
            }
            return cat.corrupted.get((c / 100) % cat.corrupted.size());
        }

        static byte[] slice(byte[] image, long from, int length, int salt) {
            byte[] out = new byte[length];
            for (int i = 0; i < length; i++) {
                long at = from + i;
                out[i] = at >= 0 && at < image.length ? image[(int) at] : (byte) (salt * 31 + i * 7);
            }
            return out;
        }

        static FirmwareWorld.Part goodPart(FirmwareWorld w, int c, int a, int b, int d) {
            Cci cci = preferOwner(w, c);
            FirmwareWorld.Upload u = w.uploads.get(cci);
            int maxUnits = Math.max(1, w.dataLimit(cci) / 128);
            if (u == null) {
                PackageCatalogue.Image img = image(a);
                byte[] bytes = img.bytes();
                if (b % 10 < 3) {
                    return FirmwareWorld.Part.of(cci, FirmwareModel.FULL, slot(w, d), 0, bytes, img);
                }
                int len = Math.min(bytes.length, 128 * (1 + (b / 10) % maxUnits));
                if (len % 128 != 0) {
                    len = Math.max(128, len - len % 128);
                }
                return FirmwareWorld.Part.of(cci, FirmwareModel.INITIATE, 0, 0, slice(bytes, 0, len, b), img);
            }
            byte[] bytes = u.image.bytes();
            long remaining = bytes.length - u.next;
            long units = u.next / 128;
            if (d % 100 < 3) {
                return FirmwareWorld.Part.of(cci, FirmwareModel.ABORT, 0, 0, new byte[0], u.image);
            }
            if (remaining <= 0) {
                return FirmwareWorld.Part.of(cci, FirmwareModel.END, slot(w, d), units, new byte[0], u.image);
            }
            int len = 128 * (1 + (b / 10) % maxUnits);
            if (len >= remaining) {
                int last = (int) remaining;
                boolean end = last % 128 != 0 || b % 10 < 8;
                int action = end ? FirmwareModel.END : FirmwareModel.CONTINUE;
                return FirmwareWorld.Part.of(cci, action, end ? slot(w, d) : 0, units,
                        slice(bytes, u.next, last, b), u.image);
            }
            return FirmwareWorld.Part.of(cci, FirmwareModel.CONTINUE, 0, units, slice(bytes, u.next, len, b), u.image);
        }

        static FirmwareWorld.Part randomPart(FirmwareWorld w, int c, int a, int s, int o, int l, int d) {
            Cci cci = c % 3 == 0 ? preferOwner(w, c / 3) : cci(c / 3);
            int action = a % 100 < 90 ? (a / 100) % 5 : 5 + (a / 100) % 251;
            int slots = w.model.config().slots();
            int[] slotChoices = {0, 1, 2, 3, 4, slots, slots + 1, w.model.active(), 255};
            int slot = slotChoices[s % slotChoices.length];
            long next = w.model.transferNextOffset();
            long nextUnits = next < 0 ? 0 : next / 128;
            long[] offsets = {0, nextUnits, nextUnits, nextUnits + 1, Math.max(0, nextUnits - 1), nextUnits + 2,
                    (o / 20) % 80, 0xFFFFFFFFL, 0x0200_0000L, 31, 32, 63, 64};
            long offsetUnits = offsets[o % offsets.length];
            int limit = w.dataLimit(cci);
            int[] lengths = {0, 1, 100, 127, 128, 129, 255, 256, 384, 512, 640, 896, limit, limit + 1,
                    Math.min(limit, 3968), 128 * (1 + (l / 20) % 8)};
            int len = lengths[l % lengths.length];
            PackageCatalogue.Image img = CATALOGUE.images.get((d / 10) % CATALOGUE.images.size());
            long from = action == FirmwareModel.FULL ? 0 : offsetUnits * 128;
            byte[] data = slice(img.bytes(), from, len, d);
            FirmwareWorld.Part p = FirmwareWorld.Part.of(cci, action, slot, offsetUnits, data, img);
            int mode = d % 100;
            if (mode < 4) { // shorter than the 80h header
                int declared = (d / 100) % 128;
                return new FirmwareWorld.Part(cci, action, slot, offsetUnits, data, declared, img);
            }
            if (mode < 8) { // above the CCI's limit
                int size = cci == Cci.MAILBOX ? w.mailboxPayloadSize : w.mctpMessageSize;
                if (cci == Cci.MAILBOX) {
                    byte[] fits = slice(img.bytes(), from, size - 128, d);
                    return new FirmwareWorld.Part(cci, action, slot, offsetUnits, fits, size + 1 + (d / 100) % 4096,
                            img);
                }
                return FirmwareWorld.Part.of(cci, action, slot, offsetUnits, slice(img.bytes(), from, size - 127, d),
                        img);
            }
            return p;
        }

        static FirmwareWorld.Part retransmission(FirmwareWorld w, int c, int k, int s) {
            Cci cci = preferOwner(w, c);
            FirmwareWorld.Part last = w.lastAccepted.get(cci);
            if (last == null) {
                PackageCatalogue.Image img = image(c);
                return FirmwareWorld.Part.of(cci, FirmwareModel.CONTINUE, 0, 0, slice(img.bytes(), 0, 128, c), img);
            }
            return switch (k % 5) {
                case 0 -> last;
                case 1 -> last.withAction(FirmwareModel.CONTINUE, 0);
                case 2 -> last.withAction(FirmwareModel.END, slot(w, s));
                case 3 -> { // same offset and length, other bytes
                    PackageCatalogue.Image img = image(s);
                    yield last.withData(slice(img.bytes(), last.offsetUnits() * 128, last.data().length, s), img);
                }
                default -> last.withAction(FirmwareModel.INITIATE, 0);
            };
        }

        static void activate(FirmwareWorld w, int c, int a, int s, int l) {
            Cci cci = cci(c);
            int action = a % 100 < 45 ? 0 : a % 100 < 90 ? 1 : 2 + (a / 100) % 254;
            int slots = w.model.config().slots();
            int slot;
            List<Integer> candidates = new ArrayList<>();
            for (int i = 1; i <= slots; i++) {
                if (i != w.model.active() && w.model.slot(i) != null) {
                    candidates.add(i);
                }
            }
            if (s % 10 < 7 && !candidates.isEmpty()) {
                slot = candidates.get((s / 10) % candidates.size());
            } else {
                int empty = 0;
                for (int i = slots; i >= 1; i--) {
                    if (w.model.slot(i) == null) {
                        empty = i;
                    }
                }
                int[] bad = {0, w.model.active(), empty, slots + 1, 7, 255, 1 + (s / 10) % slots};
                slot = bad[(s / 10) % bad.length];
            }
            int[] badLengths = {0, 1, 3};
            int length = l % 100 < 97 ? 2 : badLengths[(l / 100) % badLengths.length];
            w.activate(cci, action, slot, length);
        }

        static void requestAbort(FirmwareWorld w, int c, int l) {
            Cci owner = w.model.runningOwner();
            Cci cci = owner != null && c % 100 < 75 ? owner : cci(c / 100);
            int length = l % 100 < 97 ? 0 : 1 + (l / 100) % 2;
            w.requestAbort(cci, length);
        }

        static void inject(FirmwareWorld w, int k, int a, int b) {
            int kind = k % 100;
            if (kind < 5) {
                w.injectMediaDisabled();
            } else if (kind < 35) {
                w.injectActivationFailure(FirmwareModel.ActivationFault.ROLLBACK);
            } else if (kind < 60) {
                w.injectActivationFailure(FirmwareModel.ActivationFault.COLD_RESET);
            } else if (kind < 72) {
                w.injectCorruptStaging();
            } else if (kind < 82) {
                w.injectLatePart();
            } else if (!w.model.failOpcodePending()) {
                Opcode[] ops = {FirmwareModel.TRANSFER_FW, FirmwareModel.ACTIVATE_FW, FirmwareModel.REQUEST_ABORT};
                int[] rcs = {0x0002, 0x0004, 0x0005, 0x0006, 0x0008, 0x0014, 0x0020};
                Cci[] ccis = {null, Cci.MAILBOX, Cci.MCTP};
                w.injectFailOpcode(ops[a % ops.length], rcs[(a / 3) % rcs.length], 1 + b % 2, ccis[(b / 2) % 3]);
            }
        }
    }
}
