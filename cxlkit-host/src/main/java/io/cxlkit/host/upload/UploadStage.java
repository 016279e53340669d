package io.cxlkit.host.upload;

import java.util.Locale;

/** The firmware-upload states a user sees, as the kernel's fw_upload framework names them. */
public enum UploadStage {
    IDLE, RECEIVING, PREPARING, TRANSFERRING, PROGRAMMING;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
