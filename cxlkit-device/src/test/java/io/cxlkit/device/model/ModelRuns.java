package io.cxlkit.device.model;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import net.jqwik.api.state.ActionChain;

/**
 * What the model-based properties of this package keep across their tries: the worlds (devices)
 * the chains opened, closed after each try, and which rules of the model the passing chains
 * exercised, checked once the container has run so that a rule no chain reached fails the run.
 *
 * @param <R> the model's rules
 * @param <W> a chain's world
 */
final class ModelRuns<R extends Enum<R> & ModelRuns.Rule, W extends ModelRuns.World<R>> {

    /** A rule of a model: what it decides, and whether every run must exercise it. */
    interface Rule {
        String description();

        boolean required();
    }

    /** A device and its model as one chain drives them. */
    interface World<R> extends AutoCloseable {
        /** How often each rule decided an outcome so far. */
        Map<R, Long> fired();

        /** The steps checked against the model so far. */
        int steps();

        @Override
        void close();
    }

    private final String name;
    private final Class<R> rules;
    private final Map<R, Long> covered;
    private final AtomicLong chains = new AtomicLong();
    private final AtomicLong steps = new AtomicLong();
    private final List<W> worlds = new ArrayList<>();
    private volatile boolean propertyRan;
    private volatile boolean propertyFailed;

    /** {@code name} heads the coverage summary ("events model"). */
    ModelRuns(String name, Class<R> rules) {
        this.name = name;
        this.rules = rules;
        this.covered = new EnumMap<>(rules);
    }

    /** Keeps {@code world} to be closed after the try; returns it. */
    W opened(W world) {
        synchronized (worlds) {
            worlds.add(world);
        }
        return world;
    }

    /** Runs {@code chain} with {@code check} after every step; a passing chain's rules count as exercised. */
    void run(ActionChain<W> chain, Consumer<W> check) {
        propertyRan = true;
        try {
            W end = chain.withInvariant("device matches the model", check).run();
            synchronized (covered) {
                end.fired().forEach((rule, n) -> covered.merge(rule, n, Long::sum));
            }
            chains.incrementAndGet();
            steps.addAndGet(end.steps());
        } catch (Throwable t) {
            propertyFailed = true;
            throw t;
        }
    }

    /** Closes (and deletes the directories of) every world still open. */
    void closeWorlds() {
        synchronized (worlds) {
            worlds.forEach(W::close);
            worlds.clear();
        }
    }

    /**
     * Prints how often each rule was exercised and fails if a required one never was. Nothing to
     * check when the property did not run or failed: the property reports its own failure.
     */
    void assertEveryRequiredRuleExercised() {
        closeWorlds(); // a failing property's last (reporting) run may not get an @AfterTry
        if (!propertyRan || propertyFailed) {
            return;
        }
        Set<R> missing = EnumSet.noneOf(rules);
        StringBuilder summary = new StringBuilder(name + " run: " + chains.get() + " chains, " + steps.get()
                + " checked steps; rules exercised:\n");
        synchronized (covered) {
            for (R r : rules.getEnumConstants()) {
                long n = covered.getOrDefault(r, 0L);
                summary.append(String.format("  %6d  %s: %s%n", n, r, r.description()));
                if (r.required() && n == 0) {
                    missing.add(r);
                }
            }
        }
        System.out.println(summary);
        if (!missing.isEmpty()) {
            throw new AssertionError("required rules never exercised: " + missing + "\n" + summary);
        }
    }
}
