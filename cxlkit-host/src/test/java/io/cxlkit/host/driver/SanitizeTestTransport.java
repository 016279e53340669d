package io.cxlkit.host.driver;

import io.cxlkit.host.cci.CciTransport;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.Opcode;
import java.io.IOException;

/**
 * What the sanitize tests' fake transports share: a Sanitize must be waited for without holding
 * the transport ({@link #awaitBackground} fails the test), {@link #execute} is {@link #send}, and
 * the payload limit is 4 KiB.
 */
abstract class SanitizeTestTransport implements CciTransport {

    private final String description;

    SanitizeTestTransport(String description) {
        this.description = description;
    }

    @Override
    public CommandResponse awaitBackground(Opcode opcode) {
        throw new AssertionError("a Sanitize is waited for without holding the transport");
    }

    @Override
    public CommandResponse execute(Opcode opcode, byte[] payload) throws IOException, InterruptedException {
        return send(opcode, payload);
    }

    @Override
    public int maxPayload() {
        return 4096;
    }

    @Override
    public String describe() {
        return description;
    }
}
