package io.cxlkit.host.cci;

import java.io.IOException;

/** The device did not answer (doorbell) or did not finish (background) within the host's limit. */
public final class CciTimeoutException extends IOException {
    public CciTimeoutException(String message) {
        super(message);
    }
}
