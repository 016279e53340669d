package io.cxlkit.device.capacity;

/**
 * What applying a <em>changed</em> volatile share does to the media (memdev-commands.md §5): all
 * media data zeroed in both partitions, all poison removed with the poison list and its overflow.
 * The LSA stays. The device is wired with its media model (io.cxlkit.device.media.MediaModel).
 *
 * <p>Called under the device lock, before the new share is persisted (docs/capacity-and-labels.md):
 * the wipe must be durable when it returns, so that a crash between the two leaves wiped media
 * under the old share (and a pending share still pending, applied again at the next start), never
 * old data under the new share.
 */
@FunctionalInterface
public interface MediaWipe {

    void wipeForRepartition() throws java.io.IOException;
}
