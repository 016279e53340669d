package io.cxlkit.cli;

import io.cxlkit.device.persist.FileTrees;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.server.Daemon;
import io.cxlkit.server.Logs;
import io.cxlkit.server.PlatformConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.logging.Level;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxlkit demo}: the whole firmware-update story on an embedded platform in a temporary
 * directory, nothing to set up (cli.md "demo"). The steps run the real commands in this process
 * against the embedded daemon, so what it prints is what a user would see.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Update a device's firmware end to end on an embedded platform, then clean up.")
public final class DemoCommand extends CliCommand {

    static final String REVISION = "BWFW VERSION 1";
    static final int BODY_BYTES = 4 << 20;

    @Option(names = "--tmp", hidden = true, paramLabel = "DIR", description = "where the temporary directory goes")
    Path tmpParent;

    @Override
    protected int execute() throws Exception {
        Path work = tmpParent == null ? Files.createTempDirectory("cxlkit-demo")
                : Files.createTempDirectory(tmpParent, "cxlkit-demo");
        Thread cleanup = new Thread(() -> deleteTree(work), "cxlkit-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup); // Ctrl-C too
        Logs.configure(Level.WARNING);
        try {
            return run(work);
        } finally {
            deleteTree(work);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    private int run(Path work) throws Exception {
        Path image = work.resolve("fw.img");
        byte[] body = new byte[BODY_BYTES];
        new Random(1).nextBytes(body);
        FirmwarePackage.builder().revision(REVISION).securityVersion(1).body(body).build().writeTo(image);
        Path state = work.resolve("state");
        stateDirPath = state;
        PlatformConfig config = new PlatformConfig(state, List.of(DeviceConfig.defaults(0)),
                List.of("127.0.0.1:0"), Optional.empty(), "127.0.0.1:0", PlatformConfig.DEFAULT_MAX_CONNECTIONS);
        try (Daemon daemon = Daemon.start(config, w -> { })) {
            heading("cxlkit demo: one emulated CXL Type-3 device (realistic timing) in " + work);
            heading("1. The device as the host sees it: cxlkit list -F");
            step("list", "-F");
            heading("2. Upload a " + (BODY_BYTES >> 20) + " MiB package '" + REVISION
                    + "': cxlkit update-firmware mem0 -F fw.img (returns at once, upload in progress)");
            step("update-firmware", "mem0", "-F", image.toString());
            heading("3. Wait for it: cxlkit update-firmware mem0 -w (staged in slot 2, active on the next reset)");
            step("update-firmware", "mem0", "-w");
            heading("4. Cold reset: cxlkit reset mem0 (the staged package becomes active)");
            return step("reset", "mem0");
        }
    }

    private void heading(String text) {
        out().println();
        out().println("== " + text);
        out().flush();
    }

    /** Runs one cxlkit command in this process, against the embedded daemon, on this command's streams. */
    private int step(String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--state-dir";
        full[args.length + 1] = stateDir().toString();
        CommandLine cl = Main.commandLine();
        cl.setOut(out());
        cl.setErr(err());
        int rc = cl.execute(full);
        if (rc != 0) {
            throw new Failure("step 'cxlkit " + String.join(" ", args) + "' failed with exit status " + rc);
        }
        return rc;
    }

    private Path stateDirPath;

    private Path stateDir() {
        return stateDirPath;
    }

    static void deleteTree(Path root) {
        try {
            FileTrees.delete(root);
        } catch (IOException e) {
            // best effort: a demo must not fail because the temporary directory is half gone
        }
    }
}
