package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code poison --inject/--clear}, {@code list -L}, and {@code sanitize-memdev} + {@code wait-sanitize}
 * as real processes against a real daemon, back to back and then concurrently (memdev-commands.md
 * §13.3-13.5, §15.1, §15.5). Every run must succeed, with one exception the contract names: a
 * sanitize while another one sent through the host runs on that memdev is refused (409
 * {@code sanitize-active}), which is counted as such, never taken for a success. The failures are
 * counted and must be 0, and the daemon's output has no stack trace.
 */
class MediaSanitizeLoadIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BACK_TO_BACK = 5;
    private static final int POISON_CLIENTS = 2;
    private static final int LIST_CLIENTS = 2;
    private static final int SANITIZE_CLIENTS = 2;
    private static final int ROUNDS = 4;
    /** Where each poison client works on mem0: a region of its own, 64 KiB apart. */
    private static final long REGION = 64 * 1024;

    private static final String SANITIZE_ACTIVE = "cxlkit: sanitize-memdev: mem1: a sanitize is already running\n"
            + "cxlkit: sanitize-memdev: sanitize started on 0 mem device\n";

    @TempDir
    Path dir;

    @Test
    void poisonListsAndSanitizesBackToBackAndConcurrently() throws Exception {
        Path state = dir.resolve("state");
        // mem0 takes the poison (a volatile and a persistent partition, so -L reads both); mem1 sanitizes
        Path config = java.nio.file.Files.writeString(dir.resolve("devices.json"),
                "{\"devices\":[{\"name\":\"mem0\",\"ram_size\":\"256MiB\"},{\"name\":\"mem1\"}]}");
        try (DaemonProcess daemon = DaemonProcess.start(state, "--config", config.toString(), "--timing", "instant",
                "--sanitize-time", "200ms")) {
            CliLoad load = new CliLoad(state);
            AtomicInteger refusedAsActive = new AtomicInteger();

            for (int i = 0; i < BACK_TO_BACK; i++) {
                String what = "back-to-back " + i;
                // one line in the volatile partition, one in the persistent one
                long dpa = i % 2 == 0 ? 0x1000L * (i + 1) : (256L << 20) + 0x1000L * i;
                poison(load, "--inject", dpa, what);
                listed(load, dpa, true, what);
                poison(load, "--clear", dpa, what);
                listed(load, dpa, false, what);
                if (!sanitize(load, what)) {
                    load.failed(what + ": a sanitize with none running was refused as active");
                }
                waitSanitize(load, what);
            }

            load.clients(POISON_CLIENTS, ROUNDS, (client, i) -> {
                long dpa = (client + 1) * REGION + 64L * i;
                String what = "poison client " + client + " round " + i;
                poison(load, "--inject", dpa, what);
                poison(load, "--clear", dpa, what);
            });
            load.clients(LIST_CLIENTS, ROUNDS, (client, i) -> list(load, "lister " + client + " round " + i));
            load.clients(SANITIZE_CLIENTS, ROUNDS, (client, i) -> {
                String what = "sanitizer " + client + " round " + i;
                if (!sanitize(load, what)) {
                    refusedAsActive.incrementAndGet();
                }
                waitSanitize(load, what);
            });
            load.runClients();

            load.assertAllSucceeded(BACK_TO_BACK * 6 + POISON_CLIENTS * ROUNDS * 2 + LIST_CLIENTS * ROUNDS
                    + SANITIZE_CLIENTS * ROUNDS * 2);
            // refusals are the contract's answer to a concurrent sanitize, not successes: at most one per round
            // of the two sanitizers can be refused, and some sanitize of each round pair started
            assertThat(refusedAsActive.get()).isLessThan(SANITIZE_CLIENTS * ROUNDS);
            assertThat(daemon.terminate()).isZero();
            assertThat(daemon.log()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    /** poison --inject/--clear: prints nothing, exit 0. */
    private static void poison(CliLoad load, String option, long dpa, String what) throws Exception {
        LauncherProcess.Result r = load.cxlkit("poison", "mem0", option, "0x" + Long.toHexString(dpa));
        if (r.exit() != 0 || !r.stdout().isEmpty() || !r.stderr().isEmpty()) {
            load.failed(what + ": poison " + option + " 0x" + Long.toHexString(dpa) + ": exit " + r.exit() + " "
                    + r.stdout() + r.stderr());
        }
    }

    /** list -L -m mem0: the line at {@code dpa} is listed as one Injected run, or not at all. */
    private static void listed(CliLoad load, long dpa, boolean expected, String what) throws Exception {
        LauncherProcess.Result r = load.cxlkit("list", "-L", "-m", "mem0");
        boolean found = false;
        if (r.exit() == 0 && r.stderr().isEmpty()) {
            for (JsonNode e : JSON.readTree(r.stdout()).get(0).path("media_errors")) {
                found |= e.path("offset").asLong() == dpa && e.path("length").asLong() == 64
                        && e.path("source").asText().equals("Injected") && !e.has("flags");
            }
        }
        if (r.exit() != 0 || !r.stderr().isEmpty() || found != expected) {
            load.failed(what + ": list -L: exit " + r.exit() + (expected ? ", 0x" : ", still 0x")
                    + Long.toHexString(dpa) + " " + r.stdout() + r.stderr());
        }
    }

    /** list -L of both memdevs (mem1 may be sanitizing: its list is then left out): exit 0, two memdevs. */
    private static void list(CliLoad load, String what) throws Exception {
        LauncherProcess.Result r = load.cxlkit("list", "-L");
        if (r.exit() != 0 || !r.stderr().isEmpty() || JSON.readTree(r.stdout()).size() != 2) {
            load.failed(what + ": list -L: exit " + r.exit() + " " + r.stdout() + r.stderr());
        }
    }

    /**
     * sanitize-memdev mem1: true when it started; false when it was refused because another one runs
     * (exactly the contract's words); anything else is a failure.
     */
    private static boolean sanitize(CliLoad load, String what) throws Exception {
        LauncherProcess.Result r = load.cxlkit("sanitize-memdev", "mem1");
        if (r.exit() == 0 && r.stdout().isEmpty()
                && r.stderr().equals("cxlkit: sanitize-memdev: sanitize started on 1 mem device\n")) {
            return true;
        }
        if (r.exit() == 1 && r.stdout().isEmpty() && r.stderr().equals(SANITIZE_ACTIVE)) {
            return false;
        }
        load.failed(what + ": sanitize-memdev: exit " + r.exit() + " " + r.stdout() + r.stderr());
        return true;
    }

    private static void waitSanitize(CliLoad load, String what) throws Exception {
        LauncherProcess.Result r = load.cxlkit("wait-sanitize", "mem1", "-t", "30000");
        if (r.exit() != 0 || !r.stdout().isEmpty()
                || !r.stderr().equals("cxlkit: wait-sanitize: wait sanitize completed on 1 mem device\n")) {
            load.failed(what + ": wait-sanitize: exit " + r.exit() + " " + r.stdout() + r.stderr());
        }
    }
}
