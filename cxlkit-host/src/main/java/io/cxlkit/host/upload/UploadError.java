package io.cxlkit.host.upload;

import java.util.Locale;

/** The kernel's firmware-upload error words (the part after the colon in {@code <stage>:<error>}). */
public enum UploadError {
    HW_ERROR, TIMEOUT, USER_ABORT, DEVICE_BUSY, INVALID_FILE_SIZE, READ_WRITE_ERROR, FLASH_WEAROUT, FIRMWARE_INVALID;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
