package io.reefline.platform.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void shouldNeutraliseEveryCellThatASpreadsheetWouldRunAsAFormula() {
        assertEquals("\"'=HYPERLINK(\"\"http://evil\"\")\"", Csv.cell("=HYPERLINK(\"http://evil\")"));
        assertEquals("'+1+1", Csv.cell("+1+1"));
        assertEquals("'-2+3", Csv.cell("-2+3"));
        assertEquals("'@SUM(A1:A9)", Csv.cell("@SUM(A1:A9)"));
        assertEquals("'\t=1", Csv.cell("\t=1"));
        assertEquals("\"'\r=1\"", Csv.cell("\r=1"));
    }

    @Test
    void shouldQuoteCellsWithCommasQuotesAndLineBreaks() {
        assertEquals("\"a,b\"", Csv.cell("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.cell("say \"hi\""));
        assertEquals("\"'=1,2\"", Csv.cell("=1,2"));
        assertEquals("\"two\nlines\"", Csv.cell("two\nlines"));
    }

    @Test
    void shouldLeaveNumbersAndPlainTextAlone() {
        assertEquals("-3", Csv.cell(-3));
        assertEquals("-0.25", Csv.cell(-0.25));
        assertEquals("2026-11", Csv.cell("2026-11"));
        assertEquals("", Csv.cell(null));
        assertEquals("", Csv.cell(""));
    }

    @Test
    void shouldWriteAHeaderAndOneCrlfLinePerRow() {
        String csv = Csv.of(
                List.of("month", "note"),
                List.of(Arrays.asList("2026-11", "=cmd|' /C calc'!A0"), Arrays.asList(null, 4)));
        assertEquals("month,note\r\n2026-11,'=cmd|' /C calc'!A0\r\n,4\r\n", csv);
    }
}
