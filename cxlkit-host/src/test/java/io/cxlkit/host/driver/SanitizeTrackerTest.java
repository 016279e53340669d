package io.cxlkit.host.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.host.cci.CciTimeoutException;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.SecurityState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the host's sanitize tracking stays right around the mailbox and the watcher
 * (memdev-commands.md §13.3, §14): the state is read without waiting for the mailbox, the watcher
 * waits for the completion without a time bound and always publishes its end, and a cold reset
 * settles the state before it answers. The device side is a fake whose every wait ends on the
 * test's word (a queue, a latch), so nothing sleeps; the bounded waits below only keep a broken
 * build from hanging.
 */
class SanitizeTrackerTest {

    /**
     * Get Security State may be held back by {@link #securityGate}; each background wait takes its
     * outcome from {@link #waits} (a return code, or an exception to throw).
     */
    static final class ScriptedTransport extends SanitizeTestTransport {
        final List<String> sent = new ArrayList<>();
        final CountDownLatch securityAsked = new CountDownLatch(1);
        volatile CountDownLatch securityGate = new CountDownLatch(0);
        final BlockingQueue<Object> waits = new LinkedBlockingQueue<>();
        volatile int waitCalls;

        ScriptedTransport() {
            super("scripted transport");
        }

        @Override
        public CommandResponse send(Opcode opcode, byte[] payload) throws InterruptedException {
            synchronized (this) {
                sent.add(CommandId.nameOf(opcode));
            }
            if (opcode.equals(CommandId.GET_SECURITY_STATE.opcode())) {
                securityAsked.countDown();
                securityGate.await(); // the mailbox is busy (an upload's part) for as long as the test says
                return new CommandResponse(ReturnCode.SUCCESS, SecurityState.NONE.encode());
            }
            if (opcode.equals(CommandId.SANITIZE.opcode())) {
                return CommandResponse.of(ReturnCode.BACKGROUND_COMMAND_STARTED);
            }
            return CommandResponse.of(ReturnCode.SUCCESS);
        }

        @Override
        public CommandResponse awaitBackgroundReleased(Opcode opcode, Duration limit)
                throws IOException, InterruptedException {
            waitCalls++;
            Object next = waits.take();
            if (next instanceof ReturnCode rc) {
                return CommandResponse.of(rc);
            }
            if (next instanceof IOException e) {
                throw e;
            }
            throw (RuntimeException) next;
        }

        synchronized List<String> sentNames() {
            return List.copyOf(sent);
        }
    }

    private final ScriptedTransport transport = new ScriptedTransport();
    private final MemdevDriver driver = new MemdevDriver("mem0", "0000:0d:00.0", 0, transport, Clock.systemUTC(),
            s -> { });

    @AfterEach
    void close() throws Exception {
        transport.securityGate.countDown();
        driver.close();
    }

    private CompletableFuture<Boolean> startAsync() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return driver.sanitize(false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    // ---------------------------------------------------------------- 1: no reader waits for the mailbox

    @Test
    void theStateIsReadWithoutWaitingWhileAStartWaitsForTheMailbox() throws Exception {
        transport.securityGate = new CountDownLatch(1);
        CompletableFuture<Boolean> start = startAsync();
        assertThat(transport.securityAsked.await(10, TimeUnit.SECONDS)).isTrue();

        // the start's Get Security State is stuck behind the mailbox: readers still answer at once
        CompletableFuture<SecurityStatus> plain = CompletableFuture.supplyAsync(driver::securityStatus);
        CompletableFuture<SecurityStatus> shortWait = CompletableFuture.supplyAsync(() -> {
            try {
                return driver.awaitSanitize(Duration.ofMillis(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(plain.get(5, TimeUnit.SECONDS)).isEqualTo(new SecurityStatus(false, Optional.empty()));
        assertThat(shortWait.get(5, TimeUnit.SECONDS)).isEqualTo(new SecurityStatus(false, Optional.empty()));

        transport.securityGate.countDown();
        assertThat(start.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(driver.securityStatus().state()).isEqualTo("sanitize");
    }

    @Test
    void aSecondStartWaitsForTheFirstAndIsRefusedOnceItRuns() throws Exception {
        transport.securityGate = new CountDownLatch(1);
        CompletableFuture<Boolean> first = startAsync();
        assertThat(transport.securityAsked.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> second = startAsync();

        transport.securityGate.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(SanitizeRefusedException.class)
                .rootCause().satisfies(e -> assertThat(((SanitizeRefusedException) e).why())
                        .isEqualTo(SanitizeRefusedException.Why.SANITIZE_ACTIVE));
        assertThat(transport.sentNames()).containsExactly("Get Security State", "Sanitize");
    }

    // ---------------------------------------------------------------- 2: no time bound on the completion

    @Test
    void theWatcherWaitsAgainWhileTheDeviceHasNotFinished() throws Exception {
        // every round of waiting ends "not finished yet" (the transport's limit) three times, then the completion
        for (int i = 0; i < 3; i++) {
            transport.waits.add(new CciTimeoutException("background Sanitize did not finish within 60 s"));
        }
        assertThat(driver.sanitize(false)).isTrue();
        transport.waits.add(ReturnCode.SUCCESS);

        assertThat(driver.awaitSanitize(Duration.ofSeconds(10)))
                .isEqualTo(new SecurityStatus(false, Optional.of(ReturnCode.SUCCESS)));
        assertThat(transport.waitCalls).isEqualTo(4);
    }

    // ---------------------------------------------------------------- 3: the watcher always publishes its end

    @Test
    void aWatcherThatFailsUnexpectedlyStillEndsTheState() throws Exception {
        transport.waits.add(new IllegalStateException("a bug in the wait"));
        assertThat(driver.sanitize(false)).isTrue();

        // the outcome is unknown: disabled, and last_sanitize as it was (none)
        assertThat(driver.awaitSanitize(Duration.ofSeconds(10))).isEqualTo(new SecurityStatus(false, Optional.empty()));
        assertThat(driver.sanitize(false)).as("a new one may start").isTrue();
    }

    @Test
    void aFailedWaitLeavesTheLastKnownCode() throws Exception {
        transport.waits.add(ReturnCode.ABORTED);
        driver.sanitize(false);
        assertThat(driver.awaitSanitize(Duration.ofSeconds(10)).lastSanitize()).contains(ReturnCode.ABORTED);

        transport.waits.add(new IOException("mailbox of mem0: malformed answer"));
        driver.sanitize(false);

        assertThat(driver.awaitSanitize(Duration.ofSeconds(10)))
                .isEqualTo(new SecurityStatus(false, Optional.of(ReturnCode.ABORTED)));
    }

    // ---------------------------------------------------------------- 4: a cold reset settles the state

    @Test
    void aColdResetSettlesTheStateBeforeItReturns() throws Exception {
        assertThat(driver.sanitize(false)).isTrue(); // its completion never comes: the watcher waits on

        driver.coldResetDone();

        assertThat(driver.securityStatus()).isEqualTo(new SecurityStatus(false, Optional.of(ReturnCode.INTERRUPTED)));
        assertThat(driver.sanitize(false)).as("no 409 after the reset").isTrue();
        assertThat(driver.securityStatus().state()).isEqualTo("sanitize");
    }

    @Test
    void theDroppedSanitizesWatcherDoesNotEndTheNextOne() throws Exception {
        driver.sanitize(false);
        driver.coldResetDone();
        driver.sanitize(false);

        // the first watcher was stopped; whatever the device says now is the second one's end
        transport.waits.add(ReturnCode.SUCCESS);
        assertThat(driver.awaitSanitize(Duration.ofSeconds(10)))
                .isEqualTo(new SecurityStatus(false, Optional.of(ReturnCode.SUCCESS)));
    }

    @Test
    void aColdResetWithoutASanitizeChangesNothing() throws Exception {
        driver.coldResetDone();

        assertThat(driver.securityStatus()).isEqualTo(new SecurityStatus(false, Optional.empty()));
        assertThat(transport.sentNames()).isEmpty();
    }
}
