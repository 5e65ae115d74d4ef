package io.reefline.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String SCRAPE = """
            # HELP http_server_requests_total Requests served.
            # TYPE http_server_requests_total counter
            http_server_requests_total{method="GET",status="200"} 1.5e3
            http_server_requests_total{method="POST",status="201",path="/a,b}c"} 250
            http_server_requests_total{method="GET",note="say \\"hi\\", then {leave}"} 2.5E+01 1733169600000
            # a comment that looks like a sample: http_server_requests_total 1000000
            http_server_errors_total{status="503"} 7
            http_server_errors_total{status="500"} NaN
            http_server_request_duration_seconds_sum 12.25
            http_server_request_duration_seconds_count 1.225e2
            process_start_time_seconds 1.7331696E9
            weird_gauge +Inf
            weird_gauge -Inf
            weird_gauge 3
            this line is not a sample
            broken_labels{a="b" 5
            hex_looking 0x10
            \t
            """;

    @Test
    void shouldSumEverySeriesOfAMetricAcrossItsLabels() {
        PrometheusText text = PrometheusText.parse(SCRAPE);
        assertEquals(OptionalDouble.of(1500 + 250 + 25), text.sum("http_server_requests_total"));
    }

    @Test
    void shouldReadExponentsAndSkipNaNAndInfinities() {
        PrometheusText text = PrometheusText.parse(SCRAPE);
        assertEquals(OptionalDouble.of(7), text.sum("http_server_errors_total"), "NaN is no count");
        assertEquals(OptionalDouble.of(122.5), text.sum("http_server_request_duration_seconds_count"));
        assertEquals(OptionalDouble.of(1.7331696e9), text.sum("process_start_time_seconds"));
        assertEquals(OptionalDouble.of(3), text.sum("weird_gauge"), "+Inf and -Inf are skipped");
    }

    @Test
    void shouldIgnoreCommentsAndLinesThatAreNoSamples() {
        PrometheusText text = PrometheusText.parse(SCRAPE);
        assertTrue(text.sum("broken_labels").isEmpty(), "an unclosed label set");
        assertTrue(text.sum("hex_looking").isEmpty(), "not a Prometheus number");
        assertTrue(text.sum("this").isEmpty());
        assertTrue(text.sum("a").isEmpty());
        assertTrue(PrometheusText.parse("").sum("http_server_requests_total").isEmpty());
        // Windows line ends and a metric with no labels but braces.
        assertEquals(
                OptionalDouble.of(3), PrometheusText.parse("up{} 1\r\nup 2\r\n").sum("up"));
    }
}
