package io.cxlkit.device.model;

import io.cxlkit.protocol.Cci;
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
 * Model-based test of events, health, alerts and the shutdown state (docs/events-and-health.md):
 * random chains of alert configuration changes, standing fault sets and clears, corrected errors,
 * Get and Clear Event Records (good, refused and half-right), timestamps and clock advances, Set
 * Shutdown State, interrupt policies, cold resets, graceful restarts and killed restarts run
 * against a real device and {@link EventsModel}; after every step the logs (byte for byte, through
 * Get Event Records on both CCIs too), Get Health Info, Get Alert Configuration, Get Shutdown State,
 * the interrupt policy and the Event Status register must match the model. So every change adds
 * exactly the table's records, handles and overflow follow the log rules and Clear follows its
 * checks. {@link #everyRuleWasExercised()} then asserts that each rule decided some outcome.
 */
class EventsModelProperties {

    static final int TRIES = 150;
    static final int MAX_STEPS = 70;

    private static final ModelRuns<EventsModel.Rule, EventsWorld> RUNS = new ModelRuns<>("events model",
            EventsModel.Rule.class);

    @Property(tries = TRIES, seed = "3141592653", shrinking = ShrinkingMode.BOUNDED)
    void deviceFollowsTheModel(@ForAll("chains") ActionChain<EventsWorld> chain) {
        RUNS.run(chain, EventsWorld::check);
    }

    @AfterTry
    void afterTry() {
        RUNS.closeWorlds();
    }

    @AfterContainer
    static void everyRuleWasExercised() {
        RUNS.assertEveryRequiredRuleExercised();
    }

    // ------------------------------------------------------------------ generators

    private static final long MIB = 1L << 20;

    @Provide
    Arbitrary<ActionChain<EventsWorld>> chains() {
        Arbitrary<Integer> logSize = Arbitraries.of(1, 2, 3, 8);
        Arbitrary<Long> volatileBytes = Arbitraries.of(0L, 256 * MIB);
        Arbitrary<Integer> mailboxExp = Arbitraries.of(8, 9, 12);
        Arbitrary<int[]> critical = Arbitraries.frequency(Tuple.of(3, new int[] {75, 85, 0}),
                Tuple.of(1, new int[] {50, 100, -10}));
        return Combinators.combine(logSize, volatileBytes, mailboxExp, critical)
                .as((n, v, mbx, crit) -> new EventsModel.Config(n, v, v + 1024 * MIB, crit[0], crit[1], crit[2],
                        1 << mbx, 1024))
                .flatMap(c -> ActionChain.<EventsWorld>startWith(() -> open(c))
                        .withAction(10, alerts())
                        .withAction(14, fault())
                        .withAction(10, corrected())
                        .withAction(6, get())
                        .withAction(14, clear())
                        .withAction(3, timestamp())
                        .withAction(4, advance())
                        .withAction(3, shutdown())
                        .withAction(2, policy())
                        .withAction(2, power())
                        .withMaxTransformations(MAX_STEPS));
    }

    private static EventsWorld open(EventsModel.Config c) {
        int mailboxExp = Integer.numberOfTrailingZeros(c.mailboxLimit());
        return RUNS.opened(new EventsWorld(c, mailboxExp));
    }

    private static Action.Independent<EventsWorld> action(Arbitrary<Transformer<EventsWorld>> t) {
        return () -> t;
    }

    private static Arbitrary<Cci> cci() {
        return Arbitraries.of(Cci.values());
    }

    static Action.Independent<EventsWorld> alerts() {
        Arbitrary<Integer> bits = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(0x01, 0x02, 0x04, 0x08, 0x10)),
                Tuple.of(2, Arbitraries.integers().between(0, 0xFF)));
        Arbitrary<Integer> life = Arbitraries.of(0, 10, 30, 39, 40, 49, 50, 74, 75, 76, 100, 101, 255);
        Arbitrary<Integer> over = Arbitraries.of(-32768, -5, 0, 25, 50, 60, 74, 75, 84, 85, 86, 99, 100, 32767);
        Arbitrary<Integer> under = Arbitraries.of(-32768, -11, -10, -9, -1, 0, 1, 5, 6, 25, 32767);
        Arbitrary<Integer> count = Arbitraries.of(0, 1, 2, 3, 5, 8, 100, 65535);
        return action(Combinators.combine(cci(), bits, bits, life, over, under, count, count)
                .as((c, v, e, l, o, u, cv, cp) -> Transformer.mutate("alerts",
                        (EventsWorld w) -> w.setAlerts(c, v, e, l, o, u, cv, cp))));
    }

    static Action.Independent<EventsWorld> fault() {
        Arbitrary<int[]> life = Arbitraries.of(0, 39, 40, 41, 49, 50, 51, 60, 75, 76, 100).map(v -> new int[] {0, v});
        Arbitrary<int[]> temp = Arbitraries.of(-32768, -11, -10, -1, 0, 1, 4, 5, 6, 25, 59, 60, 74, 75, 76, 84, 85, 86,
                99, 100, 32767).map(v -> new int[] {1, v});
        Arbitrary<int[]> health = Arbitraries.integers().between(1, 15).map(v -> new int[] {2, v});
        Arbitrary<int[]> media = Arbitraries.integers().between(0, 9).map(v -> new int[] {3, v});
        Arbitrary<int[]> simple = Arbitraries.of(new int[] {4, 0}, new int[] {5, 0}, new int[] {6, 0});
        return action(Arbitraries.frequencyOf(Tuple.of(3, life), Tuple.of(4, temp), Tuple.of(3, health),
                Tuple.of(3, media), Tuple.of(3, simple))
                .map(k -> Transformer.mutate("fault", (EventsWorld w) -> w.fault(k[0], k[1]))));
    }

    static Action.Independent<EventsWorld> corrected() {
        Arbitrary<Integer> where = Arbitraries.integers().between(0, 7);
        Arbitrary<Long> count = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(1L, 1L, 2L, 3L)),
                Tuple.of(2, Arbitraries.of(5L, 7L, 9L, 100L)), Tuple.of(1, Arbitraries.just(0xFFFF_FFFFL)));
        return action(Combinators.combine(where, count, Arbitraries.longs().between(0, 1L << 20))
                .as((k, n, off) -> Transformer.mutate("corrected", (EventsWorld w) -> {
                    EventsModel.Config c = w.model.config();
                    long dpa = switch (k) {
                        case 0, 1 -> c.volatileBytes() > 0 ? off % c.volatileBytes() : off;
                        case 2 -> Math.max(0, c.volatileBytes() - 1);
                        case 3 -> c.volatileBytes();
                        case 4 -> c.totalBytes() - 1;
                        case 5 -> c.totalBytes();
                        case 6 -> c.volatileBytes() + off;
                        default -> Long.MAX_VALUE;
                    };
                    w.correctedError(dpa, n);
                })));
    }

    static Action.Independent<EventsWorld> get() {
        return action(Combinators.combine(cci(), Arbitraries.of(0, 1, 2, 3, 0, 1, 2, 4, 255))
                .as((c, l) -> Transformer.mutate("get", (EventsWorld w) -> w.getEventRecords(c, l))));
    }

    static Action.Independent<EventsWorld> clear() {
        Arbitrary<Integer> log = Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.of(0, 1, 2, 3)),
                Tuple.of(1, Arbitraries.of(4, 255)));
        Arbitrary<Integer> mode = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(0)), Tuple.of(3, Arbitraries.just(1)),
                Tuple.of(1, Arbitraries.just(2)), Tuple.of(2, Arbitraries.just(3)));
        return action(Combinators.combine(cci(), log, mode, Arbitraries.integers().between(0, 1000))
                .as((c, l, m, k) -> Transformer.mutate("clear", (EventsWorld w) -> w.clearEventRecords(c, l, m, k))));
    }

    static Action.Independent<EventsWorld> timestamp() {
        return action(Arbitraries.of(0L, 1L, 1_700_000_000_000_000_000L, -1L, Long.MAX_VALUE - 5)
                .map(v -> Transformer.mutate("timestamp", (EventsWorld w) -> w.setTimestamp(v))));
    }

    static Action.Independent<EventsWorld> advance() {
        return action(Arbitraries.of(1L, 1_000L, 1_000_000L, 2_500_000_000L)
                .map(n -> Transformer.mutate("advance", (EventsWorld w) -> w.advance(n))));
    }

    static Action.Independent<EventsWorld> shutdown() {
        return action(Combinators.combine(Arbitraries.frequency(Tuple.of(4, Cci.MAILBOX), Tuple.of(1, Cci.MCTP)),
                        Arbitraries.of(true, true, false))
                .as((c, d) -> Transformer.mutate("shutdown", (EventsWorld w) -> w.setShutdownState(c, d))));
    }

    static Action.Independent<EventsWorld> policy() {
        return action(Combinators.combine(Arbitraries.of(4, 5), Arbitraries.integers().between(0, 0xFF),
                        Arbitraries.integers().between(0, 0xFF), Arbitraries.of(0x00, 0x01, 0x12, 0x33, 0xF2))
                .as((n, a, b, c) -> Transformer.mutate("policy", (EventsWorld w) -> {
                    byte[] in = new byte[n];
                    in[0] = (byte) (int) c;
                    in[1] = (byte) (int) a;
                    in[2] = (byte) (a & 0xFC | 1);
                    in[3] = (byte) (int) b;
                    if (n == 5) {
                        in[4] = (byte) (a ^ b);
                    }
                    w.setPolicy(in);
                })));
    }

    static Action.Independent<EventsWorld> power() {
        return action(Arbitraries.of(0, 1, 2).map(k -> Transformer.mutate("power " + k, (EventsWorld w) -> {
            switch (k) {
                case 0 -> w.coldReset();
                case 1 -> w.restart();
                default -> w.killAndRestart();
            }
        })));
    }
}
