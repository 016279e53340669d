package io.cxlkit.protocol;

import java.util.Optional;

/** CXL r3.1 Table 8-34: the mailbox / CCI return codes, with the spec's names. */
public enum ReturnCode {
    SUCCESS(0x0000, "Success"),
    BACKGROUND_COMMAND_STARTED(0x0001, "Background Command Started"),
    INVALID_INPUT(0x0002, "Invalid Input"),
    UNSUPPORTED(0x0003, "Unsupported"),
    INTERNAL_ERROR(0x0004, "Internal Error"),
    RETRY_REQUIRED(0x0005, "Retry Required"),
    BUSY(0x0006, "Busy"),
    MEDIA_DISABLED(0x0007, "Media Disabled"),
    FW_TRANSFER_IN_PROGRESS(0x0008, "FW Transfer in Progress"),
    FW_TRANSFER_OUT_OF_ORDER(0x0009, "FW Transfer Out of Order"),
    FW_VERIFICATION_FAILED(0x000A, "FW Verification Failed"),
    INVALID_SLOT(0x000B, "Invalid Slot"),
    ACTIVATION_FAILED_ROLLED_BACK(0x000C, "Activation Failed, FW Rolled Back"),
    ACTIVATION_FAILED_COLD_RESET_REQUIRED(0x000D, "Activation Failed, Cold Reset Required"),
    INVALID_HANDLE(0x000E, "Invalid Handle"),
    INVALID_PHYSICAL_ADDRESS(0x000F, "Invalid Physical Address"),
    INJECT_POISON_LIMIT_REACHED(0x0010, "Inject Poison Limit Reached"),
    PERMANENT_MEDIA_FAILURE(0x0011, "Permanent Media Failure"),
    ABORTED(0x0012, "Aborted"),
    INVALID_SECURITY_STATE(0x0013, "Invalid Security State"),
    INCORRECT_PASSPHRASE(0x0014, "Incorrect Passphrase"),
    UNSUPPORTED_MAILBOX_OR_CCI(0x0015, "Unsupported Mailbox or CCI"),
    INVALID_PAYLOAD_LENGTH(0x0016, "Invalid Payload Length"),
    INVALID_LOG(0x0017, "Invalid Log"),
    INTERRUPTED(0x0018, "Interrupted"),
    UNSUPPORTED_FEATURE_VERSION(0x0019, "Unsupported Feature Version"),
    UNSUPPORTED_FEATURE_SELECTION_VALUE(0x001A, "Unsupported Feature Selection Value"),
    FEATURE_TRANSFER_IN_PROGRESS(0x001B, "Feature Transfer in Progress"),
    FEATURE_TRANSFER_OUT_OF_ORDER(0x001C, "Feature Transfer Out of Order"),
    RESOURCES_EXHAUSTED(0x001D, "Resources Exhausted"),
    INVALID_EXTENT_LIST(0x001E, "Invalid Extent List"),
    TRANSFER_OUT_OF_ORDER(0x001F, "Transfer Out of Order"),
    REQUEST_ABORT_NOT_SUPPORTED(0x0020, "Request Abort Not Supported by Background Operation");

    private static final ReturnCode[] BY_VALUE = values();

    private final int value;
    private final String specName;

    ReturnCode(int value, String specName) {
        this.value = value;
        this.specName = specName;
    }

    /** The 16-bit value carried on the wire. */
    public int value() {
        return value;
    }

    /** The name the spec gives this code, e.g. "FW Verification Failed". */
    public String specName() {
        return specName;
    }

    /** The code as the docs write it: four upper-case hex digits and 'h', e.g. "000Ah". */
    public String hex() {
        return hex(value);
    }

    /** Formats any 16-bit return code value the way {@link #hex()} does. */
    public static String hex(int value) {
        return String.format("%04Xh", value & 0xFFFF);
    }

    /** The code with this wire value, if the spec defines one (values are dense from 0). */
    public static Optional<ReturnCode> fromValue(int value) {
        return value >= 0 && value < BY_VALUE.length ? Optional.of(BY_VALUE[value]) : Optional.empty();
    }

    /**
     * Parses a code written as the docs write it ("000Ah", "0x000a", "000a").
     *
     * @throws IllegalArgumentException if it is not hex or not a code CXL r3.1 defines
     */
    public static ReturnCode parse(String text) {
        int value = Hex16.parse(text, "return code");
        return fromValue(value).orElseThrow(() -> new IllegalArgumentException(
                "return code " + hex(value) + " is not defined by CXL r3.1"));
    }

    /** The spec name for a wire value, or "Unknown" when the spec defines none. */
    public static String nameOf(int value) {
        return fromValue(value).map(ReturnCode::specName).orElse("Unknown");
    }

    /** True for the two codes that mean the command was accepted. */
    public boolean isAccepted() {
        return this == SUCCESS || this == BACKGROUND_COMMAND_STARTED;
    }
}
