package io.cxlkit.host.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.DeviceThreads;
import io.cxlkit.device.clock.VirtualClock;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.fw.PolicyChecker;
import io.cxlkit.device.persist.CrashHook;
import io.cxlkit.host.cci.MailboxTransport;
import io.cxlkit.host.cci.VirtualTimeRegisters;
import io.cxlkit.protocol.ReturnCode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Sanitize that runs for hours on the real device model (a huge device, or a long
 * {@code --sanitize-time}), on a virtual clock: the host's state is {@code sanitize} for all of it
 * and ends with the completion's code, however long that takes (memdev-commands.md §13.3).
 */
class SanitizeHoursDeviceTest {

    @TempDir
    Path dir;
    private final VirtualClock clock = new VirtualClock();
    private CxlDevice device;
    private MemdevDriver driver;

    @AfterEach
    void close() throws Exception {
        if (driver != null) {
            driver.close();
        }
        if (device != null) {
            device.close();
        }
    }

    @Test
    void aSanitizeOfSixHoursIsSanitizeUntilItCompletes() throws Exception {
        Duration six = Duration.ofHours(6);
        device = CxlDevice.open(DeviceConfig.defaults(0).toBuilder().timing(Timing.realistic().withSanitizeTime(six))
                .build(), dir.resolve("mem0"), clock, DeviceThreads.inline(), CrashHook.NONE, new PolicyChecker());
        // each step of a host wait moves the device's clock a minute on
        VirtualTimeRegisters regs = new VirtualTimeRegisters(device.mailbox(), clock, Duration.ofMinutes(1));
        driver = new MemdevDriver("mem0", "0000:0d:00.0", 0, new MailboxTransport(regs, clock::nanoTime, "mem0"),
                Clock.systemUTC(), s -> { });
        long start = clock.nanoTime();

        assertThat(driver.sanitize(false)).isTrue();
        SecurityStatus done = driver.awaitSanitize(Duration.ofSeconds(60));

        assertThat(done).isEqualTo(new SecurityStatus(false, Optional.of(ReturnCode.SUCCESS)));
        assertThat(device.sanitizePending()).isFalse();
        assertThat(clock.nanoTime() - start).isGreaterThanOrEqualTo(six.toNanos());
    }
}
