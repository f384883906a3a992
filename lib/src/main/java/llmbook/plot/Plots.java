package llmbook.plot;

import java.awt.Color;
import java.awt.Font;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The book's chart style on top of XChart, so every figure looks alike and a notebook cell stays
 * one line: {@code Plots.xy("Loss", "step", "loss")} then {@code chart.addSeries(...)}. The Java
 * kernel renders any XChart chart that is a cell's last expression as a PNG.
 */
public final class Plots {
    private Plots() {}

    /** Default figure size in pixels. */
    public static final int WIDTH = 720, HEIGHT = 420;

    /** A line chart with axis titles, markers off, legend inside the plot. */
    public static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setMarkerSize(4);
        c.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Line);
        return c;
    }

    /** {@link #xy} with logarithmic axes, for power laws and scaling curves. */
    public static XYChart logLog(String title, String xTitle, String yTitle) {
        XYChart c = xy(title, xTitle, yTitle);
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        return c;
    }

    /** A bar chart, for comparing a few named quantities. */
    public static CategoryChart bars(String title, String xTitle, String yTitle) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(c.getStyler());
        return c;
    }

    /** Adds a line-only series (no markers) and returns the chart, for chaining. */
    public static XYChart line(XYChart c, String name, double[] x, double[] y) {
        c.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
        return c;
    }

    private static void style(Styler s) {
        if (s instanceof org.knowm.xchart.style.AxesChartStyler a) a.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setAntiAlias(true);
    }
}
