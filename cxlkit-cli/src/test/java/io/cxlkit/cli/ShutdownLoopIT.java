package io.cxlkit.cli;

import io.cxlkit.cli.ControlApiClient.Response;
import io.cxlkit.host.cci.CciAddress;
import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.host.cci.SocketTransport;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.fwpkg.PackageVerifier;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM at a random instant of a daemon's work, again and again on one state directory
 * (wire.md §2, the clean shutdown). Every iteration starts {@code cxlkit serve}, checks what the
 * previous one left, starts one piece of work and sends SIGTERM at a seeded random delay:
 *
 * <ul>
 *   <li>a control-API upload (instant parts or 2/10 ms parts);
 *   <li>one Transfer FW Initiate over the CCI socket on a daemon whose parts take 5 s (the part
 *       runs in the background when the signal comes, unless the delay outlasts the loop);
 *   <li>an End (0.25-2 MiB package, 64 KiB parts) or a Full of a package with a 1 s
 *       verification ({@code --fw-full-time 1s});
 *   <li>an online activation taking 2 s ({@code --fw-activate-time 2s}).
 * </ul>
 *
 * After each SIGTERM: exit status 0 within 5 s of the signal, no stack trace in the daemon's output
 * ({@code Exception in thread}, {@code ^\s+at }), daemon.json removed. At the next start on the same
 * directory: every slot holds what it held at the previous check or a complete package sent to it
 * since (compared byte for byte: no partial package), every non-empty slot holds the factory
 * package or one the test sent, and Get FW Info's active slot holds a package.
 *
 * <p>{@code -Dcxlkit.shutdown.seed=N} replays a run's plan; {@code -Dcxlkit.shutdown.iterations=N}
 * sets the number of SIGTERMs (default {@value #DEFAULT_ITERATIONS}).
 */
class ShutdownLoopIT {

    static final long DEFAULT_SEED = 20_251_207L;
    static final int DEFAULT_ITERATIONS = 24;

    private static final int SLOTS = 3;
    private static final String MEM0 = "mem0";
    private static final int MEM0_EID = 8;
    private static final long EXIT_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** The largest Transfer FW data of a 64 KiB MCTP message: 511 x 128 bytes. */
    private static final int MAX_PART = 64 * 1024 - TransferFwRequest.HEADER_SIZE;
    private static final List<String> BASE_ARGS = List.of("--slots", Integer.toString(SLOTS), "--timing", "instant",
            "--payload-size", "4KiB", "--mctp-message-size", "64KiB");
    /** Start-up time dominates the loop: the client compiler and serial GC start faster. */
    private static final Map<String, String> ENV = Map.of("CXLKIT_JAVA_OPTS",
            "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");

    enum Activity { HTTP_UPLOAD, CCI_BACKGROUND_PART, END_OR_FULL, ONLINE_ACTIVATION }

    @Test
    void sigtermAtRandomInstantsExitsCleanlyAndLeavesOnlyCompletePackages(@TempDir Path dir) throws Exception {
        long seed = Long.getLong("cxlkit.shutdown.seed", DEFAULT_SEED);
        int iterations = Integer.getInteger("cxlkit.shutdown.iterations", DEFAULT_ITERATIONS);
        System.out.printf("shutdown-loop: seed %d, %d iterations (replay: -Dcxlkit.shutdown.seed=%d "
                + "-Dcxlkit.shutdown.iterations=%d)%n", seed, iterations, seed, iterations);
        new Loop(dir, seed, iterations).run();
    }

    private static final class Loop {
        private final Path state;
        private final long seed;
        private final int iterations;
        private final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sigterm");
            t.setDaemon(true);
            return t;
        });

        /** Every complete package the test sent (and the factory one), by SHA-256: what it is. */
        private final Map<String, String> known = new HashMap<>();
        /** Each slot's package (SHA-256) at the last check; null for an empty slot. */
        private final String[] slots = new String[SLOTS + 1];
        private boolean checkedOnce;
        /** Complete packages sent to each slot since the last check. */
        private final List<Set<String>> sent = new ArrayList<>();
        private int activeSlot;

        private final List<String> problems = new ArrayList<>();
        private final List<String> lines = new ArrayList<>();
        private final Map<String, Integer> killedDuring = new TreeMap<>();
        private final List<Long> exitNanos = new ArrayList<>();
        private int newPackagesLanded;
        private int oldPackagesKept;
        private volatile String phase = "";

        Loop(Path dir, long seed, int iterations) {
            this.state = dir.resolve("state");
            this.seed = seed;
            this.iterations = iterations;
            for (int s = 0; s <= SLOTS; s++) {
                sent.add(new LinkedHashSet<>());
            }
            known.put(UploadLoadIT.sha256(FirmwarePackage.factory()), "the factory package");
        }

        void run() throws Exception {
            long t0 = System.nanoTime();
            Random order = new Random(seed);
            List<Activity> cycle = new ArrayList<>(Arrays.asList(Activity.values()));
            try {
                for (int it = 0; it < iterations; it++) {
                    if (it % cycle.size() == 0) {
                        Collections.shuffle(cycle, order);
                    }
                    iteration(it, cycle.get(it % cycle.size()), new Random(seed * 0x9E3779B97F4A7C15L + it));
                }
                // the last SIGTERM's leftovers, then a SIGTERM with nothing running
                try (DaemonProcess d = start(iterations, BASE_ARGS)) {
                    check(iterations, d);
                    phase = "idle";
                    stopAndCheck(iterations, d, 0);
                }
            } catch (StartFailed e) {
                problems.add(e.getMessage());
            } finally {
                killer.shutdownNow();
            }
            long total = System.nanoTime() - t0;
            long max = exitNanos.stream().mapToLong(Long::longValue).max().orElse(0);
            double avg = exitNanos.stream().mapToLong(Long::longValue).average().orElse(0);
            String summary = String.format("shutdown-loop: seed %d: %d SIGTERMs in %.1f s; exit after SIGTERM: "
                            + "%.2f s on average, %.2f s at most; SIGTERM landed during %s; slots written at a "
                            + "SIGTERM: new package %d times, old kept %d times", seed, exitNanos.size(), total / 1e9,
                    avg / 1e9, max / 1e9, killedDuring, newPackagesLanded, oldPackagesKept);
            System.out.println(summary);
            if (!problems.isEmpty()) {
                StringBuilder b = new StringBuilder("shutdown-loop seed " + seed
                        + " (replay with -Dcxlkit.shutdown.seed=" + seed + "): " + problems.size() + " problem(s)");
                for (String p : problems) {
                    b.append("\n  - ").append(p.replace("\n", "\n    "));
                }
                b.append("\n  ").append(summary).append("\n  iterations:");
                for (String l : lines) {
                    b.append("\n    ").append(l);
                }
                throw new AssertionError(b.toString());
            }
        }

        private static final class StartFailed extends Exception {
            StartFailed(String message) {
                super(message);
            }
        }

        private DaemonProcess start(int it, List<String> args) throws StartFailed, IOException, InterruptedException {
            try {
                return DaemonProcess.start(state, ENV, args.toArray(String[]::new));
            } catch (AssertionError e) {
                throw new StartFailed("iteration " + it + ": serve did not start on the state directory the previous "
                        + "SIGTERM left: " + e.getMessage());
            }
        }

        private void iteration(int it, Activity activity, Random r) throws Exception {
            List<String> args = new ArrayList<>(BASE_ARGS);
            int partMs = 0;
            switch (activity) {
                case HTTP_UPLOAD -> {
                    partMs = new int[] {0, 2, 10}[r.nextInt(3)];
                    if (partMs > 0) {
                        args.addAll(List.of("--fw-part-time", partMs + "ms"));
                    }
                }
                case CCI_BACKGROUND_PART -> args.addAll(List.of("--fw-part-time", "5s"));
                case END_OR_FULL -> args.addAll(List.of("--fw-full-time", "1s"));
                case ONLINE_ACTIVATION -> args.addAll(List.of("--fw-activate-time", "2s"));
            }
            try (DaemonProcess d = start(it, args)) {
                check(it, d);
                ControlApiClient api = new ControlApiClient(d.info());
                CciAddress cci = CciAddress.parse(d.info().cci());
                StringBuilder line = new StringBuilder("#" + it + " " + activity);
                AtomicLong termSent = new AtomicLong();
                String[] landed = {""};
                int delayMs;
                ScheduledFuture<?> term;
                Runnable sigterm = () -> {
                    landed[0] = phase;
                    termSent.set(System.nanoTime());
                    d.process().destroy();
                };
                phase = "starting " + activity;
                switch (activity) {
                    case HTTP_UPLOAD -> {
                        int target = activeSlot % SLOTS + 1;
                        byte[] p = pkg("H" + it, 16384 + 128 * r.nextInt(1921), r, "control API upload #" + it);
                        sent.get(target).add(UploadLoadIT.sha256(p));
                        int parts = (p.length + 3967) / 3968;
                        delayMs = r.nextInt(parts * partMs + 150);
                        line.append(String.format(" (%d B in %d parts of %d ms, to slot %d)", p.length, parts, partMs,
                                target));
                        term = killer.schedule(sigterm, delayMs, TimeUnit.MILLISECONDS);
                        httpUpload(api, p, termSent);
                    }
                    case CCI_BACKGROUND_PART -> {
                        byte[] p = pkg("P" + it, 256 * 1024, r, null);
                        delayMs = r.nextInt(1500);
                        line.append(" (Initiate of 32 KiB, 5 s part)");
                        term = killer.schedule(sigterm, delayMs, TimeUnit.MILLISECONDS);
                        backgroundPart(cci, p, termSent);
                    }
                    case END_OR_FULL -> {
                        List<Integer> others = otherSlots();
                        int slot = others.get(r.nextInt(others.size()));
                        boolean full = r.nextInt(3) == 0;
                        byte[] p = full ? pkg("F" + it, 8192 + 128 * r.nextInt(440), r, "Full #" + it)
                                : pkg("E" + it, 256 * 1024 + 128 * r.nextInt(14337), r, "End #" + it);
                        sent.get(slot).add(UploadLoadIT.sha256(p));
                        delayMs = r.nextInt(1400);
                        line.append(String.format(" (%s of %d B to slot %d, 1 s verification)", full ? "Full" : "End",
                                p.length, slot));
                        term = killer.schedule(sigterm, delayMs, TimeUnit.MILLISECONDS);
                        endOrFull(cci, p, slot, full, termSent);
                    }
                    case ONLINE_ACTIVATION -> {
                        List<Integer> candidates = new ArrayList<>();
                        for (int s : otherSlots()) {
                            if (slots[s] != null) {
                                candidates.add(s);
                            }
                        }
                        delayMs = r.nextInt(2300);
                        byte[] first = null;
                        int slot;
                        if (candidates.isEmpty()) {
                            List<Integer> others = otherSlots();
                            slot = others.get(r.nextInt(others.size()));
                            first = pkg("A" + it, 8192, r, "Full before an activation #" + it);
                            sent.get(slot).add(UploadLoadIT.sha256(first));
                        } else {
                            slot = candidates.get(r.nextInt(candidates.size()));
                        }
                        line.append(String.format(" (slot %d online, 2 s%s)", slot, first == null ? ""
                                : ", after a Full to it"));
                        term = killer.schedule(sigterm, delayMs, TimeUnit.MILLISECONDS);
                        onlineActivation(cci, slot, first, termSent);
                    }
                    default -> throw new IllegalStateException();
                }
                phase = "after the work ended";
                term.get(10, TimeUnit.SECONDS);
                killedDuring.merge(activity + ": " + landed[0].replaceAll("[0-9]+", "N"), 1, Integer::sum);
                line.append(" SIGTERM at ").append(delayMs).append(" ms during ").append(landed[0]);
                lines.add(line.toString());
                stopAndCheck(it, d, termSent.get());
                lines.set(lines.size() - 1, line + lastExit);
            }
        }

        private String lastExit = "";
        /** The first iteration whose output showed each stack trace (by its first two lines). */
        private final Map<String, Integer> traces = new HashMap<>();

        private List<Integer> otherSlots() {
            List<Integer> l = new ArrayList<>();
            for (int s = 1; s <= SLOTS; s++) {
                if (s != activeSlot) {
                    l.add(s);
                }
            }
            return l;
        }

        private byte[] pkg(String revision, int bodyLength, Random r, String what) {
            byte[] p = UploadLoadIT.pkg(revision, bodyLength, r);
            if (what != null) {
                known.put(UploadLoadIT.sha256(p), what + " (" + revision + ", " + p.length + " B)");
            }
            return p;
        }

        // ---- the work a SIGTERM interrupts ----

        /** An I/O failure is the SIGTERM if it was sent; otherwise a problem. */
        private void ioFailure(AtomicLong termSent, String what, Exception e) {
            if (termSent.get() == 0) {
                problems.add(phase + ": " + what + " failed with no SIGTERM sent: " + e);
            }
        }

        private void httpUpload(ControlApiClient api, byte[] p, AtomicLong termSent) throws InterruptedException {
            phase = "PUT";
            CompletableFuture<java.net.http.HttpResponse<String>> put = api.sendAsync("PUT",
                    "/v1/memdevs/" + MEM0 + "/firmware", HttpRequest.BodyPublishers.ofByteArray(p));
            try {
                var resp = put.get(30, TimeUnit.SECONDS);
                if (resp.statusCode() != 202) {
                    if (termSent.get() == 0) {
                        problems.add("control API upload: PUT answered " + resp.statusCode() + " " + resp.body());
                    }
                    return;
                }
                while (termSent.get() == 0) {
                    Response get = api.memdev(MEM0);
                    String status = ControlApiClient.uploadOf(get.json()).path("status").asText();
                    if (status.equals("idle")) {
                        phase = "after the upload ended";
                        ControlApiClient.UploadEnd end = ControlApiClient.endOf(ControlApiClient.uploadOf(get.json()));
                        if (end.failed() && termSent.get() == 0) {
                            problems.add("control API upload ended with " + end.error().get() + " before any SIGTERM");
                        }
                        return;
                    }
                    phase = "upload " + status + " (" + ControlApiClient.uploadOf(get.json()).path("parts_sent")
                            .asInt() + " parts sent)";
                    Thread.sleep(2);
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | IOException e) {
                ioFailure(termSent, "control API upload", e);
            } catch (AssertionError e) {
                // a body cut by the exit is no JSON
                ioFailure(termSent, "control API upload", new IOException(e.getMessage()));
            }
        }

        private void backgroundPart(CciAddress cci, byte[] p, AtomicLong termSent) throws InterruptedException {
            phase = "connecting";
            try (SocketTransport t = SocketTransport.connect(cci, MEM0_EID)) {
                phase = "Initiate sent";
                CommandResponse reply = t.send(CommandId.TRANSFER_FW.opcode(),
                        TransferFwRequest.initiate(0, ByteBuffer.wrap(p, 0, 32 * 1024)).encode());
                if (reply.returnCode() != ReturnCode.BACKGROUND_COMMAND_STARTED && termSent.get() == 0) {
                    problems.add("Initiate with 5 s parts answered " + reply.returnCode().hex()
                            + ", not 0001h (background started)");
                }
                phase = "the 5 s Initiate in the background";
                // the connection stays open while the part runs: the SIGTERM finds it
                awaitSigterm(termSent);
            } catch (IOException e) {
                ioFailure(termSent, "Transfer FW Initiate", e);
            }
        }

        private void endOrFull(CciAddress cci, byte[] p, int slot, boolean full, AtomicLong termSent)
                throws InterruptedException {
            phase = "connecting";
            try (SocketTransport t = SocketTransport.connect(cci, MEM0_EID); CciClient c = new CciClient(t)) {
                CommandResponse reply;
                if (full) {
                    phase = "the Full's 1 s verification";
                    reply = t.send(CommandId.TRANSFER_FW.opcode(),
                            TransferFwRequest.full(slot, ByteBuffer.wrap(p)).encode());
                } else {
                    int n = (p.length + MAX_PART - 1) / MAX_PART;
                    for (int i = 0; i < n - 1; i++) {
                        phase = "part " + (i + 1) + " of " + n;
                        ByteBuffer data = ByteBuffer.wrap(p, i * MAX_PART, MAX_PART);
                        c.transferFw(i == 0 ? TransferFwRequest.initiate(0, data)
                                : TransferFwRequest.continuePart((long) i * MAX_PART / TransferFwRequest.OFFSET_UNIT,
                                        data));
                    }
                    phase = "the End's 1 s verification";
                    int off = (n - 1) * MAX_PART;
                    reply = t.send(CommandId.TRANSFER_FW.opcode(), TransferFwRequest.end(slot,
                            off / TransferFwRequest.OFFSET_UNIT, ByteBuffer.wrap(p, off, p.length - off)).encode());
                }
                if (reply.returnCode() != ReturnCode.BACKGROUND_COMMAND_STARTED) {
                    if (termSent.get() != 0) {
                        return; // a device powered off by the SIGTERM answers 0018h
                    }
                    problems.add((full ? "Full" : "End") + " with a 1 s verification answered "
                            + reply.returnCode().hex() + ", not 0001h (background started)");
                    return;
                }
                CommandResponse done = t.awaitBackground(CommandId.TRANSFER_FW.opcode());
                phase = "after the " + (full ? "Full" : "End") + " completed";
                if (done.returnCode() != ReturnCode.SUCCESS && termSent.get() == 0) {
                    problems.add((full ? "Full" : "End") + " ended with " + done.returnCode().hex());
                }
            } catch (CciCommandException e) {
                if (termSent.get() == 0) {
                    problems.add(phase + ": refused: " + e.getMessage());
                }
            } catch (IOException e) {
                ioFailure(termSent, full ? "Full" : "End", e);
            }
        }

        private void onlineActivation(CciAddress cci, int slot, byte[] first, AtomicLong termSent)
                throws InterruptedException {
            phase = "connecting";
            try (SocketTransport t = SocketTransport.connect(cci, MEM0_EID); CciClient c = new CciClient(t)) {
                if (first != null) {
                    phase = "the Full before the activation";
                    c.transferFw(TransferFwRequest.full(slot, ByteBuffer.wrap(first)));
                }
                phase = "the 2 s online activation";
                CommandResponse reply = t.send(CommandId.ACTIVATE_FW.opcode(), ActivateFwRequest.online(slot).encode());
                if (reply.returnCode() != ReturnCode.BACKGROUND_COMMAND_STARTED) {
                    if (termSent.get() != 0) {
                        return; // a device powered off by the SIGTERM answers 0018h
                    }
                    problems.add("online activation of slot " + slot + " answered " + reply.returnCode().hex()
                            + ", not 0001h (background started)");
                    return;
                }
                CommandResponse done = t.awaitBackground(CommandId.ACTIVATE_FW.opcode());
                phase = "after the activation completed";
                if (done.returnCode() != ReturnCode.SUCCESS && termSent.get() == 0) {
                    problems.add("online activation of slot " + slot + " ended with "
                            + done.returnCode().hex());
                }
            } catch (CciCommandException e) {
                if (termSent.get() == 0) {
                    problems.add(phase + ": refused: " + e.getMessage());
                }
            } catch (IOException e) {
                ioFailure(termSent, "online activation", e);
            }
        }

        private static void awaitSigterm(AtomicLong termSent) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (termSent.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }

        // ---- checks ----

        /** SIGTERM (already sent unless {@code termSent} is 0) and what the exit must look like. */
        private void stopAndCheck(int it, DaemonProcess d, long termSentNanos) throws Exception {
            Process p = d.process();
            CompletableFuture<Long> exitedAt = d.exitedAt();
            long sent = termSentNanos;
            if (sent == 0) {
                sent = System.nanoTime();
                p.destroy();
            }
            String where = "iteration " + it + " (SIGTERM during " + (it < iterations ? lines.get(it) : "idle") + ")";
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                problems.add(where + ": serve still running 10 s after SIGTERM; killed" + ControlApiClient.tail(d.log(),
                        15));
                d.kill();
                lastExit = "; NOT STOPPED";
                return;
            }
            long took = exitedAt.get(5, TimeUnit.SECONDS) - sent;
            exitNanos.add(took);
            lastExit = String.format("; exit %d after %.2f s", p.exitValue(), took / 1e9);
            String log = d.log();
            if (p.exitValue() != 0) {
                problems.add(where + ": exit status " + p.exitValue() + " after SIGTERM, not 0"
                        + ControlApiClient.tail(log, 15));
            }
            if (took > EXIT_LIMIT_NANOS) {
                problems.add(String.format("%s: exited %.2f s after SIGTERM (limit 5 s)%s", where, took / 1e9,
                        ControlApiClient.tail(log, 10)));
            }
            List<String> stack = ControlApiClient.stackTraceLines(log);
            if (!stack.isEmpty()) {
                // the same trace again is named, not repeated
                String key = String.join("|", stack.subList(0, Math.min(2, stack.size())))
                        .replaceAll("thread \"[^\"]*\"", "thread");
                Integer first = traces.putIfAbsent(key, it);
                problems.add(where + ": " + stack.size() + " stack-trace line(s) in the daemon's output"
                        + (first == null ? ControlApiClient.first(ControlApiClient.relevantLines(log), 30)
                        : ", the same as iteration " + first + "'s: " + stack.get(0).strip()));
            }
            if (Files.exists(state.resolve("daemon.json"))) {
                problems.add(where + ": daemon.json is still there after the exit");
            }
        }

        /** What a start found: every slot against the record, the active slot's package. */
        private void check(int it, DaemonProcess d) throws Exception {
            ControlApiClient api = new ControlApiClient(d.info());
            String where = "start " + it + (it == 0 ? " (the first)" : " (after SIGTERM #" + (it - 1) + ")");
            for (int s = 1; s <= SLOTS; s++) {
                Optional<byte[]> bytes = api.slot(MEM0, s);
                String h = bytes.map(UploadLoadIT::sha256).orElse(null);
                if (h != null && !known.containsKey(h)) {
                    byte[] b = bytes.get();
                    problems.add(where + ": slot " + s + " holds " + b.length + " bytes (revision "
                            + PackageVerifier.revisionIfParsable(b).orElse("unparsable") + ", intact "
                            + PackageVerifier.inspect(b).intact() + ") that are no complete package the test sent "
                            + "nor the factory one");
                }
                if (checkedOnce) {
                    Set<String> now = sent.get(s);
                    boolean old = h == null ? slots[s] == null : h.equals(slots[s]);
                    if (!old && !now.contains(h)) {
                        problems.add(where + ": slot " + s + " holds " + describe(h) + "; allowed: its old content ("
                                + describe(slots[s]) + ")" + (now.isEmpty() ? ", nothing was sent to it"
                                : " or " + now.stream().map(this::describe).toList()));
                    } else if (!now.isEmpty()) {
                        if (old) {
                            oldPackagesKept++;
                        } else {
                            newPackagesLanded++;
                        }
                    }
                }
                slots[s] = h;
                sent.get(s).clear();
            }
            checkedOnce = true;
            try (CciClient c = new CciClient(SocketTransport.connect(CciAddress.parse(d.info().cci()), MEM0_EID))) {
                FwInfo info = c.getFwInfo();
                activeSlot = info.activeSlot();
                if (activeSlot < 1 || activeSlot > SLOTS || slots[activeSlot] == null) {
                    problems.add(where + ": Get FW Info's active slot " + activeSlot + " holds no package");
                } else if (info.revision(activeSlot).isEmpty()) {
                    problems.add(where + ": Get FW Info reports no revision for the active slot " + activeSlot);
                }
                if (info.stagedSlot() != 0) {
                    problems.add(where + ": slot " + info.stagedSlot() + " is staged right after a start (a cold "
                            + "reset)");
                }
            }
        }

        private String describe(String hash) {
            if (hash == null) {
                return "empty";
            }
            return known.getOrDefault(hash, "unknown bytes " + hash.substring(0, 12));
        }
    }
}
