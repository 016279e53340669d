package io.cxlkit.host.upload;

/**
 * What may own a memdev's firmware for a while. An upload, an activation through the host driver
 * and a cold reset never overlap on one memdev: each is refused while another runs, decided under
 * one lock ({@link FirmwareUploader#claim}), so none of them lands in the middle of another.
 */
public enum FirmwareAction {
    UPLOAD("upload-in-progress", "a firmware upload"),
    ACTIVATION("activation-in-progress", "a firmware activation"),
    RESET("reset-in-progress", "a cold reset");

    private final String conflict;
    private final String description;

    FirmwareAction(String conflict, String description) {
        this.conflict = conflict;
        this.description = description;
    }

    /** The control API's error word for a request refused because this action runs. */
    public String conflict() {
        return conflict;
    }

    /** "a firmware upload", for messages. */
    public String description() {
        return description;
    }
}
