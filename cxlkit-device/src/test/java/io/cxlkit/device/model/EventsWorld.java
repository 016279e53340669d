package io.cxlkit.device.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.CriticalThresholds;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.EventRecord;
import io.cxlkit.protocol.regs.RegisterMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One chain of {@link EventsModelProperties}: a real device (through its CCIs and the control
 * path's fault and injection methods) and {@link EventsModel}; every step goes to both, the return
 * codes must match, and {@link #check()} compares everything observable after each step.
 */
final class EventsWorld implements ModelRuns.World<EventsModel.Rule> {

    private final Path root;
    private final TestDevice device;
    final EventsModel model;
    private final Deque<String> log = new ArrayDeque<>();
    private int steps;

    EventsWorld(EventsModel.Config c, int mailboxExponent) {
        try {
            root = Files.createTempDirectory("cxlkit-events-model-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.model = new EventsModel(c);
        this.device = TestDevice.builder(root.resolve("mem0")).timing(Timing.instant()).config(b -> b
                .eventLogSize(c.logSize()).volatileCapacity(c.volatileBytes())
                .persistentCapacity(c.totalBytes() - c.volatileBytes()).payloadSizeExponent(mailboxExponent)
                .criticalThresholds(new CriticalThresholds(c.lifeCritical(), c.overCritical(), c.underCritical())))
                .open();
        sync();
    }

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public Map<EventsModel.Rule, Long> fired() {
        return model.fired();
    }

    private void sync() {
        model.now = device.clock().nanoTime();
    }

    private void note(String s) {
        steps++;
        log.addLast(s);
        if (log.size() > 60) {
            log.removeFirst();
        }
    }

    private String history() {
        return String.join("\n  ", log);
    }

    private void expectRc(String what, int expected, int actual) {
        assertThat(ReturnCode.hex(actual)).as("%s\n  after:\n  %s", what, history())
                .isEqualTo(ReturnCode.hex(expected));
    }

    // ------------------------------------------------------------------ steps

    void setAlerts(Cci cci, int valid, int enable, int life, int over, int under, int cv, int cp) {
        sync();
        String what = String.format("set alerts on %s valid %02Xh enable %02Xh life %d over %d under %d cv %d cp %d",
                cci, valid, enable, life, over, under, cv, cp);
        note(what);
        ByteBuffer b = ByteBuffer.allocate(0x0C).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) valid).put((byte) enable).put((byte) life).put((byte) 0).putShort((short) over)
                .putShort((short) under).putShort((short) cv).putShort((short) cp);
        int rc = device.send(cci, CommandId.SET_ALERT_CONFIGURATION, b.array()).returnCode();
        expectRc(what, model.setAlerts(valid, enable, life, over, under, cv, cp), rc);
    }

    /** kind 0 life used, 1 temperature, 2 health status, 3 media status, 4 media disabled, 5 gpf-fail, 6 clear. */
    void fault(int kind, int value) {
        sync();
        String what = "fault " + kind + " " + value;
        note(what);
        switch (kind) {
            case 0 -> {
                device.inject(f -> f.setLifeUsed(value));
                model.lifeFault = value;
            }
            case 1 -> {
                device.inject(f -> f.setTemperature(value));
                model.temperatureFault = value;
            }
            case 2 -> {
                Set<FaultSet.HealthCondition> set = EnumSet.noneOf(FaultSet.HealthCondition.class);
                for (FaultSet.HealthCondition c : FaultSet.HealthCondition.values()) {
                    if ((value & c.bit()) != 0) {
                        set.add(c);
                    }
                }
                device.inject(f -> f.setHealthStatus(set));
                model.healthFault = value;
            }
            case 3 -> {
                device.inject(f -> f.setMediaStatus(FaultSet.MediaStatus.values()[value]));
                model.mediaFault = value;
            }
            case 4 -> {
                device.inject(FaultSet::setMediaDisabled);
                model.mediaDisabled = true;
            }
            case 5 -> {
                device.inject(FaultSet::setGpfFail);
                model.gpfFail = true;
            }
            default -> {
                device.inject(FaultSet::clear);
                model.clearFaults();
                return;
            }
        }
        model.faultsChanged();
    }

    void correctedError(long dpa, long count) {
        sync();
        String what = String.format("corrected-error 0x%x count %d", dpa, count);
        note(what);
        boolean accepted = model.correctedError(dpa, count);
        boolean took;
        try {
            device.device().injectCorrectedErrors(dpa, count);
            took = true;
        } catch (IllegalArgumentException e) {
            took = false;
        }
        assertThat(took).as("%s accepted\n  after:\n  %s", what, history()).isEqualTo(accepted);
    }

    void getEventRecords(Cci cci, int logNumber) {
        sync();
        String what = "get event records " + logNumber + " on " + cci;
        note(what);
        TestDevice.Reply r = device.send(cci, CommandId.GET_EVENT_RECORDS, new byte[] {(byte) logNumber});
        byte[] expected = model.getEventRecords(logNumber, cci == Cci.MAILBOX);
        expectRc(what, expected == null ? 0x0002 : 0, r.returnCode());
        if (expected != null) {
            assertThat(HexFormat.of().formatHex(r.output())).as("%s\n  after:\n  %s", what, history())
                    .isEqualTo(HexFormat.of().formatHex(expected));
        }
    }

    /**
     * mode 0: the {@code k} oldest handles (k modulo the records + 1); 1: Clear All; 2: Clear All with
     * one handle; 3: a wrong list (the oldest shifted by one, a repeat, a zero); a log above 03h as given.
     */
    void clearEventRecords(Cci cci, int logNumber, int mode, int k) {
        sync();
        List<Integer> handles = new ArrayList<>();
        List<Integer> present = logNumber <= 3 ? new ArrayList<>(model.logs[logNumber].handles) : List.of();
        boolean all = false;
        switch (mode) {
            case 0 -> handles.addAll(present.subList(0, k % (present.size() + 1)));
            case 1 -> all = true;
            case 2 -> {
                all = true;
                handles.add(present.isEmpty() ? 1 : present.get(0));
            }
            default -> {
                int variant = k % 3;
                if (variant == 0) {
                    for (int i = 1; i <= Math.max(1, k % 4); i++) {
                        handles.add(i < present.size() ? present.get(i) : 0xFFFF);
                    }
                } else if (variant == 1) {
                    int h = present.isEmpty() ? 1 : present.get(0);
                    handles.add(h);
                    handles.add(h);
                } else {
                    handles.add(0);
                }
            }
        }
        String what = "clear event records " + logNumber + " on " + cci + (all ? " all" : "") + " " + handles;
        note(what);
        ByteBuffer b = ByteBuffer.allocate(6 + 2 * handles.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) logNumber).put((byte) (all ? 1 : 0)).put((byte) handles.size()).position(6);
        handles.forEach(h -> b.putShort((short) (int) h));
        int rc = device.send(cci, CommandId.CLEAR_EVENT_RECORDS, b.array()).returnCode();
        expectRc(what, model.clearEventRecords(logNumber, all, handles), rc);
    }

    void setTimestamp(long value) {
        sync();
        note("set timestamp " + value);
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        expectRc("set timestamp", 0, device.send(Cci.MCTP, CommandId.SET_TIMESTAMP, b.array()).returnCode());
        model.setTimestamp(value);
    }

    void advance(long nanos) {
        note("advance " + nanos + " ns");
        device.advance(Duration.ofNanos(nanos));
        sync();
    }

    void setShutdownState(Cci cci, boolean dirty) {
        sync();
        String what = "set shutdown state " + dirty + " on " + cci;
        note(what);
        int rc = device.send(cci, CommandId.SET_SHUTDOWN_STATE, new byte[] {(byte) (dirty ? 1 : 0)}).returnCode();
        if (cci == Cci.MCTP) {
            expectRc(what, 0x0015, rc);
        } else {
            expectRc(what, 0, rc);
            model.dirty = dirty;
        }
    }

    void setPolicy(byte[] in) {
        sync();
        String what = "set event interrupt policy " + HexFormat.of().formatHex(in);
        note(what);
        int rc = device.send(Cci.MAILBOX, CommandId.SET_EVENT_INTERRUPT_POLICY, in).returnCode();
        expectRc(what, model.setPolicy(in), rc);
    }

    void coldReset() {
        note("cold reset");
        device.coldReset();
        sync();
        model.gracefulPowerCycle();
    }

    void restart() {
        note("restart");
        device.reopen();
        sync();
        model.gracefulPowerCycle();
    }

    void killAndRestart() {
        note("kill and restart");
        device.crashAndReopen();
        sync();
        model.killAndRestart();
    }

    // ------------------------------------------------------------------ the comparison

    /** Everything observable, compared with the model. */
    boolean check() {
        sync();
        String when = "\n  after:\n  " + history();
        for (EventLog l : EventLog.values()) {
            List<EventRecord> actual = device.device().eventRecords(l);
            List<String> actualHex = actual.stream().map(r -> HexFormat.of().formatHex(r.encode())).toList();
            List<String> expectedHex = model.logs[l.value()].records.stream().map(HexFormat.of()::formatHex).toList();
            assertThat(actualHex).as("records of %s%s", l, when).isEqualTo(expectedHex);
            for (Cci cci : Cci.values()) {
                TestDevice.Reply r = device.send(cci, CommandId.GET_EVENT_RECORDS, new byte[] {(byte) l.value()});
                assertThat(HexFormat.of().formatHex(r.output())).as("Get Event Records %s on %s%s", l, cci, when)
                        .isEqualTo(HexFormat.of().formatHex(model.getEventRecords(l.value(), cci == Cci.MAILBOX)));
            }
        }
        assertThat(HexFormat.of().formatHex(device.send(Cci.MCTP, CommandId.GET_HEALTH_INFO).output()))
                .as("Get Health Info%s", when).isEqualTo(HexFormat.of().formatHex(model.healthInfo()));
        assertThat(HexFormat.of().formatHex(device.send(Cci.MAILBOX, CommandId.GET_ALERT_CONFIGURATION).output()))
                .as("Get Alert Configuration%s", when).isEqualTo(HexFormat.of().formatHex(model.alertConfig()));
        assertThat(device.send(Cci.MAILBOX, CommandId.GET_SHUTDOWN_STATE).output()).as("Get Shutdown State%s", when)
                .containsExactly(model.dirty ? 1 : 0);
        assertThat(device.send(Cci.MAILBOX, CommandId.GET_EVENT_INTERRUPT_POLICY).output())
                .as("Get Event Interrupt Policy%s", when).containsExactly(model.getPolicy());
        assertThat(device.mailbox().read64(RegisterMap.EVENT_STATUS)).as("Event Status%s", when)
                .isEqualTo(model.eventStatus());
        return true;
    }

    @Override
    public void close() {
        device.close();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
