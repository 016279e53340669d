package io.cxlkit.device.health;

import io.cxlkit.device.command.Outcome;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.SetAlertConfigRequest;
import io.cxlkit.protocol.payload.ShutdownState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Get Health Info (4200h), Get/Set Alert Configuration (4201h, 4202h) and Get/Set Shutdown State
 * (4203h, 4204h), after the dispatcher's checks (docs/events-and-health.md). None of them returns
 * 0007h. The device re-evaluates its statuses after every command, so a Set Alert Configuration
 * whose warning is already met adds its record before the command answers. Called under the device
 * lock.
 */
public final class HealthCommands {

    private final DeviceHealth health;

    public HealthCommands(DeviceHealth health) {
        this.health = health;
    }

    /** 4200h, no own checks. */
    public Outcome getHealthInfo() {
        return Outcome.Done.success(health.info().encode());
    }

    /** 4201h, no own checks. */
    public Outcome getAlertConfiguration() {
        return Outcome.Done.success(health.alerts().get().encode());
    }

    /** 4202h: {@link AlertSettings#set}'s checks, all before any change. */
    public Outcome setAlertConfiguration(ByteBuffer in) {
        return Outcome.Done.of(health.alerts().set(SetAlertConfigRequest.decode(in)));
    }

    /** 4203h, no own checks. */
    public Outcome getShutdownState() {
        return Outcome.Done.success((health.shutdown().dirty() ? ShutdownState.DIRTY : ShutdownState.CLEAN).encode());
    }

    /** 4204h, no own checks: bit 0 persisted (crash-safely) before the answer. */
    public Outcome setShutdownState(ByteBuffer in) {
        try {
            health.shutdown().set(ShutdownState.decode(in).dirty());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the device answers 0004h, the state unchanged
        }
        return Outcome.Done.of(ReturnCode.SUCCESS);
    }
}
