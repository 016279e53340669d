package io.cxlkit.server;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.server.http.HttpLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code cxlkit serve} runs: the devices and where it listens. Validated by the CLI before
 * anything starts.
 *
 * @param cciListen       TCP listeners of the CCI socket endpoint, {@code HOST:PORT}, in listener order
 * @param cciUnix         an optional Unix domain socket listener, after the TCP ones
 * @param httpListen      the control API's {@code HOST:PORT}
 * @param maxConnections  CCI connections at once, across every listener
 * @param cciStallTimeout how long a CCI connection may pause in the middle of a frame
 * @param httpLimits      the control API's bounds on slow clients
 * @param devicePlan      how the devices asked for meet those the state directory holds; {@link DevicePlan#AS_GIVEN}
 *                        unless given
 */
public record PlatformConfig(Path stateDir, List<DeviceConfig> devices, List<String> cciListen,
                             Optional<Path> cciUnix, String httpListen, int maxConnections,
                             Duration cciStallTimeout, HttpLimits httpLimits, DevicePlan devicePlan) {

    public static final String DEFAULT_CCI_LISTEN = "127.0.0.1:2300";
    public static final String DEFAULT_HTTP_LISTEN = "127.0.0.1:0";
    public static final int DEFAULT_MAX_CONNECTIONS = io.cxlkit.server.endpoint.CciEndpoint.DEFAULT_MAX_CONNECTIONS;
    /** Devices per listener: EIDs 8..254 (wire.md §1). */
    public static final int DEVICES_PER_LISTENER = io.cxlkit.server.endpoint.CciEndpoint.MAX_DEVICES;
    public static final int FIRST_EID = io.cxlkit.server.endpoint.CciEndpoint.FIRST_EID;
    /** A CCI frame that has begun may pause this long before its connection is closed. */
    public static final Duration DEFAULT_CCI_STALL_TIMEOUT = io.cxlkit.server.endpoint.CciEndpoint.DEFAULT_STALL_TIMEOUT;

    /** The default bounds on slow clients. */
    public PlatformConfig(Path stateDir, List<DeviceConfig> devices, List<String> cciListen, Optional<Path> cciUnix,
                          String httpListen, int maxConnections) {
        this(stateDir, devices, cciListen, cciUnix, httpListen, maxConnections, DEFAULT_CCI_STALL_TIMEOUT,
                HttpLimits.defaults());
    }

    /** The devices as given, whatever else the state directory holds ({@link DevicePlan#AS_GIVEN}). */
    public PlatformConfig(Path stateDir, List<DeviceConfig> devices, List<String> cciListen, Optional<Path> cciUnix,
                          String httpListen, int maxConnections, Duration cciStallTimeout, HttpLimits httpLimits) {
        this(stateDir, devices, cciListen, cciUnix, httpListen, maxConnections, cciStallTimeout, httpLimits,
                DevicePlan.AS_GIVEN);
    }

    public PlatformConfig {
        Objects.requireNonNull(stateDir);
        devices = List.copyOf(devices);
        cciListen = List.copyOf(cciListen);
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("at least one device");
        }
        long names = devices.stream().map(DeviceConfig::name).distinct().count();
        if (names != devices.size()) {
            throw new IllegalArgumentException("device names must be unique");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be at least 1");
        }
        Objects.requireNonNull(httpLimits);
        Objects.requireNonNull(devicePlan);
        io.cxlkit.server.endpoint.CciEndpoint.checkStallTimeout(cciStallTimeout);
    }

    /** This configuration with {@code devices} instead. */
    public PlatformConfig withDevices(List<DeviceConfig> devices) {
        return new PlatformConfig(stateDir, devices, cciListen, cciUnix, httpListen, maxConnections, cciStallTimeout,
                httpLimits, devicePlan);
    }

    /** Listeners needed so every device has an EID. */
    public int listenersNeeded() {
        return (devices.size() + DEVICES_PER_LISTENER - 1) / DEVICES_PER_LISTENER;
    }
}
