package llmbook.plot;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

/**
 * The loss curves of a {@link llmbook.train.Trainer} run from its metrics table: the training loss as a running mean
 * (one batch is noisy) and the validation loss at each evaluation. Redrawn after each evaluation, it is a live plot:
 * <pre>{@code
 * String id = display(LossPlot.of("Reference GPT", trainer.metrics()));            // in a notebook cell
 * trainer.onEval(m -> updateDisplay(id, LossPlot.of("Reference GPT: step " + trainer.step(), m))).run();
 * }</pre>
 */
public final class LossPlot {
    private LossPlot() {}

    /** Steps of running mean drawn for the training loss. */
    public static final int SMOOTH = 20;

    /** Training loss (running mean of {@link #SMOOTH} steps) and validation loss against the step. */
    public static XYChart of(String title, Table metrics) {
        XYChart c = Plots.xy(title, "step", "cross-entropy (nats per token)");
        double[][] tr = curve(metrics, "train_loss"), va = curve(metrics, "val_loss");
        if (tr[0].length > 0) Plots.line(c, "train (running mean of " + SMOOTH + " steps)", tr[0], smooth(tr[1], SMOOTH));
        if (va[0].length > 0) c.addSeries("validation", va[0], va[1]);
        if (tr[0].length == 0 && va[0].length == 0) Plots.line(c, "no steps yet", new double[] {0}, new double[] {0});
        return c;
    }

    /** (step, value) pairs of a metrics column, skipping the NaNs (val_loss is NaN between evaluations). */
    public static double[][] curve(Table metrics, String column) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < metrics.rowCount(); i++) {
            double v = metrics.doubleColumn(column).getDouble(i);
            if (!Double.isNaN(v)) pts.add(new double[] {metrics.intColumn("step").get(i), v});
        }
        double[][] xy = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) { xy[0][i] = pts.get(i)[0]; xy[1][i] = pts.get(i)[1]; }
        return xy;
    }

    /** Running mean over the last {@code w} points (fewer at the start). */
    public static double[] smooth(double[] y, int w) {
        double[] out = new double[y.length];
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += y[i];
            if (i >= w) s -= y[i - w];
            out[i] = s / Math.min(i + 1, w);
        }
        return out;
    }
}
