package io.cxlkit.cli;

import io.cxlkit.device.config.Timing;
import io.cxlkit.device.config.VerifyPolicy;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The values a shell completes for options that take one of a fixed set of words (picocli's
 * {@code completionCandidates}, which {@code generate-completion} writes into the script). They
 * only list the words: each option still checks its value itself, with its own message. Where a
 * type decides the words (timing presets, verification policies) they come from it; the others
 * are checked against the commands that accept them by {@code CompletionChoicesTest}.
 */
public final class CompletionChoices {

    private CompletionChoices() {
    }

    /** A fixed list of words; picocli instantiates each subclass once when it builds the command. */
    abstract static class Words implements Iterable<String> {
        private final List<String> words;

        Words(List<String> words) {
            this.words = List.copyOf(words);
        }

        @Override
        public Iterator<String> iterator() {
            return words.iterator();
        }
    }

    /** {@code serve --timing}. */
    public static final class TimingPresets extends Words {
        public TimingPresets() {
            super(Arrays.stream(Timing.Preset.values()).map(Timing.Preset::label).toList());
        }
    }

    /** {@code serve --fw-verify}. */
    public static final class VerifyPolicies extends Words {
        public VerifyPolicies() {
            super(Arrays.stream(VerifyPolicy.values()).map(VerifyPolicy::label).toList());
        }
    }

    /** {@code serve --online-activate}. */
    public static final class Booleans extends Words {
        public Booleans() {
            super(List.of("true", "false"));
        }
    }

    /** {@code serve --log-level}: the levels {@code Logs.parseLevel} takes. */
    public static final class LogLevels extends Words {
        public LogLevels() {
            super(List.of("error", "warn", "info", "debug"));
        }
    }

    /** {@code inject --activation-fail}. */
    public static final class ActivationFailModes extends Words {
        public ActivationFailModes() {
            super(List.of("rollback", "cold-reset"));
        }
    }

    /** {@code inject --media-status}: the Media Status names, 00h..09h in order. */
    public static final class MediaStatuses extends Words {
        public MediaStatuses() {
            super(Arrays.stream(io.cxlkit.device.fault.FaultSet.MediaStatus.values())
                    .map(io.cxlkit.device.fault.FaultSet.MediaStatus::label).toList());
        }
    }

    /** {@code inject --cci}: which CCI a fail-opcode fault applies to. */
    public static final class FaultCcis extends Words {
        public FaultCcis() {
            super(List.of("mailbox", "mctp", "any"));
        }
    }

    /** {@code cci transfer-fw --action}. */
    public static final class TransferFwActions extends Words {
        public TransferFwActions() {
            super(List.of("full", "initiate", "continue", "end", "abort"));
        }
    }

    /** {@code cci activate-fw --action}. */
    public static final class ActivateFwActions extends Words {
        public ActivateFwActions() {
            super(List.of("online", "reset"));
        }
    }

    /** {@code set-alert-config --life-used-alert} and the other four: ndctl's actions. */
    public static final class AlertActions extends Words {
        public AlertActions() {
            super(List.of("on", "off"));
        }
    }

    /** {@code set-partition -t}: the types ndctl takes ({@code volatile} is {@code ram}). */
    public static final class PartitionTypes extends Words {
        public PartitionTypes() {
            super(List.of("pmem", "ram", "volatile"));
        }
    }

    /** {@code help COMMAND}: the top-level commands. */
    public static final class Commands extends Words {
        public Commands() {
            super(CxlkitCommand.SUBCOMMANDS);
        }
    }
}
