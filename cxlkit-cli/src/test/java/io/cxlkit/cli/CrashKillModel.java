package io.cxlkit.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host's record for {@link CrashKillIT}: what each firmware slot may hold and which slots may
 * be active and staged. Every entry is a set of possibilities: a singleton while the host knows
 * the device's state exactly, wider while a command whose effect is uncertain is (or was, when
 * the daemon died) in flight. A command that may change something widens the record before it is
 * sent; its success narrows it; observing the device (Get FW Info, the files on disk) narrows it
 * to what was observed, after checking that the observation is one of the possibilities.
 *
 * <p>A slot's content is identified by its package's revision, unique per package in the test.
 */
final class CrashKillModel {

    /** A package the host sent (or the factory package, or an empty slot). */
    static final class Pkg {
        static final Pkg EMPTY = new Pkg("", null);

        final String revision;
        final byte[] bytes;

        Pkg(String revision, byte[] bytes) {
            this.revision = revision;
            this.bytes = bytes;
        }

        boolean empty() {
            return bytes == null;
        }

        @Override
        public String toString() {
            return empty() ? "(empty)" : revision + " (" + bytes.length + " B)";
        }
    }

    private final int slots;
    /** Index 1..slots: revision to package, in the order they became possible. */
    private final List<Map<String, Pkg>> content = new ArrayList<>();
    private Set<Integer> active = new TreeSet<>();
    private Set<Integer> staged = new TreeSet<>();

    private CrashKillModel(int slots) {
        this.slots = slots;
        for (int s = 0; s <= slots; s++) {
            content.add(new LinkedHashMap<>());
        }
    }

    /** A device's first start: slot 1 active with the factory package, the other slots empty. */
    static CrashKillModel fresh(int slots, Pkg factory) {
        CrashKillModel m = new CrashKillModel(slots);
        m.content.get(1).put(factory.revision, factory);
        for (int s = 2; s <= slots; s++) {
            m.content.get(s).put("", Pkg.EMPTY);
        }
        m.active.add(1);
        m.staged.add(0);
        return m;
    }

    /** What slot {@code slot} may hold. */
    Map<String, Pkg> possible(int slot) {
        return content.get(slot);
    }

    Set<Integer> possibleActive() {
        return active;
    }

    Set<Integer> possibleStaged() {
        return staged;
    }

    /** The active slot, when known exactly (after an observation). */
    int active() {
        if (active.size() != 1) {
            throw new IllegalStateException("active slot not known exactly: " + active);
        }
        return active.iterator().next();
    }

    /** The package a slot holds, when known exactly. */
    Pkg known(int slot) {
        Map<String, Pkg> c = content.get(slot);
        if (c.size() != 1) {
            throw new IllegalStateException("slot " + slot + " not known exactly: " + c.values());
        }
        return c.values().iterator().next();
    }

    // ---- a command is about to be sent: widen ----

    /** End or Full of {@code p} into {@code slot}; a commit also clears a staged mark on that slot. */
    void writeStarting(int slot, Pkg p) {
        content.get(slot).put(p.revision, p);
        if (staged.contains(slot)) {
            staged.add(0);
        }
    }

    void stageStarting(int slot) {
        staged.add(slot);
    }

    /** Online activation of {@code slot}: it may become active, and loses a staged mark if so. */
    void onlineStarting(int slot) {
        active.add(slot);
        if (staged.contains(slot)) {
            staged.add(0);
        }
    }

    /** A cold reset (control API or restart): a staged slot may become active; the mark goes. */
    void coldResetStarting() {
        for (int s : staged) {
            if (s != 0) {
                active.add(s);
            }
        }
        staged.add(0);
    }

    // ---- the device answered success: narrow ----

    void writeSucceeded(int slot, Pkg p) {
        content.get(slot).clear();
        content.get(slot).put(p.revision, p);
        if (staged.remove(slot)) {
            staged.add(0);
        }
    }

    void stageSucceeded(int slot) {
        staged.clear();
        staged.add(slot);
    }

    void onlineSucceeded(int slot) {
        active.clear();
        active.add(slot);
        if (staged.remove(slot)) {
            staged.add(0);
        }
    }

    // ---- observations ----

    /**
     * Checks that the device reports one of the possibilities for every slot and for the active and
     * staged slot, then narrows the record to what it reports. Returns the problems found (empty
     * when consistent); the record is only narrowed when there are none.
     */
    List<String> observe(int observedActive, int observedStaged, List<String> revisions) {
        List<String> problems = new ArrayList<>();
        if (!active.contains(observedActive)) {
            problems.add("active slot " + observedActive + ", expected one of " + active);
        }
        if (!staged.contains(observedStaged)) {
            problems.add("staged slot " + observedStaged + ", expected one of " + staged);
        }
        for (int s = 1; s <= slots; s++) {
            String rev = revisions.get(s - 1);
            if (!content.get(s).containsKey(rev)) {
                problems.add("slot " + s + " reports revision '" + rev + "', expected one of "
                        + content.get(s).keySet());
            }
        }
        if (problems.isEmpty()) {
            active.clear();
            active.add(observedActive);
            staged.clear();
            staged.add(observedStaged);
            for (int s = 1; s <= slots; s++) {
                Pkg p = content.get(s).get(revisions.get(s - 1));
                content.get(s).clear();
                content.get(s).put(p.revision, p);
            }
        }
        return problems;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("active ").append(active).append(", staged ").append(staged);
        for (int s = 1; s <= slots; s++) {
            b.append(", slot ").append(s).append(' ').append(content.get(s).values());
        }
        return b.toString();
    }
}
