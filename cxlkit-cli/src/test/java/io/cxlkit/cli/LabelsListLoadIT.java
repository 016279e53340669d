package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * write-labels / read-labels, {@code list -H -I -A}, set-alert-config and set-partition as real
 * processes against a real daemon,
 * back to back and then concurrently (memdev-commands.md §13.2, §15.1-15.2): every label write
 * reads back as written, every list has the three objects for every memdev; the failures are
 * counted and must be 0, and the daemon's output has no stack trace.
 */
class LabelsListLoadIT {

    private static final int S = Expected.DEFAULT_LSA_SIZE;
    private static final int BACK_TO_BACK = 8;
    private static final int LABEL_CLIENTS = 4;
    private static final int LIST_CLIENTS = 2;
    /** Clients that set the alert configuration and the partitioning (the same values: each run must succeed). */
    private static final int SETTINGS_CLIENTS = 1;
    private static final int ROUNDS = 5;

    @TempDir
    Path dir;

    @Test
    void labelsAndListsBackToBackAndConcurrentlyAllSucceed() throws Exception {
        Path state = dir.resolve("state");
        try (DaemonProcess daemon = DaemonProcess.start(state, "--devices", "2", "--timing", "instant",
                "--partitionable-capacity", "1GiB", "--partition-align", "256MiB")) {
            CliLoad load = new CliLoad(state);

            // back to back: whole-area and odd-sized writes, each read back, and a list after each
            Random random = new Random(15);
            for (int i = 0; i < BACK_TO_BACK; i++) {
                int offset = i == 0 ? 0 : random.nextInt(S);
                int size = i == 0 ? S : 1 + random.nextInt(S - offset);
                labelRound(load, "mem" + (i % 2), offset, size, random, "back-to-back " + i);
                list(load, "back-to-back " + i);
                settings(load, "back-to-back " + i);
            }

            // concurrently: each label client in a region of its own on both memdevs, lists alongside
            int region = S / LABEL_CLIENTS;
            Random[] randoms = new Random[LABEL_CLIENTS];
            for (int c = 0; c < LABEL_CLIENTS; c++) {
                randoms[c] = new Random(100 + c);
            }
            load.clients(LABEL_CLIENTS, ROUNDS, (client, i) -> {
                Random r = randoms[client];
                int offset = client * region + r.nextInt(region / 2);
                int size = 1 + r.nextInt(region / 2);
                labelRound(load, "mem" + ((client + i) % 2), offset, size, r, "client " + client + " round " + i);
            });
            load.clients(LIST_CLIENTS, ROUNDS, (client, i) -> list(load, "lister " + client + " round " + i));
            load.clients(SETTINGS_CLIENTS, ROUNDS, (client, i) -> settings(load, "settings " + client + " round " + i));
            load.runClients();

            load.assertAllSucceeded(BACK_TO_BACK * 5 + LABEL_CLIENTS * ROUNDS * 2 + LIST_CLIENTS * ROUNDS
                    + SETTINGS_CLIENTS * ROUNDS * 2);
            assertThat(daemon.terminate()).isZero();
            assertThat(daemon.log()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    /** write-labels of random bytes, then read-labels of the same range, compared. */
    private void labelRound(CliLoad load, String memdev, int offset, int size, Random random, String what)
            throws Exception {
        byte[] data = new byte[size];
        random.nextBytes(data);
        Path in = Files.createTempFile(dir, "in", ".bin");
        Path out = dir.resolve(in.getFileName() + ".out");
        Files.write(in, data);
        LauncherProcess.Result w = load.cxlkit("write-labels", memdev, "-O", Integer.toString(offset), "-i",
                in.toString());
        if (w.exit() != 0 || !w.stderr().equals("cxlkit: write-labels: wrote 1 mem\n")) {
            load.failed(what + ": write-labels " + memdev + " " + size + "@" + offset + ": exit " + w.exit() + " "
                    + w.stderr());
            return;
        }
        LauncherProcess.Result r = load.cxlkit("read-labels", memdev, "-O", Integer.toString(offset), "-s",
                Integer.toString(size), "-o", out.toString());
        if (r.exit() != 0 || !Arrays.equals(Files.readAllBytes(out), data)) {
            load.failed(what + ": read-labels " + memdev + " " + size + "@" + offset + ": exit " + r.exit() + " "
                    + r.stderr() + (r.exit() == 0 ? " (other bytes)" : ""));
        }
    }

    private static void list(CliLoad load, String what) throws Exception {
        LauncherProcess.Result l = load.cxlkit("list", "-H", "-I", "-A");
        String out = l.stdout();
        if (l.exit() != 0 || !l.stderr().isEmpty() || count(out, "\"health\":{") != 2 || count(out, "\"alert_config\":{") != 2
                || count(out, "\"partition_info\":{") != 2 || !out.contains("\"temperature\":25,")) {
            load.failed(what + ": list -H -I -A: exit " + l.exit() + " " + out + l.stderr());
        }
    }

    /** set-alert-config and set-partition with the same values every time: each must succeed. */
    private static void settings(CliLoad load, String what) throws Exception {
        LauncherProcess.Result a = load.cxlkit("set-alert-config", "mem0", "-L", "30", "--life-used-alert", "on");
        if (a.exit() != 0 || !a.stderr().equals("cxlkit: set-alert-config: set alert configuration for 1 mem\n")
                || !a.stdout().contains("\"life_used_prog_warn_threshold\":30,")) {
            load.failed(what + ": set-alert-config: exit " + a.exit() + " " + a.stdout() + a.stderr());
        }
        LauncherProcess.Result p = load.cxlkit("set-partition", "mem1", "-t", "ram", "-s", "512M");
        if (p.exit() != 0 || !p.stderr().equals("cxlkit: set-partition: set_partition 1 mem\n")
                || !p.stdout().contains("\"partition_info\":{")) {
            load.failed(what + ": set-partition: exit " + p.exit() + " " + p.stdout() + p.stderr());
        }
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
