package io.cxlkit.host.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.SecurityState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sanitize and Secure Erase as the kernel sends them, and the security state they leave
 * (memdev-commands.md §13.3): Get Security State first (a failure or a user passphrase refuses),
 * {@code sanitize} from a 0001h answer until the background completion, whose return code is
 * remembered. The completion is a future the test completes, so nothing here sleeps.
 */
class MemdevDriverSanitizeTest {

    /** Answers from a table per opcode; a background Sanitize completes when {@link #completion} does. */
    static final class SanitizingTransport extends SanitizeTestTransport {
        final List<Opcode> sent = new ArrayList<>();
        ReturnCode securityRc = ReturnCode.SUCCESS;
        SecurityState security = SecurityState.NONE;
        ReturnCode sanitizeRc = ReturnCode.BACKGROUND_COMMAND_STARTED;
        ReturnCode eraseRc = ReturnCode.SUCCESS;
        final CompletableFuture<ReturnCode> completion = new CompletableFuture<>();
        volatile boolean waitedReleased;

        SanitizingTransport() {
            super("sanitizing transport");
        }

        @Override
        public synchronized CommandResponse send(Opcode opcode, byte[] payload) {
            sent.add(opcode);
            if (opcode.equals(CommandId.GET_SECURITY_STATE.opcode())) {
                return securityRc == ReturnCode.SUCCESS ? new CommandResponse(securityRc, security.encode())
                        : CommandResponse.of(securityRc);
            }
            if (opcode.equals(CommandId.SANITIZE.opcode())) {
                return CommandResponse.of(sanitizeRc);
            }
            if (opcode.equals(CommandId.SECURE_ERASE.opcode())) {
                return CommandResponse.of(eraseRc);
            }
            return CommandResponse.of(ReturnCode.UNSUPPORTED);
        }

        @Override
        public CommandResponse awaitBackgroundReleased(Opcode opcode, Duration limit) throws InterruptedException {
            assertThat(opcode).isEqualTo(CommandId.SANITIZE.opcode());
            waitedReleased = true;
            try {
                return CommandResponse.of(completion.get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        synchronized List<String> sentNames() {
            return sent.stream().map(CommandId::nameOf).toList();
        }
    }

    private final SanitizingTransport transport = new SanitizingTransport();
    private final MemdevDriver driver = new MemdevDriver("mem0", "0000:0d:00.0", 0, transport, Clock.systemUTC(),
            s -> { });

    @AfterEach
    void close() throws Exception {
        driver.close();
    }

    /** Waits (bounded, for the watcher thread) until no Sanitize runs. */
    private SecurityStatus settled() throws InterruptedException {
        return driver.awaitSanitize(Duration.ofSeconds(10));
    }

    @Test
    void beforeAnySanitizeTheStateIsDisabledWithNoLastSanitize() {
        assertThat(driver.securityStatus()).isEqualTo(new SecurityStatus(false, Optional.empty()));
        assertThat(driver.securityStatus().state()).isEqualTo("disabled");
        assertThat(transport.sentNames()).isEmpty();
    }

    @Test
    void aBackgroundSanitizeIsSanitizeUntilItCompletesThenRemembersTheCode() throws Exception {
        assertThat(driver.sanitize(false)).isTrue();

        assertThat(transport.sentNames()).containsExactly("Get Security State", "Sanitize");
        assertThat(driver.securityStatus().state()).isEqualTo("sanitize");
        assertThat(driver.awaitSanitize(Duration.ZERO).sanitizing()).isTrue();

        transport.completion.complete(ReturnCode.SUCCESS);
        SecurityStatus done = settled();

        assertThat(done).isEqualTo(new SecurityStatus(false, Optional.of(ReturnCode.SUCCESS)));
        assertThat(transport.waitedReleased).isTrue();
    }

    @Test
    void aSecondSanitizeWhileOneRunsIsRefusedWithoutACommand() throws Exception {
        driver.sanitize(false);

        assertThatThrownBy(() -> driver.sanitize(false)).isInstanceOfSatisfying(SanitizeRefusedException.class,
                e -> assertThat(e.why()).isEqualTo(SanitizeRefusedException.Why.SANITIZE_ACTIVE));
        assertThatThrownBy(() -> driver.sanitize(true)).isInstanceOf(SanitizeRefusedException.class);
        assertThat(transport.sentNames()).containsExactly("Get Security State", "Sanitize");

        transport.completion.complete(ReturnCode.SUCCESS);
        settled();
        assertThat(driver.sanitize(false)).isTrue(); // a new one once it is done
    }

    @Test
    void anAbortedOrDroppedSanitizeIsRememberedWithItsCode() throws Exception {
        driver.sanitize(false);
        transport.completion.complete(ReturnCode.INTERRUPTED); // a cold reset dropped it

        assertThat(settled()).isEqualTo(new SecurityStatus(false, Optional.of(ReturnCode.INTERRUPTED)));
    }

    @Test
    void aSanitizeOfZeroDurationCompletesWithItsAnswer() throws Exception {
        transport.sanitizeRc = ReturnCode.SUCCESS;

        assertThat(driver.sanitize(false)).isFalse();
        assertThat(driver.securityStatus()).isEqualTo(new SecurityStatus(false, Optional.of(ReturnCode.SUCCESS)));
        assertThat(transport.waitedReleased).isFalse();
    }

    @Test
    void aRefusedSanitizeChangesNothing() {
        transport.sanitizeRc = ReturnCode.BUSY;

        assertThatThrownBy(() -> driver.sanitize(false)).isInstanceOfSatisfying(CciCommandException.class,
                e -> assertThat(e.getMessage()).isEqualTo("Sanitize: Busy, 0006h"));
        assertThat(driver.securityStatus()).isEqualTo(new SecurityStatus(false, Optional.empty()));
    }

    @Test
    void aFailedGetSecurityStateRefusesBeforeTheCommand() {
        transport.securityRc = ReturnCode.UNSUPPORTED;

        assertThatThrownBy(() -> driver.sanitize(false)).isInstanceOfSatisfying(CciCommandException.class,
                e -> assertThat(e.returnCode()).isEqualTo(ReturnCode.UNSUPPORTED));
        assertThatThrownBy(() -> driver.sanitize(true)).isInstanceOf(CciCommandException.class);
        assertThat(transport.sentNames()).containsExactly("Get Security State", "Get Security State");
    }

    @Test
    void aUserPassphraseRefusesBeforeTheCommand() {
        transport.security = SecurityState.fromBits(1);

        assertThatThrownBy(() -> driver.sanitize(false)).isInstanceOfSatisfying(SanitizeRefusedException.class,
                e -> assertThat(e.why()).isEqualTo(SanitizeRefusedException.Why.PASSPHRASE_SET));
        assertThat(transport.sentNames()).containsExactly("Get Security State");
    }

    @Test
    void otherSecurityBitsDoNotRefuse() throws Exception {
        transport.security = SecurityState.fromBits(0x3E);

        assertThat(driver.sanitize(false)).isTrue();
    }

    @Test
    void secureEraseIsSynchronousAndLeavesLastSanitizeAlone() throws Exception {
        assertThat(driver.sanitize(true)).isFalse();

        assertThat(transport.sentNames()).containsExactly("Get Security State", "Secure Erase");
        assertThat(driver.securityStatus()).isEqualTo(new SecurityStatus(false, Optional.empty()));
    }

    @Test
    void aRefusedSecureEraseIsItsReturnCode() {
        transport.eraseRc = ReturnCode.MEDIA_DISABLED;

        assertThatThrownBy(() -> driver.sanitize(true)).isInstanceOfSatisfying(CciCommandException.class,
                e -> assertThat(e.getMessage()).isEqualTo("Secure Erase: Media Disabled, 0007h"));
    }

    @Test
    void aWaiterIsWokenByTheCompletion() throws Exception {
        driver.sanitize(false);
        CompletableFuture<SecurityStatus> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return driver.awaitSanitize(Duration.ofMinutes(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        transport.completion.complete(ReturnCode.ABORTED);

        assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(new SecurityStatus(false, Optional.of(ReturnCode.ABORTED)));
    }
}
