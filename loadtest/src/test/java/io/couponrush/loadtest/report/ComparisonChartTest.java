package io.couponrush.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class ComparisonChartTest {

    private final ScenarioResult scenario = SampleReports.report().scenarios().getFirst();

    @Test
    void drawsOneThroughputBarAndThreePercentileBarsPerMeasuredStrategy() throws Exception {
        var svg = parse(ComparisonChart.svg(scenario));
        var rects = svg.getElementsByTagName("rect");
        int bars = 0;
        for (int i = 0; i < rects.getLength(); i++) {
            if (((Element) rects.item(i)).getElementsByTagName("title").getLength() == 1) {
                bars++;
            }
        }
        // none and atomic were measured (batched failed): 2 throughput bars + 2 × 3 latency bars.
        assertThat(bars).isEqualTo(8);
        assertThat(svg.getTextContent()).contains("none", "atomic", "trivial endpoint, same load: 999 req/s")
                .doesNotContain("batched");
    }

    @Test
    void greysTheUnsafeDemonstrationAndMarksNothingRedWhenEveryCorrectStrategyPassed() {
        var svg = ComparisonChart.svg(scenario);
        assertThat(svg).contains("fill=\"#969696\"><title>none").contains("fill=\"#3182bd\"><title>atomic")
                .doesNotContain("#de2d26");
    }

    @Test
    void theHtmlPageEmbedsEveryScenario() {
        var html = ComparisonChart.html(SampleReports.report().scenarios());
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("flash-burst (smoke)");
    }

    @Test
    void roundsAxesUpToOneTwoOrFive() {
        assertThat(ComparisonChart.niceCeiling(0)).isEqualTo(1);
        assertThat(ComparisonChart.niceCeiling(1_150)).isEqualTo(2_000);
        assertThat(ComparisonChart.niceCeiling(450)).isEqualTo(500);
        assertThat(ComparisonChart.niceCeiling(2_175)).isEqualTo(2_500);
        assertThat(ComparisonChart.niceCeiling(5_001)).isEqualTo(10_000);
    }

    @Test
    void labelsLatencyBarsInMillisecondsBelowASecondAndSecondsAbove() {
        assertThat(ComparisonChart.millis(176)).isEqualTo("176");
        assertThat(ComparisonChart.millis(23_247)).isEqualTo("23.2 s");
    }

    private static Element parse(String xml) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        return factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                .getDocumentElement();
    }
}
