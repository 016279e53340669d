package io.cxlkit.host.driver;

import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.CciTimeoutException;
import io.cxlkit.host.cci.CciTransport;
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
 *
 * <p>The lock guards only this state and is never held across a mailbox command: a start claims
 * under it ({@code starting}), sends without it, and publishes under it, so {@link #status()} and
 * {@link #awaitIdle} never wait behind the mailbox (an upload may hold it for up to 30 s).
 */
final class SanitizeTracker {

    private static final Logger LOG = Logger.getLogger(SanitizeTracker.class.getName());

    /**
     * How long one wait for the completion lasts before the watcher looks again. There is no bound
     * in all: a Sanitize on a large device (or with a long {@code --sanitize-time}) runs for hours,
     * and the state is {@code sanitize} until the device says it ended, as the kernel re-polls
     * without end. Only a reset or the driver's close stop the watcher.
     */
    static final Duration REWAIT = Duration.ofMinutes(1);

    /** How a started Sanitize or Secure Erase went on. */
    enum Start {
        /** 0001h: the Sanitize runs in the background. */
        RUNNING,
        /** 0000h: it finished with its answer (Secure Erase always; a Sanitize of zero duration). */
        COMPLETED
    }

    private final String memdev;
    private final CciClient client;
    /** Guards the state below; never held across a mailbox command or the background wait. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** A start has claimed the tracker and its commands are on the way; no other start passes. */
    private boolean starting;
    private boolean running;
    private ReturnCode last;
    private Thread watcher;
    /**
     * Which background Sanitize the watcher watches; a reset or a close moves it on, and a watcher
     * of an older one publishes nothing.
     */
    private long generation;
    private boolean closed;

    SanitizeTracker(String memdev, CciClient client) {
        this.memdev = memdev;
        this.client = client;
    }

    /** The state now; never waits for a mailbox command. */
    SecurityStatus status() {
        lock.lock();
        try {
            return new SecurityStatus(running, Optional.ofNullable(last));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Get Security State, then Sanitize (or Secure Erase). The start is claimed under the lock (a
     * start already on its way is waited for, then "one runs" decided), the commands go without it:
     * two starts never both pass the "none runs" check, and readers of the state never wait.
     *
     * @throws SanitizeRefusedException one runs already, or a user passphrase is set
     * @throws CciCommandException      Get Security State or the command failed (the state is unchanged)
     */
    Start start(boolean secureErase)
            throws IOException, InterruptedException, CciCommandException, SanitizeRefusedException {
        claim();
        try {
            SecurityState security = client.getSecurityState();
            if (security.userPassphraseSet()) {
                throw new SanitizeRefusedException(SanitizeRefusedException.Why.PASSPHRASE_SET,
                        memdev + ": a user passphrase is set (Get Security State bit 0)");
            }
            if (secureErase) {
                client.secureErase();
                return Start.COMPLETED;
            }
            // send, not execute: the mailbox is not held for the background wait (the watcher waits)
            CommandResponse r = client.transport().send(CommandId.SANITIZE.opcode(), new byte[0]);
            if (r.backgroundStarted()) {
                publishRunning();
                return Start.RUNNING;
            }
            if (!r.success()) {
                throw new CciCommandException(CommandId.SANITIZE.opcode(), r.returnCode());
            }
            publishCompleted(r.returnCode());
            return Start.COMPLETED;
        } finally {
            release();
        }
    }

    /** Waits for a start on its way, then refuses when a Sanitize runs, else claims the start. */
    private void claim() throws InterruptedException, SanitizeRefusedException {
        lock.lockInterruptibly();
        try {
            while (starting) {
                changed.await();
            }
            if (running) {
                throw new SanitizeRefusedException(SanitizeRefusedException.Why.SANITIZE_ACTIVE,
                        memdev + ": a sanitize is already running");
            }
            starting = true;
        } finally {
            lock.unlock();
        }
    }

    private void release() {
        lock.lock();
        try {
            starting = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The Sanitize answered 0001h: its watcher is started first, and only then is the state
     * {@code sanitize} published (the watcher publishes its end under the same lock, so never
     * before this). If the thread cannot start, nothing is published and the failure goes to the
     * caller.
     */
    private void publishRunning() {
        lock.lock();
        try {
            long mine = ++generation;
            Thread t = new Thread(() -> awaitCompletion(mine), memdev + "-sanitize");
            t.setDaemon(true);
            t.start();
            watcher = t;
            running = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void publishCompleted(ReturnCode rc) {
        lock.lock();
        try {
            last = rc;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The watcher: waits for the completion of Sanitize {@code mine} without a bound, and in every
     * case (a completion, a failed wait, an unexpected exception) publishes its end in
     * {@code finally}: the state goes back to {@code disabled}, with the completion's return code
     * when it was read, else {@code last_sanitize} as it was. A reset or close that interrupted it
     * has published already (the generation moved on), so then nothing changes.
     */
    private void awaitCompletion(long mine) {
        ReturnCode rc = null;
        try {
            rc = awaitEnd(mine);
            if (rc != null) {
                LOG.info(memdev + ": sanitize ended: " + rc.specName() + ", " + rc.hex());
            }
        } catch (InterruptedException e) {
            if (current(mine)) {
                LOG.warning(memdev + ": waiting for the sanitize was interrupted; the state goes back to disabled");
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning(memdev + ": waiting for the sanitize failed (" + e + "); the state goes back to disabled,"
                    + " its outcome is unknown");
        } finally {
            publishEnd(mine, rc);
        }
    }

    /**
     * The completion's return code, waiting in {@link #REWAIT} rounds until there is one; null once
     * a reset or close has ended Sanitize {@code mine} (should its interrupt have gone unnoticed).
     */
    private ReturnCode awaitEnd(long mine) throws IOException, InterruptedException {
        while (current(mine)) {
            try {
                return client.transport().awaitBackgroundReleased(CommandId.SANITIZE.opcode(), REWAIT).returnCode();
            } catch (CciTimeoutException stillRunning) {
                // not done yet: wait again (the device said nothing else)
            }
        }
        return null;
    }

    private boolean current(long mine) {
        lock.lock();
        try {
            return generation == mine && !closed;
        } finally {
            lock.unlock();
        }
    }

    private void publishEnd(long mine, ReturnCode rc) {
        lock.lock();
        try {
            if (generation != mine) {
                return; // a reset or close ended this one already
            }
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
     * A cold reset of the device: it dropped a running Sanitize (the device's BG Command Status
     * reads 0018h Interrupted then), so the state is settled here at once, before the reset
     * answers: {@code last_sanitize} 0018h Interrupted, the state {@code disabled}, the watcher
     * stopped. A start whose command is still on its way is left to publish what the device
     * answers it. Nothing changes when no Sanitize runs.
     */
    void reset() {
        Thread t;
        lock.lock();
        try {
            if (!running) {
                return;
            }
            generation++;
            running = false;
            last = ReturnCode.INTERRUPTED;
            t = watcher;
            watcher = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.interrupt();
        }
    }

    /**
     * Waits until no Sanitize runs or {@code max} has passed (real time: it is how long a client
     * is willing to wait), and returns the state then. Waits on the state's condition only, never
     * for the mailbox.
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
            generation++;
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
