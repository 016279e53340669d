package io.cxlkit.device.media;

import java.io.IOException;

/**
 * What Sanitize and Secure Erase do to the media model (memdev-commands.md §9). The media model
 * implements it and is thread-safe on its own: the two erase methods run on the device's worker,
 * outside the device lock (they are the operation's real file work); the media model never takes
 * the device lock, so the device lock may be held when any of its methods is called.
 */
public interface MediaErase {

    /** No media model: nothing to erase. */
    MediaErase NONE = new MediaErase() {
        @Override
        public void sanitizeMedia() {
        }

        @Override
        public void secureEraseMedia() {
        }

        @Override
        public void discardScanResults() {
        }
    };

    /**
     * Sanitize's media part: all media data zeroed in both partitions; all poison, the poison list
     * and its overflow removed. Durable when it returns.
     */
    void sanitizeMedia() throws IOException;

    /** Secure Erase: all media data zeroed in both partitions; poison and the list stay. Durable when it returns. */
    void secureEraseMedia() throws IOException;

    /**
     * Sanitize discards the Scan Media results (Get Scan Media Results then answers 0000h with 0
     * records). Called under the device lock.
     */
    void discardScanResults();
}
