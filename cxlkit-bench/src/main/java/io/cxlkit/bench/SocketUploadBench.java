package io.cxlkit.bench;

import io.cxlkit.host.cci.CciAddress;
import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.SocketTransport;
import io.cxlkit.host.upload.FirmwareUploader;
import io.cxlkit.host.upload.UploadStatus;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/** The host driver's upload in this JVM over the socket endpoint, as {@code update-firmware --cci} runs it. */
final class SocketUploadBench {
    private SocketUploadBench() {
    }

    static double upload(String cci, int eid, Path image) throws Exception {
        long t0 = System.nanoTime();
        try (CciClient client = new CciClient(SocketTransport.connect(CciAddress.parse(cci), eid));
             FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            FirmwareUploader up = new FirmwareUploader(client, Clock.systemUTC(), s -> { });
            UploadStatus end = up.begin(ch.size()).run(ch);
            if (end.error().isPresent()) {
                throw new IllegalStateException("upload failed: " + end.failureMessage().orElseThrow());
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
