package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/** The head start runs through on its canned data (an exception would only shorten it, silently). */
class HeadStartTest {

    @Test
    void warmsWithoutFailing() {
        assertThatCode(HeadStart::warm).doesNotThrowAnyException();
    }

    @Test
    void startsOnlyForTheCommandsItHelpsAndNeverFails() {
        assertThatCode(() -> {
            HeadStart.startFor(new String[0]);
            HeadStart.startFor(new String[] {"serve"});
            HeadStart.startFor(new String[] {"list", "-F"});
        }).doesNotThrowAnyException();
    }
}
