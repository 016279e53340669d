package io.cxlkit.protocol.payload;

/**
 * A payload could not be decoded: it is shorter than its layout or a field holds a value the
 * layout does not allow. The message is one line, fit for a log or an error reply.
 */
public final class MalformedPayloadException extends RuntimeException {

    public MalformedPayloadException(String message) {
        super(message);
    }
}
