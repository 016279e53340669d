package io.cxlkit.device.command;

/** A command's input payload length rule: exactly n bytes, or at least n bytes. */
public record LengthRule(int bytes, boolean orMore) {

    public static LengthRule exactly(int n) {
        return new LengthRule(n, false);
    }

    public static LengthRule atLeast(int n) {
        return new LengthRule(n, true);
    }

    public boolean accepts(int length) {
        return orMore ? length >= bytes : length == bytes;
    }

    @Override
    public String toString() {
        return (orMore ? "at least " : "exactly ") + bytes;
    }
}
