package io.cxlkit.bench;

import io.cxlkit.server.state.DaemonInfo;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Whole processes: the shipped launcher, a serve daemon's RSS, java -version. */
final class Processes {
    private Processes() {
    }

    static Path root() {
        return Path.of(System.getProperty("cxlkit.root", ".")).toAbsolutePath().normalize();
    }

    /** Best wall time in seconds of {@code runs} runs of {@code command} (after one warm-up). */
    static double bestWallSeconds(List<String> command, int runs) throws IOException, InterruptedException {
        double best = Double.MAX_VALUE;
        for (int i = 0; i <= runs; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed");
            }
            double s = (System.nanoTime() - t0) / 1e9;
            if (i > 0) {
                best = Math.min(best, s);
            }
        }
        return best;
    }

    /** Starts {@code bin/cxlkit serve --devices n} and returns its resident set size in MiB once ready. */
    static double serveRssMiB(int devices, Path stateDir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(root().resolve("bin/cxlkit").toString(), "serve", "--state-dir",
                stateDir.toString(), "--devices", Integer.toString(devices), "--cci-listen", "127.0.0.1:0",
                "--timing", "instant", "--log-level", "warn"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("CXLKIT_NO_BUILD", "1");
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (DaemonInfo.find(stateDir).isEmpty()) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("serve --devices " + devices + " did not start");
                }
                Thread.sleep(50);
            }
            long pid = DaemonInfo.find(stateDir).orElseThrow().pid();
            return statusKiB(pid, "VmRSS") / 1024.0;
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A field of /proc/PID/status in KiB (VmRSS, VmHWM). */
    static long statusKiB(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException(field + " not in /proc/" + pid + "/status");
    }

    static String javaCommand() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
