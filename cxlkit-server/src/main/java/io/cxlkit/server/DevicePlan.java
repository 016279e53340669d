package io.cxlkit.server;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.fw.DeviceStateException;
import java.util.List;

/**
 * How the devices a start asks for meet the devices its state directory holds: decided under the directory's
 * lock, before any listener is bound or device opened. A plan may add devices (a restart that brings back
 * every persisted one), refuse the start (one that would leave persisted devices out) or name devices whose
 * state is to be deleted.
 */
@FunctionalInterface
public interface DevicePlan {

    /** The devices as asked for; persisted devices not among them are left as they are, unserved. */
    DevicePlan AS_GIVEN = (asked, persisted) -> new Choice(asked, List.of());

    /**
     * The devices to serve.
     *
     * @param asked     the devices of the configuration, in order
     * @param persisted the devices the state directory holds ({@link io.cxlkit.server.state.StateDirectory#persistedDevices()})
     * @throws DeviceStateException to refuse the start, with the one-line reason
     */
    Choice choose(List<DeviceConfig> asked, List<String> persisted) throws DeviceStateException;

    /**
     * What a plan decided.
     *
     * @param devices the devices to serve, in order (at least one)
     * @param drop    persisted devices whose state is deleted before the devices open
     */
    record Choice(List<DeviceConfig> devices, List<String> drop) {
        public Choice {
            devices = List.copyOf(devices);
            drop = List.copyOf(drop);
            for (DeviceConfig d : devices) {
                if (drop.contains(d.name())) {
                    throw new IllegalArgumentException(d.name() + " is both served and dropped");
                }
            }
        }
    }
}
