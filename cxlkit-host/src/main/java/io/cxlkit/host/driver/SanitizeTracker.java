package io.cxlkit.host.driver;

import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.CciTransport;
import io.cxlkit.host.cci.HostLimits;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.SecurityState;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * Sanitize and Secure Erase as the kernel's {@code security/sanitize} and {@code security/erase}
 * attributes send them (memdev-commands.md §13.3), and the security state they leave: Get Security
 * State first (a failure, or a user passphrase set, refuses), then the command. A Sanitize that
 * answers 0001h runs in the background; one watcher thread waits for its completion the way the
 * firmware uploader's background commands are waited for ({@link CciTransport#awaitBackgroundReleased},
 * the mailbox's BG Command Status and background interrupt), but without holding the mailbox, so
 * views and other commands go on meanwhile. The state is {@code sanitize} from the 0001h answer to
 * that completion, which also records the completion's return code for {@code last_sanitize}.
 */
final class SanitizeTracker {

    private static final Logger LOG = Logger.getLogger(SanitizeTracker.class.getName());

    /** How a started Sanitize or Secure Erase went on. */
    enum Start {
        /** 0001h: the Sanitize runs in the background. */
        RUNNING,
        /** 0000h: it finished with its answer (Secure Erase always; a Sanitize of zero duration). */
        COMPLETED
    }

    private final String memdev;
    private final CciClient client;
    private final Duration limit;
    /** Guards the state below; held while a command is sent, never across the background wait. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean running;
    private ReturnCode last;
    private Thread watcher;
    private boolean closed;

    SanitizeTracker(String memdev, CciClient client) {
        this(memdev, client, HostLimits.SANITIZE_TIMEOUT);
    }

    SanitizeTracker(String memdev, CciClient client, Duration limit) {
        this.memdev = memdev;
        this.client = client;
        this.limit = limit;
    }

    SecurityStatus status() {
        lock.lock();
        try {
            return new SecurityStatus(running, Optional.ofNullable(last));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Get Security State, then Sanitize (or Secure Erase). The whole start is decided under the
     * lock: two starts never both pass the "none runs" check.
     *
     * @throws SanitizeRefusedException one runs already, or a user passphrase is set
     * @throws CciCommandException      Get Security State or the command failed (the state is unchanged)
     */
    Start start(boolean secureErase)
            throws IOException, InterruptedException, CciCommandException, SanitizeRefusedException {
        lock.lockInterruptibly();
        try {
            if (running) {
                throw new SanitizeRefusedException(SanitizeRefusedException.Why.SANITIZE_ACTIVE,
                        memdev + ": a sanitize is already running");
            }
            SecurityState security = client.getSecurityState();
            if (security.userPassphraseSet()) {
                throw new SanitizeRefusedException(SanitizeRefusedException.Why.PASSPHRASE_SET,
                        memdev + ": a user passphrase is set (Get Security State bit 0)");
            }
            if (secureErase) {
                client.secureErase();
                return Start.COMPLETED;
            }
            CciTransport t = client.transport();
            // send, not execute: the mailbox is not held for the background wait (the watcher waits)
            CommandResponse r = t.send(CommandId.SANITIZE.opcode(), new byte[0]);
            if (r.backgroundStarted()) {
                running = true;
                changed.signalAll();
                watch();
                return Start.RUNNING;
            }
            if (!r.success()) {
                throw new CciCommandException(CommandId.SANITIZE.opcode(), r.returnCode());
            }
            last = r.returnCode();
            changed.signalAll();
            return Start.COMPLETED;
        } finally {
            lock.unlock();
        }
    }

    /** Starts the watcher for the Sanitize just started (lock held). */
    private void watch() {
        Thread t = new Thread(this::awaitCompletion, memdev + "-sanitize");
        t.setDaemon(true);
        watcher = t;
        t.start();
    }

    private void awaitCompletion() {
        ReturnCode rc = null;
        try {
            rc = client.transport().awaitBackgroundReleased(CommandId.SANITIZE.opcode(), limit).returnCode();
            LOG.info(memdev + ": sanitize ended: " + rc.specName() + ", " + rc.hex());
        } catch (InterruptedException e) {
            lock.lock();
            try {
                if (closed) {
                    return; // the driver closes: nobody asks any more
                }
            } finally {
                lock.unlock();
            }
            LOG.warning(memdev + ": waiting for the sanitize was interrupted; the state goes back to disabled");
        } catch (IOException e) {
            LOG.warning(memdev + ": waiting for the sanitize failed: " + e.getMessage());
        }
        lock.lock();
        try {
            running = false;
            if (rc != null) {
                last = rc;
            }
            watcher = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no Sanitize runs or {@code max} has passed (real time: it is how long a client
     * is willing to wait), and returns the state then.
     */
    SecurityStatus awaitIdle(Duration max) throws InterruptedException {
        long left = max.toNanos();
        lock.lockInterruptibly();
        try {
            while (running && left > 0 && !closed) {
                left = changed.awaitNanos(left);
            }
            return new SecurityStatus(running, Optional.ofNullable(last));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the watcher and lets every waiter go (the daemon stops); the device goes on with its
     * Sanitize on its own.
     */
    void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            t = watcher;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.interrupt();
        }
    }
}
