package dev.mote.samples;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;

/** Line plots of several curves over the same x values, as a PNG (XChart). */
final class CurvePlot {
    private final XYChart chart;

    CurvePlot(String title, String xLabel, String yLabel) {
        chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setXAxisDecimalPattern("0.0#");
        chart.getStyler().setYAxisDecimalPattern("0.0#");
    }

    CurvePlot add(String name, double[] x, double[] y) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.NONE);
        return this;
    }

    /** The plot as PNG bytes, to write with the sample's other files in one {@link dev.mote.vocabulary.FileSet}. */
    byte[] png() throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
