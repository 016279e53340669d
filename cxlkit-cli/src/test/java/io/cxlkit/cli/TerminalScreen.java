package io.cxlkit.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * What a terminal of a given width shows after some output: the few things the progress display
 * sends (text, CR, LF as the tty driver turns it into CR LF, cursor up {@code ESC[nA}, erase to the
 * end of the line {@code ESC[K} and of the screen {@code ESC[J}), with the wrap of a text reaching
 * the last column as xterm does it (the next character goes to the next line). The screen never
 * scrolls off: every line ever shown and not erased is kept.
 */
public final class TerminalScreen {

    private final int width;
    private final List<StringBuilder> lines = new ArrayList<>();
    private int row;
    private int col;
    private int wraps;

    private TerminalScreen(int width) {
        this.width = width;
        lines.add(new StringBuilder());
    }

    /** The screen after {@code output} on a terminal {@code width} columns wide. */
    public static TerminalScreen of(String output, int width) {
        TerminalScreen s = new TerminalScreen(width);
        s.write(output);
        return s;
    }

    private void write(String output) {
        for (int i = 0; i < output.length(); i++) {
            char c = output.charAt(i);
            if (c == '\r') {
                col = 0;
            } else if (c == '\n') {
                moveTo(row + 1);
                col = 0;
            } else if (c == '\033') {
                if (i + 1 >= output.length() || output.charAt(i + 1) != '[') {
                    throw new IllegalArgumentException("not a CSI sequence at " + i + ": " + output);
                }
                int j = i + 2;
                while (j < output.length() && Character.isDigit(output.charAt(j))) {
                    j++;
                }
                int n = j > i + 2 ? Integer.parseInt(output.substring(i + 2, j)) : 1;
                char op = output.charAt(j);
                switch (op) {
                    case 'A' -> row = Math.max(0, row - n);
                    case 'K' -> truncate(lines.get(row), col);
                    case 'J' -> {
                        truncate(lines.get(row), col);
                        while (lines.size() > row + 1) {
                            lines.remove(lines.size() - 1);
                        }
                    }
                    default -> throw new IllegalArgumentException("unexpected CSI " + op + " at " + i);
                }
                i = j;
            } else {
                if (col == width) { // the pending wrap of a full line
                    wraps++;
                    moveTo(row + 1);
                    col = 0;
                }
                StringBuilder line = lines.get(row);
                while (line.length() < col) {
                    line.append(' ');
                }
                if (col < line.length()) {
                    line.setCharAt(col, c);
                } else {
                    line.append(c);
                }
                col++;
            }
        }
    }

    private void moveTo(int r) {
        while (lines.size() <= r) {
            lines.add(new StringBuilder());
        }
        row = r;
    }

    private static void truncate(StringBuilder line, int at) {
        if (line.length() > at) {
            line.setLength(at);
        }
    }

    /** The lines shown, without a last empty one (the cursor's line after a final LF). */
    public List<String> lines() {
        List<String> shown = new ArrayList<>();
        for (StringBuilder l : lines) {
            shown.add(l.toString());
        }
        if (!shown.isEmpty() && shown.get(shown.size() - 1).isEmpty()) {
            shown.remove(shown.size() - 1);
        }
        return shown;
    }

    /** How often text ran past the last column onto the next line: a display that fits never does. */
    public int wraps() {
        return wraps;
    }
}
