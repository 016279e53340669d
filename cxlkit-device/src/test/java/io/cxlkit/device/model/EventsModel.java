package io.cxlkit.device.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The reference model of events, health, alerts and the shutdown state, written from
 * docs/events-and-health.md alone: plain fields and byte arrays, no device class and no payload
 * codec, so that it cannot share a mistake with the device. Every output is computed here as the
 * bytes the device must return.
 */
final class EventsModel {

    /** What a chain's device is configured with. */
    record Config(int logSize, long volatileBytes, long totalBytes, int lifeCritical, int overCritical,
                  int underCritical, int mailboxLimit, int mctpLimit) {
    }

    /** The rules a chain may exercise; every required one must decide an outcome in some chain. */
    enum Rule implements ModelRuns.Rule {
        HEALTH_WARNING("Health Status bit 0, 1 or 3 rises: Warning, MM 00h"),
        HEALTH_FAILURE("Health Status bit 2 rises: Failure, MM 00h"),
        MEDIA_CHANGE("media status changes: Failure, MM 01h"),
        MEDIA_NOT_READY_TO_NORMAL("Not Ready -> Normal adds nothing"),
        LIFE_WARNING("life used Normal -> Warning: Warning, MM 02h"),
        LIFE_CRITICAL("life used -> Critical: Failure, MM 02h"),
        TEMPERATURE_WARNING("temperature Normal -> Warning: Warning, MM 03h"),
        TEMPERATURE_CRITICAL("temperature -> Critical: Failure, MM 03h"),
        TEMPERATURE_NORMAL("temperature -> Normal: Informational, MM 03h"),
        CORRECTED_EACH("a corrected error with its warning disabled: Informational GM"),
        CORRECTED_THRESHOLD("a corrected count reaches its enabled warning: Warning GM, descriptor 02h"),
        OVERFLOW("a record for a full log is dropped and counted"),
        MORE("Get Event Records sets More"),
        CLEAR_HANDLES("Clear Event Records by handles"),
        CLEAR_ALL("Clear All of an overflowed log"),
        CLEAR_BAD_LOG("Clear: a log above 03h, 0002h"),
        CLEAR_ALL_WITH_HANDLES("Clear All with handles, 0002h"),
        CLEAR_ALL_NO_OVERFLOW("Clear All without overflow, 0002h"),
        CLEAR_BAD_HANDLES("Clear: not the oldest handles, 000Eh"),
        GET_BAD_LOG("Get: a log above 03h, 0002h"),
        ALERT_SET("Set Alert Configuration applied"),
        ALERT_REFUSED("Set Alert Configuration refused, 0002h"),
        POWER_ON_COUNTS("a power-on counts a dirty shutdown"),
        CORRECTED_REFUSED("corrected-error outside the device refused");

        private final String description;

        Rule(String description) {
            this.description = description;
        }

        @Override
        public String description() {
            return description;
        }

        /** Every rule of the table: each must decide an outcome in some chain. */
        @Override
        public boolean required() {
            return true;
        }
    }

    static final int INFO = 0;
    static final int WARN = 1;
    static final int FAIL = 2;
    static final int FATAL = 3;
    static final int NORMAL = 0;
    static final int WARNING = 1;
    static final int CRITICAL = 2;

    private static final byte[] GM_ID = HexFormat.of().parseHex("fbcd0a77c260417f85a9088b1621eba6");
    private static final byte[] MM_ID = HexFormat.of().parseHex("fe927475dd594339a58679bab113b774");

    private final Config config;
    private final Map<Rule, Long> fired = new EnumMap<>(Rule.class);

    // faults
    boolean mediaDisabled;
    Integer lifeFault;
    Integer temperatureFault;
    int healthFault;
    Integer mediaFault;
    boolean gpfFail;
    // alerts: life, over, under, corrected volatile, corrected persistent
    int enabled;
    final int[] threshold = new int[5];
    // corrected errors: [0] volatile, [1] persistent
    final long[] corrected = new long[2];
    final long[] lastDpa = new long[2];
    final boolean[] hadError = new boolean[2];
    // shutdown (persisted)
    boolean dirty;
    long dirtyCount;
    // time
    long now;
    boolean timestampSet;
    long timestampValue;
    long timestampAt;
    // interrupt policy as set, bytes 00h-03h
    final int[] policy = new int[4];
    // logs
    final Log[] logs = {new Log(), new Log(), new Log(), new Log()};
    private int[] lastStatuses;

    static final class Log {
        final Deque<byte[]> records = new ArrayDeque<>();
        final Deque<Integer> handles = new ArrayDeque<>();
        int next = 1;
        boolean overflow;
        int overflowCount;
        long first;
        long last;
    }

    EventsModel(Config config) {
        this.config = config;
        resetVolatile();
    }

    Config config() {
        return config;
    }

    Map<Rule, Long> fired() {
        return fired;
    }

    private void fire(Rule r) {
        fired.merge(r, 1L, Long::sum);
    }

    // ------------------------------------------------------------------ health

    int healthStatus() {
        return healthFault | (mediaDisabled ? 1 : 0);
    }

    int mediaStatus() {
        return mediaDisabled ? 1 : mediaFault == null ? 0 : mediaFault;
    }

    int life() {
        return lifeFault == null ? 0 : lifeFault;
    }

    int temperature() {
        return temperatureFault == null ? 25 : temperatureFault;
    }

    boolean on(int warning) {
        return (enabled & (1 << warning)) != 0;
    }

    int lifeStatus() {
        if (life() > config.lifeCritical()) {
            return CRITICAL;
        }
        return on(0) && life() >= threshold[0] ? WARNING : NORMAL;
    }

    int temperatureStatus() {
        int t = temperature();
        if (t >= config.overCritical() || t <= config.underCritical()) {
            return CRITICAL;
        }
        return (on(1) && t >= threshold[1]) || (on(2) && t <= threshold[2]) ? WARNING : NORMAL;
    }

    boolean correctedStatus(int partition) {
        return on(3 + partition) && corrected[partition] >= threshold[3 + partition];
    }

    byte[] healthInfo() {
        byte[] b = new byte[0x12];
        b[0] = (byte) healthStatus();
        b[1] = (byte) mediaStatus();
        b[2] = (byte) (lifeStatus() | temperatureStatus() << 2 | (correctedStatus(0) ? 0x10 : 0)
                | (correctedStatus(1) ? 0x20 : 0));
        b[3] = (byte) life();
        le(b, 4, temperature(), 2);
        le(b, 6, dirtyCount, 4);
        le(b, 10, corrected[0], 4);
        le(b, 14, corrected[1], 4);
        return b;
    }

    byte[] alertConfig() {
        byte[] b = new byte[0x10];
        b[0] = (byte) enabled;
        b[1] = 0x1F;
        b[2] = (byte) config.lifeCritical();
        b[3] = (byte) threshold[0];
        le(b, 4, config.overCritical(), 2);
        le(b, 6, config.underCritical(), 2);
        le(b, 8, threshold[1], 2);
        le(b, 10, threshold[2], 2);
        le(b, 12, threshold[3], 2);
        le(b, 14, threshold[4], 2);
        return b;
    }

    private int[] statuses() {
        return new int[] {healthStatus(), mediaStatus(), lifeStatus(), temperatureStatus(), correctedStatus(0) ? 1 : 0,
                correctedStatus(1) ? 1 : 0};
    }

    /** After every change: the records of the transitions since the last one, in the table's order. */
    void evaluate() {
        int[] was = lastStatuses;
        int[] now = statuses();
        lastStatuses = now;
        byte[] info = healthInfo();
        int rose = now[0] & ~was[0];
        if ((rose & 0b1011) != 0) {
            fire(Rule.HEALTH_WARNING);
            add(WARN, false, mm(0, info), 1);
        }
        if ((rose & 0b0100) != 0) {
            fire(Rule.HEALTH_FAILURE);
            add(FAIL, false, mm(0, info), 1);
        }
        if (now[1] != was[1]) {
            if (was[1] == 1 && now[1] == 0) {
                fire(Rule.MEDIA_NOT_READY_TO_NORMAL);
            } else {
                fire(Rule.MEDIA_CHANGE);
                add(FAIL, false, mm(1, info), 1);
            }
        }
        thresholdRise(was[2], now[2], 2, Rule.LIFE_WARNING, Rule.LIFE_CRITICAL, info);
        boolean temperatureRose = thresholdRise(was[3], now[3], 3, Rule.TEMPERATURE_WARNING,
                Rule.TEMPERATURE_CRITICAL, info);
        if (!temperatureRose && was[3] != NORMAL && now[3] == NORMAL) {
            fire(Rule.TEMPERATURE_NORMAL);
            add(INFO, false, mm(3, info), 1);
        }
        for (int p = 0; p < 2; p++) {
            if (was[4 + p] == 0 && now[4 + p] == 1) {
                fire(Rule.CORRECTED_THRESHOLD);
                add(WARN, true, gm(hadError[p] ? lastDpa[p] : 0, hadError[p] && p == 0, 0x02), 1); // 0 if none: bit 0 too
            }
        }
    }

    /**
     * A threshold status (life used, temperature: Memory Module event type {@code type}) rising:
     * Normal -> Warning adds a Warning record, any -> Critical a Failure one. True if it rose.
     */
    private boolean thresholdRise(int was, int now, int type, Rule warning, Rule critical, byte[] info) {
        if (was == NORMAL && now == WARNING) {
            fire(warning);
            add(WARN, false, mm(type, info), 1);
            return true;
        }
        if (was != CRITICAL && now == CRITICAL) {
            fire(critical);
            add(FAIL, false, mm(type, info), 1);
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ records

    long timestamp() {
        return timestampSet ? timestampValue + (now - timestampAt) : 0;
    }

    private static byte[] mm(int type, byte[] info) {
        byte[] data = new byte[0x50];
        data[0] = (byte) type;
        System.arraycopy(info, 0, data, 1, info.length);
        return data;
    }

    private static byte[] gm(long line, boolean inVolatile, int descriptor) {
        byte[] data = new byte[0x50];
        le(data, 0, line | (inVolatile ? 1 : 0), 8);
        data[8] = (byte) descriptor;
        return data;
    }

    /** Adds {@code copies} records whose format-specific 50h bytes are {@code data}. */
    private void add(int log, boolean general, byte[] data, long copies) {
        Log l = logs[log];
        int flags = log == INFO ? 0 : log | (healthStatus() & 7) << 3;
        long ts = timestamp();
        for (long i = 0; i < copies; i++) {
            if (l.records.size() >= config.logSize()) {
                long dropped = copies - i;
                fire(Rule.OVERFLOW);
                if (!l.overflow) {
                    l.overflow = true;
                    l.first = ts;
                }
                l.last = ts;
                l.overflowCount = (int) Math.min(0xFFFF, l.overflowCount + dropped);
                break;
            }
            byte[] r = new byte[0x80];
            System.arraycopy(general ? GM_ID : MM_ID, 0, r, 0, 16);
            r[0x10] = (byte) 0x80;
            le(r, 0x11, flags, 3);
            le(r, 0x14, l.next, 2);
            le(r, 0x18, ts, 8);
            System.arraycopy(data, 0, r, 0x30, 0x50);
            l.records.addLast(r);
            l.handles.addLast(l.next);
            l.next = l.next == 0xFFFF ? 1 : l.next + 1;
        }
    }

    // ------------------------------------------------------------------ commands and injections

    /** Get Event Records: the whole output, or null for 0002h. */
    byte[] getEventRecords(int log, boolean mailbox) {
        if (log > 3) {
            fire(Rule.GET_BAD_LOG);
            return null;
        }
        Log l = logs[log];
        int limit = mailbox ? config.mailboxLimit() : config.mctpLimit();
        int fit = (limit - 0x20) / 0x80;
        int n = Math.min(fit, l.records.size());
        boolean more = n < l.records.size();
        if (more) {
            fire(Rule.MORE);
        }
        byte[] out = new byte[0x20 + 0x80 * n];
        out[0] = (byte) ((l.overflow ? 1 : 0) | (more ? 2 : 0));
        if (l.overflow) {
            le(out, 2, l.overflowCount, 2);
            le(out, 4, l.first, 8);
            le(out, 12, l.last, 8);
        }
        le(out, 0x14, n, 2);
        int i = 0;
        for (byte[] r : l.records) {
            if (i == n) {
                break;
            }
            System.arraycopy(r, 0, out, 0x20 + 0x80 * i, 0x80);
            i++;
        }
        return out;
    }

    /** Clear Event Records: the return code. */
    int clearEventRecords(int log, boolean all, List<Integer> handles) {
        if (log > 3) {
            fire(Rule.CLEAR_BAD_LOG);
            return 0x0002;
        }
        Log l = logs[log];
        if (all && !handles.isEmpty()) {
            fire(Rule.CLEAR_ALL_WITH_HANDLES);
            return 0x0002;
        }
        if (all && !l.overflow) {
            fire(Rule.CLEAR_ALL_NO_OVERFLOW);
            return 0x0002;
        }
        int n;
        if (all) {
            fire(Rule.CLEAR_ALL);
            n = l.records.size();
        } else {
            List<Integer> oldest = new ArrayList<>(l.handles).subList(0, Math.min(handles.size(), l.handles.size()));
            if (!oldest.equals(handles)) {
                fire(Rule.CLEAR_BAD_HANDLES);
                return 0x000E;
            }
            n = handles.size();
            if (n > 0) {
                fire(Rule.CLEAR_HANDLES);
            }
        }
        for (int i = 0; i < n; i++) {
            l.records.removeFirst();
            l.handles.removeFirst();
        }
        if (n > 0) {
            l.overflow = false;
            l.overflowCount = 0;
            l.first = 0;
            l.last = 0;
        }
        return 0;
    }

    /** Set Alert Configuration: the return code. */
    int setAlerts(int valid, int enable, int life, int over, int under, int cv, int cp) {
        valid &= 0x1F;
        enable &= 0x1F;
        int both = valid & enable;
        if (((both & 1) != 0 && (life > 100 || life >= config.lifeCritical()))
                || ((both & 2) != 0 && over >= config.overCritical())
                || ((both & 4) != 0 && under <= config.underCritical())) {
            fire(Rule.ALERT_REFUSED);
            return 0x0002;
        }
        int[] values = {life, over, under, cv, cp};
        for (int i = 0; i < 5; i++) {
            if ((valid & (1 << i)) == 0) {
                continue;
            }
            if ((enable & (1 << i)) != 0) {
                enabled |= 1 << i;
                threshold[i] = values[i];
            } else {
                enabled &= ~(1 << i);
            }
        }
        fire(Rule.ALERT_SET);
        evaluate();
        return 0;
    }

    /** The corrected-error injection: false when refused (a DPA outside the device). */
    boolean correctedError(long dpa, long count) {
        if (dpa < 0 || dpa >= config.totalBytes()) {
            fire(Rule.CORRECTED_REFUSED);
            return false;
        }
        int p = dpa < config.volatileBytes() ? 0 : 1;
        long line = dpa & ~0x3FL;
        boolean warningOn = on(3 + p);
        corrected[p] = Math.min(0xFFFF_FFFFL, corrected[p] + count);
        lastDpa[p] = line;
        hadError[p] = true;
        if (!warningOn) {
            fire(Rule.CORRECTED_EACH);
            add(INFO, true, gm(line, p == 0, 0), count);
        }
        evaluate();
        return true;
    }

    void setTimestamp(long value) {
        timestampSet = true;
        timestampValue = value;
        timestampAt = now;
    }

    /** Set Event Interrupt Policy: the return code. */
    int setPolicy(byte[] in) {
        for (int i = 0; i < 4; i++) {
            if ((in[i] & 3) == 3) {
                return 0x0002;
            }
        }
        for (int i = 0; i < 4; i++) {
            policy[i] = in[i] & 0xFF;
        }
        return 0;
    }

    byte[] getPolicy() {
        byte[] out = new byte[5];
        for (int i = 0; i < 4; i++) {
            int mode = policy[i] & 3;
            out[i] = (byte) (mode == 1 ? 0x11 : mode == 2 ? (policy[i] & 0xF0) | 2 : 0);
        }
        return out;
    }

    /** The Event Status register. */
    long eventStatus() {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            if (!logs[i].records.isEmpty()) {
                v |= 1L << i;
            }
        }
        return v;
    }

    // ------------------------------------------------------------------ power

    /** A cold reset or a graceful restart: power-off (gpf), power-on, volatile state cleared. */
    void gracefulPowerCycle() {
        dirty = gpfFail;
        powerOn();
    }

    /** A killed process restarted: the shutdown state stays as last set. */
    void killAndRestart() {
        powerOn();
    }

    private void powerOn() {
        if (dirty) {
            fire(Rule.POWER_ON_COUNTS);
            dirtyCount = (dirtyCount + 1) & 0xFFFF_FFFFL;
            dirty = false;
        }
        resetVolatile();
    }

    private void resetVolatile() {
        clearStandingFaults();
        enabled = 0x07;
        threshold[0] = 40;
        threshold[1] = 75;
        threshold[2] = 5;
        threshold[3] = 100;
        threshold[4] = 100;
        corrected[0] = 0;
        corrected[1] = 0;
        hadError[0] = false;
        hadError[1] = false;
        timestampSet = false;
        java.util.Arrays.fill(policy, 0);
        for (int i = 0; i < 4; i++) {
            logs[i] = new Log();
        }
        lastStatuses = statuses();
    }

    /** A fault change, then the evaluation. */
    void faultsChanged() {
        evaluate();
    }

    void clearFaults() {
        clearStandingFaults();
        evaluate();
    }

    /** The injected faults, which a power cycle drops too. */
    private void clearStandingFaults() {
        mediaDisabled = false;
        lifeFault = null;
        temperatureFault = null;
        healthFault = 0;
        mediaFault = null;
        gpfFail = false;
    }

    static void le(byte[] b, int at, long v, int width) {
        for (int i = 0; i < width; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
