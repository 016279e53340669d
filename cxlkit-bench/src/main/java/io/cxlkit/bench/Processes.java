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

    /** Untimed rounds before {@link #bestWallSeconds(List, int)} times any. */
    static final int WARMUP_ROUNDS = 2;

    /**
     * Best wall times in seconds of {@code runs} runs of each of {@code commands}, run in rounds of
     * one each (so that a slow spell of the machine hits them alike), after
     * {@link #WARMUP_ROUNDS} untimed rounds. Output is discarded; a command that fails fails this.
     */
    static double[] bestWallSeconds(List<List<String>> commands, int runs) throws IOException, InterruptedException {
        double[] best = new double[commands.size()];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (int round = 0; round < WARMUP_ROUNDS + runs; round++) {
            for (int c = 0; c < commands.size(); c++) {
                double s = wallSeconds(commands.get(c));
                if (round >= WARMUP_ROUNDS) {
                    best[c] = Math.min(best[c], s);
                }
            }
        }
        return best;
    }

    /** Wall time in seconds of one run of {@code command}, from its start to its exit. */
    static double wallSeconds(List<String> command) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed");
        }
        return (System.nanoTime() - t0) / 1e9;
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
