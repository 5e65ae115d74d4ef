package io.reefline.rollout.domain.window;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A customer-chosen recurring maintenance window, read from the {@code reefline.io/maintenance-window} annotation.
 *
 * <p>Format: {@code <days> <HH:MM>-<HH:MM> [IANA zone]}, for example {@code Mon-Fri 09:00-12:00},
 * {@code Daily 22:00-02:00 Europe/London}, {@code Sat,Sun 01:00-05:00 Australia/Sydney}. Days are {@code Daily} or a
 * comma list of three-letter day names and ranges ({@code Mon-Fri}, {@code Fri-Mon} wraps); case does not matter. The
 * zone is UTC when omitted.
 *
 * <p>Rules, chosen so that every local description maps to exactly one set of instants:
 *
 * <ul>
 *   <li>The day set names the day the window <em>starts</em>: {@code Fri 22:00-02:00} runs from Friday 22:00 to
 *       Saturday 02:00.
 *   <li>An end earlier than the start crosses midnight. {@code 24:00} is accepted as an end and means the next
 *       midnight, so {@code Daily 00:00-24:00} is open all the time. A start equal to the end is rejected: it could mean
 *       an empty or a 24-hour window, and guessing wrong would either block or release a whole fleet.
 *   <li>DST gap (spring forward): a start or end at a local time that does not exist resolves to the first valid
 *       instant after the gap, i.e. the transition instant. An occurrence that becomes empty that day is skipped.
 *   <li>DST overlap (fall back): a local time that occurs twice resolves to its first occurrence (the earlier offset),
 *       for the start and the end alike. A window is never stretched into the repeated hour the customer did not pick.
 *   <li>Occurrences that touch (only possible with 24-hour windows, e.g. {@code Sat,Sun 00:00-24:00}) are merged into
 *       one interval, at most a week of them, so a long upgrade may run across midnight when the window is continuous.
 * </ul>
 *
 * <p>All methods are pure functions of their arguments.
 */
public final class MaintenanceWindow {

    /** A window occurrence ends at most two local days after the day it starts; a week plus DST slack is enough. */
    private static final int SEARCH_DAYS = 16;

    /** nextSlot gives up after this many occurrences: more than a year of weekly windows. */
    private static final int MAX_OCCURRENCES = 60;

    private static final int MINUTES_PER_DAY = 24 * 60;
    private static final Pattern TIME_RANGE = Pattern.compile("([^-]+)-([^-]+)");
    private static final Pattern CLOCK = Pattern.compile("(\\d{2}):(\\d{2})");
    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private final Set<DayOfWeek> days;
    private final int startMinute;
    private final int endMinute;
    private final ZoneId zone;
    private final ZoneRules rules;
    private final boolean fixedOffset;
    private final int hash;
    private final String text;

    private MaintenanceWindow(Set<DayOfWeek> days, int startMinute, int endMinute, ZoneId zone) {
        this.days = Collections.unmodifiableSet(EnumSet.copyOf(days));
        this.startMinute = startMinute;
        this.endMinute = endMinute;
        this.zone = zone;
        this.rules = zone.getRules();
        this.fixedOffset = rules.isFixedOffset();
        // Cached: the planner keys its slot memo by window, once per candidate.
        this.hash = Objects.hash(days, startMinute, endMinute, zone);
        this.text = dayText() + " " + clock(startMinute) + "-" + clock(endMinute) + " "
                + (zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId());
    }

    /**
     * Reads an annotation value.
     *
     * @throws WindowParseException naming every problem found
     */
    public static MaintenanceWindow parse(String text) {
        List<String> problems = new ArrayList<>();
        if (text == null || text.isBlank()) {
            throw new WindowParseException(
                    String.valueOf(text), List.of("empty; expected e.g. 'Mon-Fri 09:00-12:00 Europe/London'"));
        }
        String[] parts = text.trim().split("\\s+");
        if (parts.length < 2 || parts.length > 3) {
            throw new WindowParseException(
                    text,
                    List.of("expected '<days> <HH:MM>-<HH:MM> [zone]' (2 or 3 parts separated by spaces), got "
                            + parts.length + " part(s)"));
        }
        Set<DayOfWeek> days = parseDays(parts[0], problems);
        int start = -1;
        int end = -1;
        Matcher range = TIME_RANGE.matcher(parts[1]);
        if (range.matches()) {
            start = parseClock(range.group(1), "start", false, problems);
            end = parseClock(range.group(2), "end", true, problems);
            if (start >= 0 && start == end) {
                problems.add("start equals end (" + parts[1] + "); use 00:00-24:00 for a window that is always open");
            }
        } else {
            problems.add("time range '" + parts[1] + "' is not of the form HH:MM-HH:MM");
        }
        ZoneId zone = ZoneOffset.UTC;
        if (parts.length == 3) {
            try {
                // Normalised so that "UTC", "Etc/UTC" and no zone at all are one and the same window.
                zone = ZoneId.of(parts[2]).normalized();
            } catch (DateTimeException e) {
                problems.add("unknown time zone '" + parts[2] + "' (expected an IANA zone such as Europe/London)");
            }
        }
        if (!problems.isEmpty()) {
            throw new WindowParseException(text, problems);
        }
        return new MaintenanceWindow(days, start, end, zone);
    }

    private static Set<DayOfWeek> parseDays(String text, List<String> problems) {
        if (text.equalsIgnoreCase("daily")) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : text.split(",", -1)) {
            String[] bounds = item.split("-", -1);
            if (bounds.length == 1) {
                DayOfWeek day = parseDay(bounds[0], problems);
                if (day != null) {
                    days.add(day);
                }
            } else if (bounds.length == 2) {
                DayOfWeek from = parseDay(bounds[0], problems);
                DayOfWeek to = parseDay(bounds[1], problems);
                if (from != null && to != null) {
                    for (DayOfWeek d = from; ; d = d.plus(1)) {
                        days.add(d);
                        if (d == to) {
                            break;
                        }
                    }
                }
            } else {
                problems.add("day range '" + item + "' has more than one '-'");
            }
        }
        return days;
    }

    private static DayOfWeek parseDay(String text, List<String> problems) {
        int index = DAY_NAMES.indexOf(text.toLowerCase(Locale.ROOT));
        if (index < 0) {
            problems.add("unknown day '" + text + "' (expected Daily, or Mon, Tue, Wed, Thu, Fri, Sat, Sun in"
                    + " a list like Sat,Sun or a range like Mon-Fri)");
            return null;
        }
        return DayOfWeek.of(index + 1);
    }

    /** Minutes since midnight, or -1 after recording the problem. */
    private static int parseClock(String text, String which, boolean endOfDayAllowed, List<String> problems) {
        Matcher m = CLOCK.matcher(text);
        if (m.matches()) {
            int hours = Integer.parseInt(m.group(1));
            int minutes = Integer.parseInt(m.group(2));
            if (hours == 24 && minutes == 0 && endOfDayAllowed) {
                return MINUTES_PER_DAY;
            }
            if (hours < 24 && minutes < 60) {
                return hours * 60 + minutes;
            }
        }
        problems.add(which + " time '" + text + "' is not a valid HH:MM time (00:00 to 23:59"
                + (endOfDayAllowed ? ", or 24:00 as an end" : "") + ")");
        return -1;
    }

    public Set<DayOfWeek> days() {
        return days;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The length of an occurrence on a day without a DST change. */
    public Duration nominalLength() {
        int minutes = endMinute > startMinute ? endMinute - startMinute : endMinute + MINUTES_PER_DAY - startMinute;
        return Duration.ofMinutes(minutes);
    }

    /** Whether the window is open at {@code instant}. */
    public boolean isOpenAt(Instant instant) {
        return nextOpening(instant).map(i -> !i.start().isAfter(instant)).orElse(false);
    }

    /**
     * The occurrence open at {@code from}, or else the next one to open; empty only for a window whose every occurrence
     * is erased by DST, which the search bound turns into an answer instead of a loop.
     */
    public Optional<WindowInterval> nextOpening(Instant from) {
        LocalDate day = localDate(from).minusDays(1);
        for (int i = 0; i < SEARCH_DAYS; i++, day = day.plusDays(1)) {
            WindowInterval occurrence = occurrence(day);
            if (occurrence != null && occurrence.end().isAfter(from)) {
                return Optional.of(mergeTouching(occurrence, day));
            }
        }
        return Optional.empty();
    }

    /** "Enough time left to finish": the window is open at {@code now} and stays open until {@code now + expected}. */
    public boolean canFinish(Instant now, Duration expected) {
        Optional<WindowInterval> current = nextOpening(now);
        return current.isPresent()
                && !current.get().start().isAfter(now)
                && !now.plus(expected).isAfter(current.get().end());
    }

    /**
     * The first instant at or after {@code from} at which an upgrade of {@code expected} duration can start and finish
     * inside one occurrence. Empty when the window is shorter than {@code expected} (judged by {@link #nominalLength()},
     * so a fall-back day that happens to be an hour longer does not count) or when no occurrence fits within the search
     * bound.
     */
    public Optional<Instant> nextSlot(Instant from, Duration expected) {
        if (expected.isNegative()) {
            throw new IllegalArgumentException("expected duration must not be negative: " + expected);
        }
        boolean continuous = endMinute - startMinute == MINUTES_PER_DAY;
        if (!continuous && expected.compareTo(nominalLength()) > 0) {
            return Optional.empty();
        }
        Instant cursor = from;
        for (int i = 0; i < MAX_OCCURRENCES; i++) {
            Optional<WindowInterval> opening = nextOpening(cursor);
            if (opening.isEmpty()) {
                return Optional.empty();
            }
            WindowInterval interval = opening.get();
            Instant start = interval.start().isAfter(cursor) ? interval.start() : cursor;
            if (!start.plus(expected).isAfter(interval.end())) {
                return Optional.of(start);
            }
            cursor = interval.end();
        }
        return Optional.empty();
    }

    private WindowInterval mergeTouching(WindowInterval first, LocalDate day) {
        if (endMinute - startMinute != MINUTES_PER_DAY) {
            return first;
        }
        Instant end = first.end();
        for (int i = 1; i <= 7; i++) {
            WindowInterval next = occurrence(day.plusDays(i));
            if (next == null || next.start().isAfter(end)) {
                break;
            }
            end = next.end();
        }
        return end.equals(first.end()) ? first : new WindowInterval(first.start(), end);
    }

    /** The occurrence starting on local {@code day}, or null if the window does not start that day or DST erases it. */
    private WindowInterval occurrence(LocalDate day) {
        if (!days.contains(day.getDayOfWeek())) {
            return null;
        }
        LocalDateTime midnight = day.atStartOfDay();
        Instant start = resolve(midnight.plusMinutes(startMinute));
        LocalDateTime localEnd = endMinute > startMinute
                ? midnight.plusMinutes(endMinute)
                : midnight.plusDays(1).plusMinutes(endMinute);
        Instant end = resolve(localEnd);
        return end.isAfter(start) ? new WindowInterval(start, end) : null;
    }

    private Instant resolve(LocalDateTime local) {
        if (fixedOffset) {
            return local.toInstant(rules.getOffset(Instant.EPOCH));
        }
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            return rules.getTransition(local).getInstant();
        }
        Instant first = local.toInstant(offsets.get(0));
        for (ZoneOffset offset : offsets) {
            Instant candidate = local.toInstant(offset);
            if (candidate.isBefore(first)) {
                first = candidate;
            }
        }
        return first;
    }

    private LocalDate localDate(Instant instant) {
        return LocalDate.ofInstant(instant, zone);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaintenanceWindow other
                && startMinute == other.startMinute
                && endMinute == other.endMinute
                && days.equals(other.days)
                && zone.equals(other.zone);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The canonical annotation text, which {@link #parse(String)} reads back to an equal window. */
    @Override
    public String toString() {
        return text;
    }

    /** Runs of three or more days print as ranges: Mon-Fri, Mon,Wed,Fri, Sat,Sun. */
    private String dayText() {
        if (days.size() == 7) {
            return "Daily";
        }
        List<String> items = new ArrayList<>();
        int day = 1;
        while (day <= 7) {
            if (!days.contains(DayOfWeek.of(day))) {
                day++;
                continue;
            }
            int last = day;
            while (last < 7 && days.contains(DayOfWeek.of(last + 1))) {
                last++;
            }
            if (last - day >= 2) {
                items.add(dayName(day) + "-" + dayName(last));
            } else {
                for (int d = day; d <= last; d++) {
                    items.add(dayName(d));
                }
            }
            day = last + 1;
        }
        return String.join(",", items);
    }

    private static String dayName(int day) {
        String name = DAY_NAMES.get(day - 1);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private static String clock(int minutes) {
        return String.format(Locale.ROOT, "%02d:%02d", minutes / 60, minutes % 60);
    }
}
