package io.cxlkit.protocol.payload;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A fixed-width ASCII field, NUL-padded (FW revisions). Encoding rejects text the field cannot
 * carry unchanged: longer than the width, a non-ASCII character, or a NUL. Decoding stops at the
 * first NUL; bytes after it are ignored.
 */
public final class FixedAscii {
    private FixedAscii() {
    }

    /**
     * Returns {@code text} if {@code width} bytes can carry it unchanged, else throws
     * {@link IllegalArgumentException}. Records call this from their compact constructors.
     */
    public static String requireEncodable(String text, int width) {
        Objects.requireNonNull(text, "text");
        if (text.length() > width) {
            throw new IllegalArgumentException("text is longer than " + width + " bytes: \"" + text + "\"");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || c > 0x7F) {
                throw new IllegalArgumentException(String.format(
                        "text must be ASCII without NUL, found U+%04X at %d", (int) c, i));
            }
        }
        return text;
    }

    /** Writes {@code text} NUL-padded to {@code width} bytes at {@code out}'s position, advancing it. */
    public static void encode(String text, ByteBuffer out, int width) {
        requireEncodable(text, width);
        if (out.remaining() < width) {
            throw new BufferOverflowException();
        }
        out.put(text.getBytes(StandardCharsets.US_ASCII));
        for (int i = text.length(); i < width; i++) {
            out.put((byte) 0);
        }
    }

    /**
     * Reads {@code width} bytes at {@code in}'s position, advancing it, and returns the text up to
     * the first NUL. Throws {@link MalformedPayloadException} if fewer bytes remain or a byte
     * before the first NUL is not ASCII.
     */
    public static String decode(ByteBuffer in, int width) {
        if (in.remaining() < width) {
            throw new MalformedPayloadException("a " + width + "-byte text field needs " + width
                    + " bytes, got " + in.remaining());
        }
        int start = in.position();
        int len = 0;
        while (len < width && in.get(start + len) != 0) {
            int b = in.get(start + len);
            if (b < 0) {
                throw new MalformedPayloadException(String.format(
                        "text field holds a non-ASCII byte %02Xh at %d", b & 0xFF, len));
            }
            len++;
        }
        byte[] bytes = new byte[len];
        in.get(start, bytes);
        in.position(start + width);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
