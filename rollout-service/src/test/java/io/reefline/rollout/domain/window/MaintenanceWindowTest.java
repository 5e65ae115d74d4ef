package io.reefline.rollout.domain.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** 2026-03-02 is a Monday. London: BST starts 2026-03-29 01:00Z, ends 2026-10-25 01:00Z. */
class MaintenanceWindowTest {

    private static final Duration HALF_HOUR = Duration.ofMinutes(30);

    private static Instant at(String utc) {
        return Instant.parse(utc);
    }

    private static WindowInterval interval(String start, String end) {
        return new WindowInterval(at(start), at(end));
    }

    @Nested
    class Parsing {

        @Test
        void shouldReadTheAnnotationExamples() {
            MaintenanceWindow weekdays = MaintenanceWindow.parse("Mon-Fri 09:00-12:00");
            assertEquals(
                    EnumSet.of(
                            DayOfWeek.MONDAY,
                            DayOfWeek.TUESDAY,
                            DayOfWeek.WEDNESDAY,
                            DayOfWeek.THURSDAY,
                            DayOfWeek.FRIDAY),
                    weekdays.days());
            assertEquals(ZoneOffset.UTC, weekdays.zone());
            assertEquals(Duration.ofHours(3), weekdays.nominalLength());

            MaintenanceWindow london = MaintenanceWindow.parse("Daily 22:00-02:00 Europe/London");
            assertEquals(EnumSet.allOf(DayOfWeek.class), london.days());
            assertEquals(ZoneId.of("Europe/London"), london.zone());
            assertEquals(Duration.ofHours(4), london.nominalLength());

            assertEquals(
                    EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
                    MaintenanceWindow.parse("Sat,Sun 01:00-05:00 Australia/Sydney")
                            .days());
            assertEquals(
                    EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY),
                    MaintenanceWindow.parse("Mon,Wed,Fri 10:00-11:30").days());
        }

        @Test
        void shouldWrapDayRangesAndIgnoreCase() {
            assertEquals(
                    EnumSet.of(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY),
                    MaintenanceWindow.parse("fri-MON 01:00-02:00").days());
            assertEquals(
                    EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.SATURDAY),
                    MaintenanceWindow.parse("Mon-Tue,Sat 01:00-02:00").days());
        }

        @Test
        void shouldPrintACanonicalFormThatParsesBackToAnEqualWindow() {
            MaintenanceWindow window = MaintenanceWindow.parse("  sat,SUN   01:00-05:00 Australia/Sydney ");
            assertEquals("Sat,Sun 01:00-05:00 Australia/Sydney", window.toString());
            assertEquals(window, MaintenanceWindow.parse(window.toString()));
            assertEquals(
                    window.hashCode(),
                    MaintenanceWindow.parse(window.toString()).hashCode());
            assertEquals(
                    "Daily 00:00-24:00 UTC",
                    MaintenanceWindow.parse("Daily 00:00-24:00").toString());
            assertEquals(
                    "Mon-Fri 09:00-12:00 UTC",
                    MaintenanceWindow.parse("Mon-Fri 09:00-12:00").toString());
            assertEquals(
                    "Mon,Wed,Fri 10:00-11:30 UTC",
                    MaintenanceWindow.parse("Fri,Wed,Mon 10:00-11:30").toString());
            assertEquals(
                    "Mon,Fri-Sun 10:00-11:30 UTC",
                    MaintenanceWindow.parse("Fri-Mon 10:00-11:30").toString());
            assertEquals(MaintenanceWindow.parse("Mon 10:00-11:00"), MaintenanceWindow.parse("Mon 10:00-11:00 UTC"));
            assertEquals(
                    MaintenanceWindow.parse("Mon 10:00-11:00"), MaintenanceWindow.parse("Mon 10:00-11:00 Etc/UTC"));
        }

        @Test
        void shouldNameEveryProblemOfAMalformedWindow() {
            WindowParseException e =
                    assertThrows(WindowParseException.class, () -> MaintenanceWindow.parse("Someday 25:00-99:00"));
            assertEquals("Someday 25:00-99:00", e.input());
            assertEquals(3, e.problems().size(), e.problems().toString());
            assertTrue(e.problems().get(0).contains("unknown day 'Someday'"));
            assertTrue(e.problems().get(1).contains("start time '25:00'"));
            assertTrue(e.problems().get(2).contains("end time '99:00'"));
            assertTrue(e.getMessage().startsWith("invalid maintenance window 'Someday 25:00-99:00': "));
        }

        @Test
        void shouldRejectAStartEqualToTheEndAndPointTo24Hours() {
            WindowParseException e =
                    assertThrows(WindowParseException.class, () -> MaintenanceWindow.parse("Daily 00:00-00:00"));
            assertTrue(e.problems().get(0).contains("00:00-24:00"), e.problems().toString());
            assertThrows(WindowParseException.class, () -> MaintenanceWindow.parse("Mon 10:00-10:00"));
        }

        @Test
        void shouldRejectAnUnknownZone() {
            WindowParseException e = assertThrows(
                    WindowParseException.class, () -> MaintenanceWindow.parse("Mon 10:00-11:00 Mars/Olympus"));
            assertEquals(1, e.problems().size());
            assertTrue(e.problems().get(0).contains("unknown time zone 'Mars/Olympus'"));
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "",
                    "   ",
                    "Mon-Fri",
                    "Mon-Fri 09:00",
                    "Mon-Fri 9:00-12:00",
                    "Mon-Fri 09:00-12:00 UTC extra",
                    "Mon-Fri-Sat 09:00-12:00",
                    "Mon,,Fri 09:00-12:00",
                    "Monday 09:00-12:00",
                    "Mon 24:00-02:00",
                    "Mon 09:60-10:00",
                    "Mon 09:00-24:01"
                })
        void shouldRejectMalformedInput(String text) {
            WindowParseException e = assertThrows(WindowParseException.class, () -> MaintenanceWindow.parse(text));
            assertFalse(e.problems().isEmpty());
        }
    }

    @Nested
    class SameDay {
        private final MaintenanceWindow window = MaintenanceWindow.parse("Mon-Fri 09:00-12:00");

        @Test
        void shouldBeOpenFromStartInclusiveToEndExclusive() {
            assertFalse(window.isOpenAt(at("2026-03-02T08:59:59Z")));
            assertTrue(window.isOpenAt(at("2026-03-02T09:00:00Z")));
            assertTrue(window.isOpenAt(at("2026-03-02T11:59:59Z")));
            assertFalse(window.isOpenAt(at("2026-03-02T12:00:00Z")));
        }

        @Test
        void shouldBeClosedOnDaysNotListed() {
            assertFalse(window.isOpenAt(at("2026-03-07T10:00:00Z")), "Saturday");
            assertFalse(window.isOpenAt(at("2026-03-08T10:00:00Z")), "Sunday");
        }

        @Test
        void shouldReturnTheCurrentIntervalWhenOpenAndTheNextOneOtherwise() {
            assertEquals(
                    Optional.of(interval("2026-03-02T09:00:00Z", "2026-03-02T12:00:00Z")),
                    window.nextOpening(at("2026-03-02T10:00:00Z")));
            assertEquals(
                    Optional.of(interval("2026-03-03T09:00:00Z", "2026-03-03T12:00:00Z")),
                    window.nextOpening(at("2026-03-02T12:00:00Z")));
            assertEquals(
                    Optional.of(interval("2026-03-09T09:00:00Z", "2026-03-09T12:00:00Z")),
                    window.nextOpening(at("2026-03-06T13:00:00Z")),
                    "Friday afternoon: next Monday");
        }

        @Test
        void shouldOnlyStartWhenThereIsEnoughTimeLeftToFinish() {
            Duration hour = Duration.ofHours(1);
            assertTrue(window.canFinish(at("2026-03-02T11:00:00Z"), hour), "ends exactly at the window's end");
            assertFalse(window.canFinish(at("2026-03-02T11:00:01Z"), hour));
            assertFalse(window.canFinish(at("2026-03-02T08:59:00Z"), hour), "closed");
            assertTrue(window.canFinish(at("2026-03-02T09:00:00Z"), Duration.ofHours(3)));
        }

        @Test
        void shouldFindTheNextSlotThatFitsTheExpectedDuration() {
            Duration hour = Duration.ofHours(1);
            assertEquals(Optional.of(at("2026-03-02T09:00:00Z")), window.nextSlot(at("2026-03-02T06:00:00Z"), hour));
            assertEquals(Optional.of(at("2026-03-02T10:15:00Z")), window.nextSlot(at("2026-03-02T10:15:00Z"), hour));
            assertEquals(Optional.of(at("2026-03-03T09:00:00Z")), window.nextSlot(at("2026-03-02T11:30:00Z"), hour));
            assertEquals(
                    Optional.of(at("2026-03-09T09:00:00Z")),
                    window.nextSlot(at("2026-03-06T11:30:00Z"), hour),
                    "Friday late: next Monday");
        }

        @Test
        void shouldNeverFindASlotInAWindowShorterThanTheUpgrade() {
            assertEquals(Optional.empty(), window.nextSlot(at("2026-03-02T06:00:00Z"), Duration.ofMinutes(181)));
            assertEquals(
                    Optional.of(at("2026-03-02T09:00:00Z")),
                    window.nextSlot(at("2026-03-02T06:00:00Z"), Duration.ofHours(3)));
        }
    }

    @Nested
    class AcrossMidnight {

        @Test
        void shouldBelongToTheDayItStarts() {
            MaintenanceWindow friday = MaintenanceWindow.parse("Fri 22:00-02:00");
            assertTrue(friday.isOpenAt(at("2026-03-06T22:00:00Z")));
            assertTrue(friday.isOpenAt(at("2026-03-07T01:59:00Z")), "Saturday morning is still Friday's window");
            assertFalse(friday.isOpenAt(at("2026-03-07T02:00:00Z")));
            assertFalse(friday.isOpenAt(at("2026-03-06T01:00:00Z")), "Friday morning belongs to Thursday");
            assertEquals(
                    Optional.of(interval("2026-03-06T22:00:00Z", "2026-03-07T02:00:00Z")),
                    friday.nextOpening(at("2026-03-07T01:00:00Z")));
        }

        @Test
        void shouldCarryTheUpgradePastMidnight() {
            MaintenanceWindow daily = MaintenanceWindow.parse("Daily 22:00-02:00");
            assertTrue(daily.canFinish(at("2026-03-02T23:30:00Z"), Duration.ofHours(2)));
            assertFalse(daily.canFinish(at("2026-03-03T01:00:00Z"), Duration.ofHours(2)));
            assertEquals(
                    Optional.of(at("2026-03-03T22:00:00Z")),
                    daily.nextSlot(at("2026-03-03T01:00:00Z"), Duration.ofHours(2)));
            assertEquals(
                    Optional.of(at("2026-03-03T00:30:00Z")),
                    daily.nextSlot(at("2026-03-03T00:30:00Z"), Duration.ofMinutes(90)));
        }

        @Test
        void shouldTreatAnEndOf24AsTheNextMidnightAndMergeTouchingDays() {
            MaintenanceWindow always = MaintenanceWindow.parse("Daily 00:00-24:00");
            assertTrue(always.isOpenAt(at("2026-03-02T00:00:00Z")));
            assertTrue(always.isOpenAt(at("2026-07-15T13:37:00Z")));
            assertTrue(always.canFinish(at("2026-03-02T23:30:00Z"), Duration.ofHours(30)), "days merge");
            assertEquals(
                    Optional.of(at("2026-03-02T23:30:00Z")),
                    always.nextSlot(at("2026-03-02T23:30:00Z"), Duration.ofHours(30)));

            MaintenanceWindow weekend = MaintenanceWindow.parse("Sat,Sun 00:00-24:00");
            assertEquals(
                    Optional.of(interval("2026-03-07T00:00:00Z", "2026-03-09T00:00:00Z")),
                    weekend.nextOpening(at("2026-03-04T00:00:00Z")));
        }
    }

    @Nested
    class DaylightSaving {

        @Test
        void shouldStartAWindowInTheSpringForwardGapAtTheEndOfTheGapInLondon() {
            // 2026-03-29: 01:00 GMT jumps to 02:00 BST; 01:30 does not exist that day.
            MaintenanceWindow window = MaintenanceWindow.parse("Daily 01:30-03:00 Europe/London");
            assertEquals(
                    Optional.of(interval("2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z")),
                    window.nextOpening(at("2026-03-29T00:00:00Z")),
                    "starts at 02:00 BST, the first instant after the gap, ends 03:00 BST: one hour");
            assertEquals(
                    Optional.of(interval("2026-03-28T01:30:00Z", "2026-03-28T03:00:00Z")),
                    window.nextOpening(at("2026-03-28T00:00:00Z")),
                    "the day before, GMT");
            assertEquals(
                    Optional.of(interval("2026-03-30T00:30:00Z", "2026-03-30T02:00:00Z")),
                    window.nextOpening(at("2026-03-29T02:00:00Z")),
                    "the day after, BST");
            assertEquals(
                    Optional.of(at("2026-03-30T00:30:00Z")),
                    window.nextSlot(at("2026-03-29T00:00:00Z"), Duration.ofMinutes(90)),
                    "the shortened occurrence cannot hold a 90 minute upgrade");
            assertEquals(
                    Optional.of(at("2026-03-29T01:00:00Z")),
                    window.nextSlot(at("2026-03-29T00:00:00Z"), Duration.ofMinutes(60)));
        }

        @Test
        void shouldSkipAnOccurrenceTheGapErasesEntirely() {
            MaintenanceWindow window = MaintenanceWindow.parse("Sun 01:10-01:50 Europe/London");
            assertEquals(
                    Optional.of(interval("2026-04-05T00:10:00Z", "2026-04-05T00:50:00Z")),
                    window.nextOpening(at("2026-03-29T00:00:00Z")),
                    "01:10-01:50 does not exist on 2026-03-29; next Sunday, BST");
        }

        @Test
        void shouldUseTheFirstOccurrenceOfARepeatedHourInLondon() {
            // 2026-10-25: 02:00 BST falls back to 01:00 GMT; 01:00-02:00 local happens twice.
            MaintenanceWindow window = MaintenanceWindow.parse("Daily 01:30-03:00 Europe/London");
            assertEquals(
                    Optional.of(interval("2026-10-25T00:30:00Z", "2026-10-25T03:00:00Z")),
                    window.nextOpening(at("2026-10-25T00:00:00Z")),
                    "starts at the first 01:30 (BST); the day's occurrence is 2.5 hours");
            MaintenanceWindow ending = MaintenanceWindow.parse("Daily 00:00-01:30 Europe/London");
            assertEquals(
                    Optional.of(interval("2026-10-24T23:00:00Z", "2026-10-25T00:30:00Z")),
                    ending.nextOpening(at("2026-10-24T23:30:00Z")),
                    "ends at the first 01:30, never stretched into the repeated hour");
            assertFalse(ending.isOpenAt(at("2026-10-25T01:00:00Z")), "01:00 GMT is the repeated 01:00");
            assertEquals(
                    Optional.empty(),
                    MaintenanceWindow.parse("Daily 01:00-02:00 Europe/London")
                            .nextSlot(at("2026-10-25T00:00:00Z"), Duration.ofMinutes(90)),
                    "a 1 hour window never holds 90 minutes, not even on the day fall-back lengthens it");
        }

        @Test
        void shouldShortenAndLengthenSydneyWeekendWindowsAtTheTransitions() {
            MaintenanceWindow window = MaintenanceWindow.parse("Sat,Sun 01:00-05:00 Australia/Sydney");
            // 2026-10-04 (Sunday) 02:00 AEST jumps to 03:00 AEDT: 01:00 AEST to 05:00 AEDT is 3 hours.
            assertEquals(
                    Optional.of(interval("2026-10-03T15:00:00Z", "2026-10-03T18:00:00Z")),
                    window.nextOpening(at("2026-10-03T00:00:00Z")));
            assertEquals(
                    Optional.of(at("2026-10-09T14:00:00Z")),
                    window.nextSlot(at("2026-10-03T00:00:00Z"), Duration.ofHours(4)),
                    "the 3 hour Sunday cannot hold 4 hours: next Saturday 01:00 AEDT");
            // 2026-04-05 (Sunday) 03:00 AEDT falls back to 02:00 AEST: 01:00 AEDT to 05:00 AEST is 5 hours.
            assertEquals(
                    Optional.of(interval("2026-04-04T14:00:00Z", "2026-04-04T19:00:00Z")),
                    window.nextOpening(at("2026-04-04T12:00:00Z")));
        }

        @Test
        void shouldStartASydneyWindowInTheGapAtTheTransition() {
            MaintenanceWindow window = MaintenanceWindow.parse("Sun 02:30-04:00 Australia/Sydney");
            assertEquals(
                    Optional.of(interval("2026-10-03T16:00:00Z", "2026-10-03T17:00:00Z")),
                    window.nextOpening(at("2026-10-03T00:00:00Z")),
                    "02:30 AEST does not exist; starts 03:00 AEDT and ends 04:00 AEDT");
        }

        @Test
        void shouldCrossMidnightOnTheDayOfTheTransition() {
            MaintenanceWindow window = MaintenanceWindow.parse("Sat 23:00-03:00 Europe/London");
            // Saturday 2026-03-28 23:00 GMT to Sunday 03:00 BST: 3 hours instead of 4.
            assertEquals(
                    Optional.of(interval("2026-03-28T23:00:00Z", "2026-03-29T02:00:00Z")),
                    window.nextOpening(at("2026-03-28T12:00:00Z")));
        }
    }

    @Test
    void shouldNeverLoopForeverAndRejectNegativeDurations() {
        MaintenanceWindow window = MaintenanceWindow.parse("Sun 01:00-01:30");
        assertEquals(Optional.empty(), window.nextSlot(at("2026-03-02T00:00:00Z"), Duration.ofHours(2)));
        assertThrows(
                IllegalArgumentException.class,
                () -> window.nextSlot(at("2026-03-02T00:00:00Z"), Duration.ofMinutes(-1)));
        assertEquals(Optional.of(at("2026-03-08T01:00:00Z")), window.nextSlot(at("2026-03-02T00:00:00Z"), HALF_HOUR));
    }
}
