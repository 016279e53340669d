package io.cxlkit.cli.update;

import io.cxlkit.cli.ApiError;
import io.cxlkit.cli.DaemonClient;
import io.cxlkit.cli.DaemonCommand;
import io.cxlkit.cli.DeviceErrorHints;
import io.cxlkit.cli.Failure;
import io.cxlkit.cli.MemdevFilterOptions;
import io.cxlkit.cli.MemdevSelector;
import io.cxlkit.cli.StrictOption;
import io.cxlkit.cli.Terminal;
import io.cxlkit.cli.progress.ProgressBar;
import io.cxlkit.cli.progress.TerminalColumns;
import io.cxlkit.host.json.MemdevView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit update-firmware}: ndctl's {@code cxl update-firmware} (cli.md). {@code -F} hands the
 * image to each memdev's host driver through the daemon and prints the object the daemon returned
 * on acceptance; {@code -w} waits for the uploads to end (progress bar on a terminal); {@code -c}
 * cancels. With {@code --cci} the same upload runs in this process over the socket endpoint.
 */
@Command(name = "update-firmware", mixinStandardHelpOptions = true,
        description = "Upload a firmware image to memdevs (as ndctl's cxl update-firmware).")
public final class UpdateFirmwareCommand extends DaemonCommand {

    /** The control API's error for a cancel with no upload running (409). */
    private static final String NOTHING_TO_CANCEL = "idle";

    @Parameters(paramLabel = "MEMDEV", arity = "0..*", description = "memN, N or all; serial numbers with -S")
    List<String> memdevs = new ArrayList<>();

    @Option(names = {"-F", "--firmware-file"}, paramLabel = "FILE", description = "the image to upload")
    Path file;

    @Option(names = {"-w", "--wait"}, description = "wait until the uploads end")
    boolean waitForEnd;

    @Option(names = {"-c", "--cancel"}, description = "cancel the running uploads (wins over -F, as in ndctl)")
    boolean cancel;

    @Option(names = {"-v", "--verbose"}, description = "say what happens while waiting")
    boolean verbose;

    @Option(names = "--cci", paramLabel = "ADDR", description = "upload in-process over a CCI socket endpoint "
            + "(tcp:H:P, tcp://H:P, unix:PATH), no daemon; always waits")
    String cci;

    @Option(names = "--eid", paramLabel = "N", description = "the device's EID on --cci")
    Integer eid;

    @Mixin
    MemdevFilterOptions filter;

    @Mixin
    StrictOption strict;

    /** The memdevs whose end -w has not seen yet: what a Ctrl-C leaves running in the daemon. */
    private final Set<String> unfinished = ConcurrentHashMap.newKeySet();
    /** The bar -w draws, if any; a Ctrl-C ends its line before saying anything. */
    private volatile ProgressBar progress;

    @Override
    protected int execute() throws Exception {
        if (cci != null) {
            return new SocketUpload(this).run();
        }
        if (eid != null) {
            throw usage("--eid goes with --cci");
        }
        if (file == null && !waitForEnd && !cancel) {
            throw usage("nothing to do: give -F FILE, -w or -c");
        }
        MemdevSelector selector = selector(memdevs, filter);
        // as ndctl: -c wins over -F, whose file is not even looked at then
        Path image = cancel ? null : file;
        if (image != null) {
            checkImage(image);
        }
        Selection selection = resolve(selector);
        List<String> names = selection.names();
        Map<String, MemdevView> views = new LinkedHashMap<>();
        List<String> ok = new ArrayList<>();
        if (waitForEnd) {
            subscribeBeforeStarting();
        }
        // the bar's total per upload this command is about, known before the first look
        Map<String, Long> totals = new LinkedHashMap<>();
        if (cancel) {
            ok.addAll(cancelEach(names, totals));
        } else if (image != null) {
            long size = Files.size(image);
            ok.addAll(startEach(names, image, size, views));
            ok.forEach(name -> totals.put(name, size));
        } else {
            ok.addAll(names); // -w alone: every memdev is waited for
        }
        if (waitForEnd) {
            List<String> waited = new ArrayList<>();
            views.clear();
            unfinished.addAll(ok);
            Map<String, MemdevView> ends;
            try (SigintHandler ignored = SigintHandler.install(this::interruptedWhileWaiting)) {
                ends = waitAll(ok, totals);
            }
            for (var e : ends.entrySet()) {
                MemdevView v = e.getValue();
                views.put(e.getKey(), v);
                Optional<String> failure = UploadOutcome.failure(v);
                boolean expected = cancel ? UploadOutcome.cancelled(v) : failure.isEmpty();
                if (expected || (image == null && !cancel && !waitedForRun(e.getKey()))) {
                    waited.add(e.getKey());
                } else {
                    report(e.getKey() + ": " + failure.map(f -> f + DeviceErrorHints.upload(v)
                            .map(h -> DeviceErrorHints.SEPARATOR + h).orElse(""))
                            .orElse("the upload completed before the cancel took effect"));
                }
            }
            if (cancel) {
                // -w asked for more than ndctl's -c (which prints no memdev): the cancelled ones as they ended
                printAffected(affected(List.copyOf(ends.keySet()), views));
            }
            ok = waited;
        }
        if (!cancel) {
            printAffected(affected(names, views));
        } else if (!waitForEnd) {
            printAffected(List.of()); // as ndctl, whose cancel adds no memdev to its list
        }
        String verb = cancel ? "cancelled" : waitForEnd ? "completed" : "started";
        // as ndctl: "s" only when N > 1 ("on 0 mem device" when every memdev failed)
        err().println("cxlkit: update-firmware: firmware update " + verb + " on " + ok.size() + " mem device"
                + (ok.size() > 1 ? "s" : ""));
        err().flush();
        return strict.exitStatus(ok.size(), selection.attempted());
    }

    /**
     * Hands {@code image} to each memdev's host driver; the memdevs that accepted it, with the object
     * each answered in {@code views}. A memdev that refuses is one line (its JSON is still printed).
     */
    private List<String> startEach(List<String> names, Path image, long size, Map<String, MemdevView> views)
            throws IOException, InterruptedException {
        Outcome<String> started = forEach(names, name -> {
            MemdevView v = memdev(name);
            long max = v.cxlkit().map(MemdevView.CxlkitView::fwMaxSize).orElse(Long.MAX_VALUE);
            if (size > max) {
                throw new IOException(image + " (" + size + " bytes) is larger than " + name + "'s maximum package "
                        + "size (" + max + " bytes)");
            }
            // The daemon refuses a second upload (409) before reading the body, and an image
            // larger than what it drains then arrives as "Connection reset" instead: say it here.
            if (UploadOutcome.inProgress(v)) {
                throw new IOException("a firmware upload is already running");
            }
            return daemon().put(memdevPath(name) + "/firmware", image);
        });
        for (var e : started.succeeded().entrySet()) {
            views.put(e.getKey(), view(DaemonClient.parse(e.getValue())));
        }
        return List.copyOf(started.succeeded().keySet());
    }

    /**
     * Asks each memdev's host driver to cancel its upload; the memdevs that took the request. As
     * ndctl's cancel (which gives up with ENXIO when the loader is idle, without a word), a memdev
     * with nothing running is skipped silently and not counted; any other refusal (the last part
     * already sent) is one line. Under -w on a terminal it notes each upload's size for the bar.
     */
    private List<String> cancelEach(List<String> names, Map<String, Long> totals) throws InterruptedException {
        boolean bar = waitForEnd && Terminal.current().stderrTty();
        Outcome<Boolean> cancelled = forEach(names, name -> {
            if (bar) {
                // The image size shows only while in progress, and the cancel's own answer may
                // come after the upload stopped: look before cancelling.
                try {
                    MemdevView before = memdev(name);
                    if (UploadOutcome.inProgress(before)) {
                        totals.put(name, UploadOutcome.progress(before)[1]);
                    }
                } catch (IOException | ApiError e) {
                    // only the bar needs it; the cancel says what is wrong
                }
            }
            try {
                daemon().delete(memdevPath(name) + "/firmware/upload");
                return true;
            } catch (ApiError e) {
                if (e.error().equals(NOTHING_TO_CANCEL)) {
                    return false;
                }
                throw e;
            }
        });
        return cancelled.succeeded().entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    }

    /**
     * Ctrl-C during {@code -w}: the wait stops, the uploads do not (they belong to the daemon).
     * Ends the bar's line, says so for each memdev not seen to end, with the command that stops it,
     * and exits 130 as a shell expects of SIGINT. Runs on the signal's thread.
     */
    private void interruptedWhileWaiting() {
        abandonBar();
        for (String name : unfinished) {
            report(name + (cancel ? ": the cancel continues in the daemon"
                    : ": the upload continues in the daemon; cancel it with cxlkit update-firmware " + name + " -c"
                    + stateDir.asOption()));
        }
        err().flush();
        out().flush();
        System.exit(SigintHandler.EXIT_STATUS);
    }

    private void abandonBar() {
        ProgressBar bar = progress;
        if (bar != null) {
            bar.abandon();
        }
    }

    /** How long a failed look waits to see the daemon gone: its clean stop takes up to 5 s (wire.md §2). */
    static final long DAEMON_STOP_MILLIS = 5_000;

    /**
     * A look at {@code name} during the wait. If it fails the bar's line ends first, so the error
     * starts a line of its own. A daemon that is stopping (its control API closes before its
     * daemon.json goes) is said in those words once it is gone: its stop cancelled the uploads
     * (wire.md §2). Any other failure is said as it is.
     */
    private MemdevView lookWhileWaiting(String name) throws IOException, ApiError, InterruptedException {
        try {
            return memdev(name);
        } catch (ApiError e) {
            abandonBar(); // the daemon answered: it says what is wrong
            throw e;
        } catch (IOException | RuntimeException e) {
            abandonBar();
            Path dir = daemon().stateDir();
            long deadline = System.nanoTime() + DAEMON_STOP_MILLIS * 1_000_000;
            while (DaemonClient.find(dir).isPresent()) {
                if (System.nanoTime() >= deadline) {
                    throw e;
                }
                Thread.sleep(50); // the daemon is another process: its state directory is all there is to watch
            }
            throw new Failure(name + ": the daemon for " + dir + " stopped during the wait; a stopping daemon "
                    + "cancels the uploads it runs");
        }
    }

    /**
     * The objects to print, in MEMDEV order: the one already in hand for each memdev that got one
     * (the answer at acceptance, or the final object after waiting), a fresh look for each that
     * failed (cli.md: a failed memdev's JSON is still printed), skipped if the daemon cannot give it.
     */
    private List<MemdevView> affected(List<String> names, Map<String, MemdevView> views) {
        List<MemdevView> shown = new ArrayList<>();
        for (String name : names) {
            MemdevView v = views.get(name);
            if (v == null) {
                try {
                    v = memdev(name);
                } catch (IOException | ApiError e) {
                    continue; // its failure line is out already
                }
            }
            shown.add(v);
        }
        return shown;
    }

    picocli.CommandLine.ParameterException usageError(String message) {
        return usage(message);
    }

    java.io.PrintWriter stdout() {
        return out();
    }

    java.io.PrintWriter stderr() {
        return err();
    }

    private final java.util.Set<String> sawRunning = new java.util.HashSet<>();

    private boolean waitedForRun(String name) {
        return sawRunning.contains(name);
    }


    /** The image checks made before anything is contacted. */
    static void checkImage(Path file) {
        if (!Files.exists(file)) {
            throw new Failure(file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new Failure(file + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new Failure(file + " is not readable");
        }
        try {
            if (Files.size(file) == 0) {
                throw new Failure(file + " is empty");
            }
        } catch (IOException e) {
            throw new Failure(file + ": " + e.getMessage());
        }
    }

    /** -w's subscription to upload events, taken before this command starts or cancels an upload. */
    private UploadWaiter.Events subscription;
    /** Why that subscription could not be had (an IOException or ApiError); then the wait looks. */
    private Exception subscriptionRefused;

    /**
     * -w: subscribes to the daemon's upload events before this command starts (or cancels) any
     * upload. The end of every upload it starts or cancels then comes as an event, and the wait
     * needs no look to learn whether it came before the subscription: the only looks left are the
     * final ones, and none lands on a device busy with the upload.
     */
    private void subscribeBeforeStarting() {
        try {
            subscription = EventStream.open(daemon(), UploadWaiter.EVENTS_PATH);
        } catch (IOException | ApiError e) {
            subscriptionRefused = e;
        }
    }

    /**
     * Waits until no memdev in {@code names} has an upload running, on the daemon's event stream
     * ({@link UploadWaiter}); their final objects. The bar (on a stderr terminal) counts only the
     * uploads this wait is about: those in {@code totals} (started here, with their image sizes)
     * and those seen running. With -F or -c, {@code names} are the memdevs whose upload this
     * command started or cancelled, all after it subscribed.
     */
    private Map<String, MemdevView> waitAll(List<String> names, Map<String, Long> totals)
            throws IOException, ApiError, InterruptedException {
        Set<String> runningSinceSubscribing = subscription != null && (file != null || cancel)
                ? Set.copyOf(names) : Set.of();
        boolean terminal = Terminal.current().stderrTty();
        try (TerminalColumns columns = terminal ? TerminalColumns.watch() : null) {
            UploadWaiter.Display display = shown -> {
                if (!terminal) {
                    return null;
                }
                progress = new ProgressBar(err(), System::nanoTime, columns, shown);
                return progress;
            };
            Consumer<String> say = !verbose ? null : line -> {
                ProgressBar bar = progress;
                if (bar != null) {
                    bar.message("cxlkit: update-firmware: " + line);
                } else {
                    err().println("cxlkit: update-firmware: " + line);
                    err().flush();
                }
            };
            UploadWaiter.Daemon source = new UploadWaiter.Daemon() {
                @Override
                public UploadWaiter.Events subscribe() throws IOException, ApiError {
                    UploadWaiter.Events taken = subscription;
                    subscription = null;
                    if (taken != null) {
                        return taken;
                    }
                    if (subscriptionRefused instanceof ApiError e) {
                        throw e;
                    }
                    if (subscriptionRefused instanceof IOException e) {
                        throw e;
                    }
                    return EventStream.open(daemon(), UploadWaiter.EVENTS_PATH);
                }

                @Override
                public MemdevView look(String memdev) throws IOException, ApiError, InterruptedException {
                    return lookWhileWaiting(memdev);
                }
            };
            UploadWaiter.Listener listener = new UploadWaiter.Listener() {
                @Override
                public void running(String memdev) {
                    sawRunning.add(memdev);
                }

                @Override
                public void ended(String memdev) {
                    unfinished.remove(memdev);
                }
            };
            return new UploadWaiter(source, listener, display, say, Thread::sleep)
                    .await(names, totals, runningSinceSubscribing);
        }
    }
}
