package io.cxlkit.cli;

import io.cxlkit.cli.ControlApiClient.EventStream;
import io.cxlkit.cli.ControlApiClient.Response;
import io.cxlkit.cli.ControlApiClient.UploadEnd;
import io.cxlkit.host.cci.CciAddress;
import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.SocketTransport;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control-API uploads under load against a real {@code cxlkit serve} process, one daemon per
 * scenario. The contract asserted (the upload/activate/reset exclusion of the control API):
 *
 * <ol>
 *   <li>an upload started the instant the previous one is reported complete (its end event on
 *       {@code GET /v1/events}, or a tight poll of {@code GET /v1/memdevs/NAME} seeing
 *       {@code cxlkit.upload.status} idle) is accepted (202) and succeeds;
 *   <li>activate and reset during an upload are refused with 409 {@code upload-in-progress}; an
 *       upload while an activation or a reset runs is refused with 409
 *       {@code activation-in-progress} / {@code reset-in-progress}; an activation and a reset
 *       exclude each other the same way; otherwise they are applied;
 *       no upload ends in an error it was not expected to end in;
 *   <li>after every scenario the daemon's log has no stack trace and no {@code read-write-error},
 *       and the daemon still answers {@code GET /v1/memdevs}.
 * </ol>
 *
 * Each scenario collects every problem it sees and reports them together (counts, the first few,
 * the seed, the daemon's relevant log lines) rather than stopping at the first.
 * {@code -Dcxlkit.load.seed=N} replays a run's random choices (sizes, delays, operations).
 */
class UploadLoadIT {

    static final long DEFAULT_SEED = 20_251_206L;
    private static final String MEM0 = "mem0";
    private static final Duration END_TIMEOUT = Duration.ofSeconds(30);
    private static final int FIRST_EID = 8;

    private static long seed() {
        return Long.getLong("cxlkit.load.seed", DEFAULT_SEED);
    }

    // ---- scenario 1 ----

    /**
     * 200 uploads of 8-58 KiB (4 KiB mailbox payload: 3 to 15 parts) on one device, each PUT sent
     * the instant the previous upload is reported complete: alternately on its end event and on a
     * tight GET poll seeing idle. Every PUT must be answered 202 and every upload must succeed.
     */
    @Test
    void backToBackUploadsStartedTheInstantThePreviousOneIsReportedComplete(@TempDir Path dir) throws Exception {
        final int n = 200;
        try (Scenario s = new Scenario("back-to-back", dir, "--timing", "instant", "--payload-size", "4KiB")) {
            Random r = new Random(s.seed);
            int[] perm = permutation(n, r);
            List<String> failed = new ArrayList<>();
            int[] failedBy = new int[2];
            long[] nanosBy = new long[2];
            byte[] lastGood = null;
            try (EventStream events = s.api.events()) {
                for (int i = 0; i < n && failed.size() < 50; i++) {
                    // how this upload's end is detected; the next upload reacts to it
                    int mode = i % 2; // 0 event stream, 1 tight poll
                    int react = i == 0 ? -1 : (i - 1) % 2; // how the previous one's end was seen
                    String reactingTo = react < 0 ? "(none: the first)" : react == 0 ? "end event" : "poll seeing idle";
                    byte[] image = pkg("B-" + i, 8192 + 256 * perm[i], r);
                    long t = System.nanoTime();
                    Response put = s.api.upload(MEM0, image);
                    if (put.status() != 202) {
                        failed.add("#" + i + " (" + image.length + " B, started on the previous one's " + reactingTo
                                + "): PUT answered " + put);
                        failedBy[Math.max(0, react)]++;
                        // let whatever runs end before the next one
                        s.api.awaitIdleByPolling(MEM0, END_TIMEOUT);
                        continue;
                    }
                    UploadEnd end = s.seen(mode == 0 ? events.awaitUploadEnd(MEM0, image.length, END_TIMEOUT)
                            : s.api.awaitIdleByPolling(MEM0, END_TIMEOUT));
                    nanosBy[mode] += System.nanoTime() - t;
                    if (end.failed()) {
                        failed.add("#" + i + " (" + image.length + " B, started on the previous one's " + reactingTo
                                + "): ended with " + end.error().get() + "  " + end.detail());
                        failedBy[Math.max(0, react)]++;
                    } else {
                        lastGood = image;
                    }
                }
            }
            s.stat(String.format("%d uploads: %.1f ms on average to the end event, %.1f ms to idle seen by polling",
                    n, nanosBy[0] / 1e6 / (n / 2), nanosBy[1] / 1e6 / (n / 2)));
            s.check(failed.isEmpty(), failed.size() + " of " + n + " back-to-back uploads failed (started on an end "
                    + "event: " + failedBy[0] + ", started on a poll seeing idle: " + failedBy[1] + ")"
                    + ControlApiClient.first(failed, 12));
            if (lastGood != null) {
                s.checkSlotHolds(MEM0, 2, lastGood, "slot 2 after the last successful upload");
            }
        }
    }

    // ---- scenario 2 ----

    /**
     * 16 devices x 10 uploads at once (a thread per device, back to back, half reacting to end
     * events, half to polls) while MCTP CCI clients (one socket connection per EID) poll Get FW
     * Info and Background Operation Status on every device the whole time. Every upload must
     * succeed and every poll must be answered.
     */
    @Test
    void sixteenDevicesUploadAtOnceWhileTheMctpEndpointIsPolled(@TempDir Path dir) throws Exception {
        final int devices = 16;
        final int perDevice = 10;
        try (Scenario s = new Scenario("fleet", dir, "--devices", Integer.toString(devices), "--timing", "instant",
                "--payload-size", "4KiB")) {
            CciAddress cci = CciAddress.parse(s.daemon.info().cci());
            CciClient[] clients = new CciClient[devices];
            for (int i = 0; i < devices; i++) {
                clients[i] = new CciClient(SocketTransport.connect(cci, FIRST_EID + i));
            }
            List<String> uploadFailures = Collections.synchronizedList(new ArrayList<>());
            List<String> pollIoErrors = Collections.synchronizedList(new ArrayList<>());
            List<String> pollRefusals = Collections.synchronizedList(new ArrayList<>());
            AtomicLongArray fwInfoPolls = new AtomicLongArray(devices);
            AtomicLongArray bosPolls = new AtomicLongArray(devices);
            Map<String, byte[]> lastGood = new ConcurrentHashMap<>();
            AtomicBoolean uploadsDone = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(devices + 2);
            long t0 = System.nanoTime();
            try (EventStream events = s.api.events()) {
                List<Future<?>> pollers = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    int first = t;
                    pollers.add(pool.submit(() -> {
                        while (!uploadsDone.get()) {
                            for (int i = first; i < devices; i += 2) {
                                clients[i] = poll(clients[i], cci, i, fwInfoPolls, bosPolls, pollIoErrors,
                                        pollRefusals);
                            }
                            Thread.sleep(1);
                        }
                        return null;
                    }));
                }
                List<Future<?>> uploaders = new ArrayList<>();
                for (int d = 0; d < devices; d++) {
                    int dev = d;
                    uploaders.add(pool.submit(() -> {
                        String name = "mem" + dev;
                        Random r = new Random(s.seed * 31 + dev);
                        for (int j = 0; j < perDevice; j++) {
                            boolean viaEvents = (dev + j) % 2 == 0;
                            byte[] image = pkg("F" + dev + "-" + j, 8192 + 512 * j + 128 * r.nextInt(4), r);
                            Response put = s.api.upload(name, image);
                            if (put.status() != 202) {
                                uploadFailures.add(name + " upload " + j + " (" + image.length + " B): PUT answered "
                                        + put);
                                s.api.awaitIdleByPolling(name, END_TIMEOUT);
                                continue;
                            }
                            UploadEnd end = s.seen(viaEvents ? events.awaitUploadEnd(name, image.length, END_TIMEOUT)
                                    : s.api.awaitIdleByPolling(name, END_TIMEOUT));
                            if (end.failed()) {
                                uploadFailures.add(name + " upload " + j + " (" + image.length + " B, end seen by "
                                        + (viaEvents ? "event" : "poll") + "): ended with " + end.error().get());
                            } else {
                                lastGood.put(name, image);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : uploaders) {
                    s.await(f, "uploader", 120);
                }
                long uploadNanos = System.nanoTime() - t0;
                uploadsDone.set(true);
                for (Future<?> f : pollers) {
                    s.await(f, "MCTP poller", 30);
                }
                long polls = 0;
                long minPolls = Long.MAX_VALUE;
                for (int i = 0; i < devices; i++) {
                    polls += fwInfoPolls.get(i) + bosPolls.get(i);
                    minPolls = Math.min(minPolls, Math.min(fwInfoPolls.get(i), bosPolls.get(i)));
                }
                s.stat(String.format("%d uploads on %d devices in %.1f s; %d MCTP polls answered (fewest of one "
                        + "kind on one device: %d)", devices * perDevice, devices, uploadNanos / 1e9, polls, minPolls));
                s.check(uploadFailures.isEmpty(), uploadFailures.size() + " of " + devices * perDevice
                        + " uploads failed" + ControlApiClient.first(uploadFailures, 12));
                s.check(pollIoErrors.isEmpty(), pollIoErrors.size() + " MCTP polls were not answered (IOException)"
                        + ControlApiClient.first(pollIoErrors, 12));
                s.check(pollRefusals.isEmpty(), pollRefusals.size() + " MCTP polls were refused by the device"
                        + ControlApiClient.first(pollRefusals, 12));
                s.check(minPolls > 0, "some device was never polled over MCTP while the uploads ran");
                for (int i = 0; i < devices; i++) {
                    byte[] image = lastGood.get("mem" + i);
                    if (image != null) {
                        s.checkSlotHolds("mem" + i, 2, image, "mem" + i + " slot 2 after its last successful upload");
                    }
                }
            } finally {
                uploadsDone.set(true);
                pool.shutdownNow();
                pool.awaitTermination(10, TimeUnit.SECONDS);
                for (CciClient c : clients) {
                    c.close();
                }
            }
        }
    }

    /** One round of Get FW Info and Background Operation Status; a client whose connection broke is replaced. */
    private static CciClient poll(CciClient c, CciAddress cci, int i, AtomicLongArray fwInfo, AtomicLongArray bos,
                                  List<String> ioErrors, List<String> refusals) throws InterruptedException {
        try {
            c.getFwInfo();
            fwInfo.incrementAndGet(i);
            c.backgroundOperationStatus();
            bos.incrementAndGet(i);
            return c;
        } catch (CciCommandException e) {
            refusals.add("mem" + i + ": " + e.getMessage());
            return c;
        } catch (IOException e) {
            ioErrors.add("mem" + i + ": " + e);
            try {
                c.close();
                return new CciClient(SocketTransport.connect(cci, FIRST_EID + i));
            } catch (IOException again) {
                ioErrors.add("mem" + i + ": reconnect: " + again);
                return c;
            }
        }
    }

    // ---- scenario 3 ----

    /**
     * 20 rounds on a device whose parts take 20 ms: a 64 KiB upload (17 parts, about 0.35 s) is
     * cancelled 20-380 ms after its 202; its end is awaited (user-abort, or a normal end after a
     * too-late cancel); then an 8 KiB upload is started at once and must succeed.
     */
    @Test
    void cancelThenUploadAgainTwentyTimes(@TempDir Path dir) throws Exception {
        final int rounds = 20;
        try (Scenario s = new Scenario("cancel-then-upload", dir, "--timing", "instant", "--payload-size", "4KiB",
                "--fw-part-time", "20ms")) {
            Random r = new Random(s.seed);
            List<String> failed = new ArrayList<>();
            Map<String, Integer> cancelAnswers = new TreeMap<>();
            int aborted = 0;
            try (EventStream events = s.api.events()) {
                for (int round = 0; round < rounds; round++) {
                    boolean viaEvents = round % 2 == 0;
                    byte[] big = pkg("C-" + round, 65536 + 128 * round, r);
                    byte[] small = pkg("S-" + round, 8192 + 128 * round, r);
                    String what = "round " + round + " (end seen by " + (viaEvents ? "event" : "poll") + ")";
                    Response put = s.api.upload(MEM0, big);
                    if (put.status() != 202) {
                        failed.add(what + ": PUT of the " + big.length + "-byte image answered " + put);
                        s.api.awaitIdleByPolling(MEM0, END_TIMEOUT);
                        continue;
                    }
                    int delay = 20 + r.nextInt(360);
                    Thread.sleep(delay);
                    Response cancel = s.api.cancel(MEM0);
                    String answer = cancel.status() + (cancel.error().isEmpty() ? "" : " " + cancel.error());
                    cancelAnswers.merge(answer, 1, Integer::sum);
                    UploadEnd end = s.seen(viaEvents ? events.awaitUploadEnd(MEM0, big.length, END_TIMEOUT)
                            : s.api.awaitIdleByPolling(MEM0, END_TIMEOUT));
                    if (cancel.status() == 202) {
                        if (end.error().filter(e -> e.endsWith(":user-abort")).isPresent()) {
                            aborted++;
                        } else {
                            failed.add(what + ": cancelled " + delay + " ms after the 202 (answer 202) but the upload "
                                    + "ended with " + end.error().orElse("no error") + "  " + end.detail());
                        }
                    } else if (cancel.status() == 409 && (cancel.error().equals("too-late")
                            || cancel.error().equals("idle"))) {
                        if (end.failed()) {
                            failed.add(what + ": cancel answered " + answer + " yet the upload ended with "
                                    + end.error().get());
                        }
                    } else {
                        failed.add(what + ": cancel " + delay + " ms after the 202 answered " + cancel);
                    }
                    // the next upload the instant the cancelled one is reported ended
                    Response again = s.api.upload(MEM0, small);
                    if (again.status() != 202) {
                        failed.add(what + ": PUT right after the cancelled upload's end answered " + again);
                        s.api.awaitIdleByPolling(MEM0, END_TIMEOUT);
                        continue;
                    }
                    UploadEnd second = s.seen(viaEvents ? events.awaitUploadEnd(MEM0, small.length, END_TIMEOUT)
                            : s.api.awaitIdleByPolling(MEM0, END_TIMEOUT));
                    if (second.failed()) {
                        failed.add(what + ": the upload right after the cancelled one ended with "
                                + second.error().get() + "  " + second.detail());
                    }
                }
            }
            s.stat(rounds + " rounds; cancel answers " + cancelAnswers + "; " + aborted + " ended in user-abort");
            s.check(failed.isEmpty(), failed.size() + " problem(s) in " + rounds + " cancel-then-upload rounds"
                    + ControlApiClient.first(failed, 12));
            s.check(aborted > 0, "no cancel took effect (every one too late?): " + cancelAnswers);
        }
    }

    // ---- scenario 4 ----

    /** A control-API request of the activator or resetter thread, timed. */
    private record Request(String what, long sent, long answered, Response response) {
        boolean overlaps(UploadRun u) {
            return sent < u.endSeen() && answered > u.accepted();
        }
    }

    /**
     * An accepted upload: its 202 received, the send time of the last GET that still saw it
     * running (-1 if none), the time its end was seen, and the end.
     */
    private record UploadRun(int index, int size, long accepted, long lastRunning, long endSeen, UploadEnd end) {
    }

    /**
     * Uploads (2 ms parts, 16-48 KiB, 0-15 ms apart) on a 3-slot device while another thread sends
     * on-reset and online activations (40 ms online) of random slots and a third one cold resets
     * every 20-80 ms. Each request must be refused as documented or applied: activate 200, 409
     * upload-in-progress or reset-in-progress, or 422 000Bh (a device refusal); reset 200 or 409
     * upload-in-progress or activation-in-progress; PUT 202, 409 activation-in-progress or
     * reset-in-progress. Every accepted upload must end without an
     * error, and no activate or reset sent after an upload's 202 and answered before a GET that
     * still saw that upload running may have been applied.
     */
    @Test
    void uploadsInterleavedWithActivationsAndResets(@TempDir Path dir) throws Exception {
        final int uploads = 60;
        try (Scenario s = new Scenario("interleaved", dir, "--slots", "3", "--timing", "instant", "--payload-size",
                "4KiB", "--fw-part-time", "2ms", "--fw-activate-time", "40ms")) {
            Random r = new Random(s.seed);
            List<String> failed = Collections.synchronizedList(new ArrayList<>());
            List<UploadRun> runs = new ArrayList<>();
            List<Request> requests = Collections.synchronizedList(new ArrayList<>());
            Map<String, Integer> putAnswers = new TreeMap<>();
            Set<String> uploaded = ConcurrentHashMap.newKeySet();
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            long t0 = System.nanoTime();
            try {
                Future<?> activator = pool.submit(() -> {
                    Random ar = new Random(s.seed * 17 + 1);
                    while (!done.get()) {
                        int slot = 1 + ar.nextInt(3);
                        boolean online = ar.nextInt(5) < 2;
                        long sent = System.nanoTime();
                        Response resp = s.api.activate(MEM0, slot, online);
                        requests.add(new Request((online ? "activate online " : "activate on reset ") + slot, sent,
                                System.nanoTime(), resp));
                        Thread.sleep(ar.nextInt(20));
                    }
                    return null;
                });
                Future<?> resetter = pool.submit(() -> {
                    Random rr = new Random(s.seed * 17 + 2);
                    while (!done.get()) {
                        long sent = System.nanoTime();
                        Response resp = s.api.reset(MEM0);
                        requests.add(new Request("reset", sent, System.nanoTime(), resp));
                        Thread.sleep(20 + rr.nextInt(60));
                    }
                    return null;
                });
                for (int i = 0; i < uploads; i++) {
                    byte[] image = pkg("I-" + i, 16384 + 128 * r.nextInt(257), r);
                    uploaded.add(sha256(image));
                    for (int attempt = 0; ; attempt++) {
                        Response put = s.api.upload(MEM0, image);
                        long accepted = System.nanoTime();
                        String answer = put.status() + (put.error().isEmpty() ? "" : " " + put.error());
                        putAnswers.merge(answer, 1, Integer::sum);
                        if (put.status() == 202) {
                            long[] lastRunning = {-1};
                            UploadEnd end = s.seen(s.api.awaitIdleByPolling(MEM0, END_TIMEOUT,
                                    t -> lastRunning[0] = t));
                            runs.add(new UploadRun(i, image.length, accepted, lastRunning[0], System.nanoTime(), end));
                            break;
                        }
                        if (put.status() == 409 && (put.error().equals("activation-in-progress")
                                || put.error().equals("reset-in-progress")) && attempt < 500) {
                            Thread.sleep(2);
                            continue;
                        }
                        failed.add("upload " + i + ": PUT answered " + put);
                        s.api.awaitIdleByPolling(MEM0, END_TIMEOUT);
                        break;
                    }
                    Thread.sleep(r.nextInt(16));
                }
                done.set(true);
                s.await(activator, "activator", 30);
                s.await(resetter, "resetter", 30);
            } finally {
                done.set(true);
                pool.shutdownNow();
                pool.awaitTermination(10, TimeUnit.SECONDS);
            }
            long nanos = System.nanoTime() - t0;

            Map<String, Integer> outcomes = new TreeMap<>();
            List<String> unexpected = new ArrayList<>();
            List<String> appliedDuringUpload = new ArrayList<>();
            List<Request> applied = new ArrayList<>();
            int activationsApplied = 0;
            int resetsApplied = 0;
            for (Request q : requests) {
                Response resp = q.response();
                String kind = q.what().startsWith("reset") ? "reset" : q.what().startsWith("activate online")
                        ? "activate online" : "activate on reset";
                String answer = resp.status() + (resp.error().isEmpty() ? "" : " " + resp.error());
                if (resp.status() == 422) {
                    answer += " " + resp.json().path("return_code").asText();
                }
                outcomes.merge(kind + " -> " + answer, 1, Integer::sum);
                // upload, activation and reset exclude each other: a reset is refused while an
                // activation runs and the other way round; 422 is the device's refusal, only ever
                // 000Bh here (an empty or the active slot): a reset can no longer interrupt an activation
                String otherAction = kind.equals("reset") ? "activation-in-progress" : "reset-in-progress";
                boolean documented = resp.status() == 200
                        || (resp.status() == 409 && (resp.error().equals("upload-in-progress")
                                || resp.error().equals(otherAction)))
                        || (!kind.equals("reset") && resp.status() == 422
                                && resp.json().path("return_code").asText().equals("000Bh"));
                if (!documented) {
                    unexpected.add(q.what() + " answered " + resp);
                }
                if (resp.status() == 200) {
                    if (kind.equals("reset")) {
                        resetsApplied++;
                    } else {
                        activationsApplied++;
                    }
                    applied.add(q);
                    for (UploadRun u : runs) {
                        if (u.lastRunning() > 0 && q.sent() > u.accepted() && q.answered() < u.lastRunning()) {
                            appliedDuringUpload.add(q.what() + " applied (200) "
                                    + (q.sent() - u.accepted()) / 1_000_000 + " ms after upload " + u.index()
                                    + "'s 202, answered " + (u.lastRunning() - q.answered()) / 1_000_000
                                    + " ms before a GET that still saw the upload running");
                        }
                    }
                }
            }
            // each failed upload with the applied requests whose time overlapped it (the likely cause)
            Map<String, Integer> failedWith = new TreeMap<>();
            for (UploadRun u : runs) {
                if (!u.end().failed()) {
                    continue;
                }
                List<String> overlapping = new ArrayList<>();
                Set<String> kinds = new java.util.TreeSet<>();
                for (Request q : applied) {
                    if (q.overlaps(u)) {
                        overlapping.add(String.format("%s sent at %+d ms", q.what(),
                                (q.sent() - u.accepted()) / 1_000_000));
                        kinds.add(q.what().replaceAll(" [0-9]+$", ""));
                    }
                }
                failedWith.merge(kinds.isEmpty() ? "no applied activate/reset overlapping" : String.join(" + ", kinds),
                        1, Integer::sum);
                failed.add("upload " + u.index() + " (" + u.size() + " B) ended with " + u.end().kind()
                        + "; applied (200) requests overlapping it (times from its 202): "
                        + (overlapping.isEmpty() ? "none" : overlapping)
                        + "  " + u.end().detail());
            }
            s.stat(String.format("%d uploads in %.1f s; PUT answers %s; activate/reset answers %s", uploads,
                    nanos / 1e9, putAnswers, outcomes));
            s.check(failed.isEmpty(), failed.size() + " of " + uploads + " uploads failed or were refused against "
                    + "the contract; failed uploads by the applied requests overlapping them: " + failedWith
                    + ControlApiClient.first(failed, 12));
            s.check(unexpected.isEmpty(), unexpected.size() + " activate/reset request(s) answered neither as "
                    + "documented nor applied" + ControlApiClient.first(unexpected, 12));
            s.check(appliedDuringUpload.isEmpty(), appliedDuringUpload.size() + " activate/reset request(s) were "
                    + "applied while an upload was certainly running (contract: 409 upload-in-progress)"
                    + ControlApiClient.first(appliedDuringUpload, 12));
            s.check(activationsApplied > 0, "no activation was applied: the scenario exercised none");
            s.check(resetsApplied > 0, "no reset was applied: the scenario exercised none");
            for (int slot = 1; slot <= 3; slot++) {
                Optional<byte[]> p = s.api.slot(MEM0, slot);
                if (p.isPresent()) {
                    String h = sha256(p.get());
                    s.check(h.equals(sha256(FirmwarePackage.factory())) || uploaded.contains(h),
                            "slot " + slot + " holds " + p.get().length + " bytes that are neither the factory "
                                    + "package nor one of the uploaded ones");
                }
            }
        }
    }

    // ---- plumbing ----

    static byte[] pkg(String revision, int bodyLength, Random r) {
        byte[] body = new byte[bodyLength];
        r.nextBytes(body);
        return FirmwarePackage.builder().revision(revision).securityVersion(0).body(body).build().toByteArray();
    }

    private static int[] permutation(int n, Random r) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        Collections.shuffle(l, r);
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One scenario's daemon and everything wrong seen in it. {@link #close()} runs the end checks
     * (log, liveness) and fails with every problem, the seed and the daemon's relevant log lines.
     */
    private static final class Scenario implements AutoCloseable {
        final String name;
        final long seed = seed();
        final DaemonProcess daemon;
        final ControlApiClient api;
        private final long t0 = System.nanoTime();
        private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        private final List<String> stats = new ArrayList<>();
        private final AtomicInteger readWriteErrors = new AtomicInteger();
        private final Map<String, Integer> errorKinds = new ConcurrentHashMap<>();

        Scenario(String name, Path dir, String... args) throws IOException, InterruptedException {
            this.name = name;
            this.daemon = DaemonProcess.start(dir.resolve("state"), args);
            this.api = new ControlApiClient(daemon.info());
            System.out.printf("upload-load %s: seed %d (replay: -Dcxlkit.load.seed=%d); serve %s%n", name, seed, seed,
                    String.join(" ", args));
        }

        /** Counts an observed upload end that failed with read-write-error; returns it. */
        UploadEnd seen(UploadEnd end) {
            if (end.error().filter(e -> e.contains("read-write-error")).isPresent()) {
                readWriteErrors.incrementAndGet();
            }
            if (end.failed()) {
                errorKinds.merge(end.kind(), 1, Integer::sum);
            }
            return end;
        }

        void check(boolean ok, String problem) {
            if (!ok) {
                problems.add(problem);
            }
        }

        void stat(String line) {
            stats.add(line);
            System.out.println("upload-load " + name + ": " + line);
        }

        void checkSlotHolds(String memdev, int slot, byte[] expected, String what)
                throws IOException, InterruptedException {
            Optional<byte[]> actual = api.slot(memdev, slot);
            check(actual.isPresent() && Arrays.equals(actual.get(), expected), what + ": expected the "
                    + expected.length + "-byte package, found " + actual.map(b -> b.length + " other bytes")
                    .orElse("an empty slot"));
        }

        void await(Future<?> f, String what, int seconds) throws InterruptedException {
            try {
                f.get(seconds, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                problems.add(what + " thread failed: " + c
                        + (c.getStackTrace().length > 0 ? " at " + c.getStackTrace()[0] : ""));
            } catch (java.util.concurrent.TimeoutException e) {
                problems.add(what + " thread did not finish within " + seconds + " s");
                f.cancel(true);
            }
        }

        @Override
        public void close() throws Exception {
            try {
                String log = daemon.log();
                List<String> stack = ControlApiClient.stackTraceLines(log);
                check(stack.isEmpty(), "daemon log: " + stack.size() + " stack-trace line(s) ('Exception in thread' "
                        + "or '^\\s+at ')" + ControlApiClient.first(stack, 15));
                List<String> rwe = ControlApiClient.linesWith(log, "read-write-error");
                check(rwe.isEmpty(), "daemon log: " + rwe.size() + " line(s) with read-write-error"
                        + ControlApiClient.first(rwe, 10));
                check(readWriteErrors.get() == 0, readWriteErrors.get() + " upload(s) ended with read-write-error "
                        + "(cxlkit.upload.error or the end event)");
                check(daemon.process().isAlive(), "the daemon is no longer running");
                try {
                    Response list = api.memdevs();
                    check(list.status() == 200, "GET /v1/memdevs at the end answered " + list);
                } catch (IOException e) {
                    problems.add("GET /v1/memdevs at the end failed: " + e);
                }
                if (!errorKinds.isEmpty()) {
                    stat("upload ends by error: " + new TreeMap<>(errorKinds));
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("upload-load %s: %s in %.1f s%n", name,
                        problems.isEmpty() ? "passed" : problems.size() + " problem(s)", seconds);
                if (!problems.isEmpty()) {
                    Map<String, List<String>> relevant = new LinkedHashMap<>();
                    relevant.put("warnings, errors and failures", ControlApiClient.relevantLines(log));
                    StringBuilder b = new StringBuilder();
                    b.append("upload-load scenario '").append(name).append("' (seed ").append(seed)
                            .append(", replay with -Dcxlkit.load.seed=").append(seed).append("): ")
                            .append(problems.size()).append(" problem(s) in ")
                            .append(String.format("%.1f s", seconds));
                    for (String p : problems) {
                        b.append("\n  - ").append(p.replace("\n", "\n  "));
                    }
                    for (String st : stats) {
                        b.append("\n  stats: ").append(st);
                    }
                    for (var e : relevant.entrySet()) {
                        b.append("\n  daemon log, ").append(e.getKey()).append(" (").append(e.getValue().size())
                                .append(" lines):").append(ControlApiClient.first(e.getValue(), 25));
                    }
                    b.append("\n  daemon log, last lines:").append(ControlApiClient.tail(log, 15));
                    throw new AssertionError(b.toString());
                }
            } finally {
                daemon.close();
            }
        }
    }

}
