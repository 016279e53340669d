package io.cxlkit.protocol;

/**
 * A 16-bit CCI command opcode: command set in bits 15:8, command in bits 7:0.
 * A value type so opcodes are never confused with lengths or return codes.
 */
public record Opcode(int value) implements Comparable<Opcode> {

    public Opcode {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("opcode out of range: " + value);
        }
    }

    public static Opcode of(int value) {
        return new Opcode(value);
    }

    /** Parses "0200h", "0x0200" or "0200" (hex in every form). */
    public static Opcode parse(String text) {
        return new Opcode(Hex16.parse(text, "opcode"));
    }

    public int commandSet() {
        return value >>> 8;
    }

    public int command() {
        return value & 0xFF;
    }

    @Override
    public int compareTo(Opcode other) {
        return Integer.compare(value, other.value);
    }

    /** "0200h", the way the spec writes opcodes. */
    @Override
    public String toString() {
        return String.format("%04Xh", value);
    }
}
