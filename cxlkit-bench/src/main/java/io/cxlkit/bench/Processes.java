package io.cxlkit.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Starts {@code bin/cxlkit serve --devices n} in {@code work} and returns its resident set size in MiB once ready. */
    static double serveRssMiB(int devices, Path work) throws Exception {
        try (ServeProcess serve = ServeProcess.start(work, devices, "instant")) {
            double mib = serve.sample().rssMiB();
            serve.stop();
            return mib;
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
