package io.cxlkit.device.sanitize;

import io.cxlkit.device.label.LabelStore;
import io.cxlkit.device.media.MediaErase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in media model that records each call with what the device's directory held at that
 * instant (the pending mark, lsa.bin), so a test sees the order of a Sanitize's steps. It can be
 * told to fail its next Sanitize.
 */
final class RecordingMediaErase implements MediaErase {

    private final Path dir;
    private final List<String> calls = new ArrayList<>();
    private boolean failNextSanitize;

    RecordingMediaErase(Path dir) {
        this.dir = dir;
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    synchronized void failNextSanitize() {
        failNextSanitize = true;
    }

    private synchronized void record(String what) {
        calls.add(what + " mark=" + Files.exists(dir.resolve(SanitizeMark.FILE))
                + " lsa=" + Files.exists(dir.resolve(LabelStore.FILE)));
    }

    @Override
    public void sanitizeMedia() throws IOException {
        record("sanitizeMedia");
        synchronized (this) {
            if (failNextSanitize) {
                failNextSanitize = false;
                throw new IOException("injected media failure");
            }
        }
    }

    @Override
    public void secureEraseMedia() {
        record("secureEraseMedia");
    }

    @Override
    public void discardScanResults() {
        record("discardScanResults");
    }
}
