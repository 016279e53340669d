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
 * A Sanitize through the host driver on the real device model's mailbox, on a virtual clock
 * (memdev-commands.md §13.3): it answers 0001h, the host learns of its completion from the
 * mailbox's background interrupt and BG Command Status, and the state goes back to disabled with
 * the completion's code once the device has cleared its pending mark; also when it runs for hours
 * (a huge device, or a long {@code --sanitize-time}): the host never gives up on it.
 */
class MemdevDriverSanitizeDeviceTest {

    @TempDir
    Path dir;
    private final VirtualClock clock = new VirtualClock();
    private CxlDevice device;
    private MemdevDriver driver;

    private void open() throws Exception {
        // realistic timing: a Sanitize of the default 1 GiB takes 2 s of device time
        open(Timing.realistic(), Duration.ofMillis(10));
    }

    /** The device with {@code timing}; each step of a host wait moves the device's clock {@code step} on. */
    private void open(Timing timing, Duration step) throws Exception {
        device = CxlDevice.open(DeviceConfig.defaults(0).toBuilder().timing(timing).build(), dir.resolve("mem0"), clock,
                DeviceThreads.inline(), CrashHook.NONE, new PolicyChecker());
        VirtualTimeRegisters regs = new VirtualTimeRegisters(device.mailbox(), clock, step);
        driver = new MemdevDriver("mem0", "0000:0d:00.0", 0, new MailboxTransport(regs, clock::nanoTime, "mem0"),
                Clock.systemUTC(), s -> { });
    }

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
    void aBackgroundSanitizeEndsWithItsCompletionCode() throws Exception {
        open();
        long start = clock.nanoTime();

        assertThat(driver.sanitize(false)).isTrue(); // 0001h
        // the watcher's wait moves the virtual clock (at once, on its own thread) until the device's
        // completion interrupt
        SecurityStatus done = driver.awaitSanitize(Duration.ofSeconds(30));

        assertThat(done).isEqualTo(new SecurityStatus(false, Optional.of(ReturnCode.SUCCESS)));
        assertThat(device.sanitizePending()).isFalse();
        assertThat(clock.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofSeconds(2).toNanos());
    }

    @Test
    void aSecureEraseIsOneSynchronousCommand() throws Exception {
        open();

        assertThat(driver.sanitize(true)).isFalse();
        assertThat(driver.securityStatus()).isEqualTo(new SecurityStatus(false, Optional.empty()));
        assertThat(device.sanitizePending()).isFalse();
    }

    @Test
    void aSanitizeOfSixHoursIsSanitizeUntilItCompletes() throws Exception {
        Duration six = Duration.ofHours(6);
        open(Timing.realistic().withSanitizeTime(six), Duration.ofMinutes(1));
        long start = clock.nanoTime();

        assertThat(driver.sanitize(false)).isTrue();
        SecurityStatus done = driver.awaitSanitize(Duration.ofSeconds(60));

        assertThat(done).isEqualTo(new SecurityStatus(false, Optional.of(ReturnCode.SUCCESS)));
        assertThat(device.sanitizePending()).isFalse();
        assertThat(clock.nanoTime() - start).isGreaterThanOrEqualTo(six.toNanos());
    }
}
