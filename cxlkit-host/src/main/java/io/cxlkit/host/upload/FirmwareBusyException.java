package io.cxlkit.host.upload;

/** A firmware action refused because another one runs on the same memdev ({@link FirmwareAction}). */
public final class FirmwareBusyException extends Exception {

    private final FirmwareAction running;

    public FirmwareBusyException(FirmwareAction running) {
        super(running.description() + " is running");
        this.running = running;
    }

    /** The action that holds the memdev's firmware. */
    public FirmwareAction running() {
        return running;
    }
}
