package io.cxlkit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxlkit.server.state.DaemonInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * (5) A fleet in one daemon process: N devices all uploading a 1 MiB image at once through the
 * control API. Wall time from the first PUT until no upload runs, and the daemon's peak RSS.
 */
final class Fleet {
    private Fleet() {
    }

    record Result(double seconds, double peakRssMiB) {
    }

    static Result run(int devices, Path stateDir, byte[] image) throws Exception {
        List<String> cmd = List.of(Processes.root().resolve("bin/cxlkit").toString(), "serve", "--state-dir",
                stateDir.toString(), "--devices", Integer.toString(devices), "--cci-listen", "127.0.0.1:0",
                "--timing", "instant", "--fw-verify", "none", "--log-level", "info");
        // the daemon's log goes beside the state directory, for a look when a figure fails
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stateDir.resolveSibling("serve-" + devices + ".log").toFile());
        pb.environment().put("CXLKIT_NO_BUILD", "1");
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (DaemonInfo.find(stateDir).isEmpty()) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("serve --devices " + devices + " did not start");
                }
                Thread.sleep(100);
            }
            DaemonInfo info = DaemonInfo.find(stateDir).orElseThrow();
            ExecutorService clients = Executors.newFixedThreadPool(32);
            long t0 = System.nanoTime();
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                String name = "mem" + i;
                puts.add(clients.submit(() -> {
                    put(info, name, image);
                    return null;
                }));
            }
            for (Future<?> f : puts) {
                f.get();
            }
            clients.shutdown();
            while (anyUploadRunning(info)) {
                Thread.sleep(200);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double peak = Processes.statusKiB(info.pid(), "VmHWM") / 1024.0;
            return new Result(seconds, peak);
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static void put(DaemonInfo info, String memdev, byte[] image) throws IOException {
        HttpURLConnection c = open(info, "PUT", "/v1/memdevs/" + memdev + "/firmware");
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(image.length);
        try (OutputStream out = c.getOutputStream()) {
            out.write(image);
        }
        if (c.getResponseCode() != 202) {
            throw new IOException(memdev + ": PUT answered " + c.getResponseCode());
        }
        c.getInputStream().readAllBytes();
    }

    private static boolean anyUploadRunning(DaemonInfo info) throws IOException {
        HttpURLConnection c = open(info, "GET", "/v1/memdevs");
        c.setReadTimeout(300_000);
        try (InputStream in = c.getInputStream()) {
            JsonNode list = new ObjectMapper().readTree(in);
            for (JsonNode m : list) {
                if (!m.path("cxlkit").path("upload").path("status").asText().equals("idle")) {
                    return true;
                }
                JsonNode error = m.path("cxlkit").path("upload").path("error");
                if (!error.isMissingNode()) {
                    throw new IOException(m.path("memdev").asText() + ": " + error.asText());
                }
            }
            return false;
        }
    }

    private static HttpURLConnection open(DaemonInfo info, String method, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(info.http() + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setRequestProperty("Authorization", "Bearer " + info.token());
        return c;
    }
}
