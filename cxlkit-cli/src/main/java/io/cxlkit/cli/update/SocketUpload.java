package io.cxlkit.cli.update;

import io.cxlkit.cli.Failure;
import io.cxlkit.cli.Terminal;
import io.cxlkit.cli.progress.ProgressBar;
import io.cxlkit.cli.progress.TerminalColumns;
import io.cxlkit.host.cci.CciAddress;
import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.SocketTransport;
import io.cxlkit.host.json.JsonC;
import io.cxlkit.host.upload.FirmwareBusyException;
import io.cxlkit.host.upload.FirmwareUploader;
import io.cxlkit.host.upload.UploadPlan;
import io.cxlkit.host.upload.UploadStatus;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code update-firmware --cci ADDR --eid N -F FILE}: the host driver's upload run in this process
 * over the socket endpoint, no daemon; it always waits. Ctrl-C cancels between parts (Transfer FW
 * Abort) and exits 130. Prints
 * {@code {"eid","slot","status","error","bytes_sent","parts_sent"}} with status completed, failed
 * or cancelled ({@code error} only when there is one).
 */
final class SocketUpload {

    private final UpdateFirmwareCommand cmd;

    SocketUpload(UpdateFirmwareCommand cmd) {
        this.cmd = cmd;
    }

    int run() throws IOException, InterruptedException {
        if (cmd.eid == null) {
            throw cmd.usageError("--cci needs --eid N");
        }
        if (cmd.file == null) {
            throw cmd.usageError("--cci needs -F FILE");
        }
        if (cmd.cancel || !cmd.memdevs.isEmpty() || cmd.filter.given()) {
            throw cmd.usageError("--cci takes no MEMDEV, -S, -b or -c");
        }
        if (cmd.eid < 0 || cmd.eid > 255) {
            throw cmd.usageError("--eid must be 0..255");
        }
        CciAddress address;
        try {
            address = CciAddress.parse(cmd.cci);
        } catch (IllegalArgumentException e) {
            throw cmd.usageError("--cci: " + e.getMessage());
        }
        UpdateFirmwareCommand.checkImage(cmd.file);
        long size = Files.size(cmd.file);
        AtomicBoolean interrupted = new AtomicBoolean();
        try (CciClient client = new CciClient(SocketTransport.connect(address, cmd.eid));
             FileChannel image = FileChannel.open(cmd.file, StandardOpenOption.READ);
             TerminalColumns columns = Terminal.current().stderrTty() ? TerminalColumns.watch() : null) {
            int slot;
            try {
                var info = client.getFwInfo();
                slot = UploadPlan.targetSlot(info.activeSlot(), info.slotsSupported());
            } catch (CciCommandException e) {
                throw new Failure(address + " EID " + cmd.eid + ": " + e.getMessage());
            }
            String label = "EID " + cmd.eid;
            ProgressBar bar = columns != null
                    ? new ProgressBar(cmd.stderr(), System::nanoTime, columns, List.of(label)) : null;
            FirmwareUploader uploader = new FirmwareUploader(client, Clock.systemUTC(), s -> {
                if (bar != null && s.inProgress()) {
                    bar.update(label, s.bytesSent(), s.imageSize(), s.stage().label());
                }
            });
            FirmwareUploader.Upload upload;
            try {
                upload = uploader.begin(size);
            } catch (FirmwareBusyException e) {
                throw new IllegalStateException("a new uploader is never busy", e);
            }
            upload.imageReceived(size);
            UploadStatus end;
            // Ctrl-C after the upload (or in a caller running this in-process) is not a cancel
            try (SigintHandler ignored = SigintHandler.install(() -> {
                interrupted.set(true);
                uploader.cancel();
            })) {
                end = upload.run(image);
            }
            if (bar != null) {
                bar.end(label, end.bytesSent(), size, end.error().map(FinalState::failed)
                        .orElse(FinalState.staged(slot)));
                bar.finish();
            }
            String status = end.error().isEmpty() ? "completed"
                    : end.error().get().endsWith(":user-abort") ? "cancelled" : "failed";
            JsonC.ObjBuilder o = JsonC.object().put("eid", cmd.eid).put("slot", slot).put("status", status);
            end.failureMessage().ifPresent(f -> o.put("error", f));
            o.put("bytes_sent", end.bytesSent()).put("parts_sent", end.partsSent());
            cmd.stdout().print(JsonC.document(o.build()));
            cmd.stdout().flush();
            if (interrupted.get()) {
                return SigintHandler.EXIT_STATUS;
            }
            if (end.error().isPresent()) {
                throw new Failure("EID " + cmd.eid + ": " + end.failureMessage().orElseThrow());
            }
            return 0;
        }
    }
}
