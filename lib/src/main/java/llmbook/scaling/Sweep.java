package llmbook.scaling;

import java.util.ArrayList;
import java.util.List;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.train.Evaluation;
import llmbook.train.TrainConfig;
import llmbook.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Trains a family of decoders (sizes × step counts: {@link #grid}) on one token stream with one recipe and records
 * what each reaches: the points a scaling law is fitted to ({@link PowerLaw} in N or in compute, {@link ScalingLaw} in
 * N and D). Q43.
 * <p>Parameters N are counted without the embeddings (Kaplan et al.: the token table of a character model is a
 * large share of a tiny model and does not scale the same way); compute is the usual {@code C ≈ 6·N·D} FLOPs for
 * D training tokens (2 for the forward, 4 for the backward per parameter and token).
 */
public final class Sweep {
    private Sweep() {}

    /** One trained model: its size, budget and validation loss (nats/token on {@link Evaluation}'s fixed windows). */
    public record Point(String label, TransformerConfig config, long params, long nonEmbedding, int steps, long tokens, double valLoss,
                        double seconds) {
        /** Training compute, {@code 6·N·D} with N the non-embedding parameters. */
        public double flops() { return 6.0 * nonEmbedding * tokens; }
    }

    /** Parameters of {@code c} outside the token and position tables (and an untied output layer). */
    public static long nonEmbeddingParameters(TransformerConfig c) {
        return c.parameterCount() - c.embeddingParameters() - c.headParameters();
    }

    /** Trains {@code config} for {@code train.steps()} steps (seed {@code seed}) and measures it. */
    public static Point run(String label, TransformerConfig config, TrainConfig train, int[] trainIds, int[] valIds, long seed) {
        Decoder d = new Decoder(config, new Rng(seed));
        Table m = new Trainer(d, train.withEvalInterval(train.steps()), trainIds, valIds).label(label).run();
        double secs = m.doubleColumn("elapsed_s").get(m.rowCount() - 1);
        long tokens = (long) train.steps() * train.batch() * train.accumulate() * config.context();
        return new Point(label, config, d.numParameters(), nonEmbeddingParameters(config), train.steps(), tokens, Evaluation.loss(d, valIds), secs);
    }

    /** Every config with the same recipe; labels are "L layers × width C". */
    public static List<Point> run(List<TransformerConfig> configs, TrainConfig train, int[] trainIds, int[] valIds, long seed) {
        List<Point> out = new ArrayList<>();
        for (TransformerConfig c : configs) out.add(run(c.layers() + "L × " + c.width(), c, train, trainIds, valIds, seed));
        return out;
    }

    /**
     * The grid of sizes × token budgets: every config trained afresh for every step count in {@code steps} (its own
     * warm-up and cosine schedule over that many steps, so a point is a finished run, not the middle of a longer one).
     * Labels are "L layers × width C, S steps".
     */
    public static List<Point> grid(List<TransformerConfig> configs, int[] steps, TrainConfig train, int[] trainIds, int[] valIds, long seed) {
        if (steps.length == 0) throw new IllegalArgumentException("Sweep.grid: no step counts");
        List<Point> out = new ArrayList<>();
        for (TransformerConfig c : configs)
            for (int s : steps) out.add(run(c.layers() + "L × " + c.width() + ", " + s + " steps", c, train.withSteps(s), trainIds, valIds, seed));
        return out;
    }

    /**
     * The compute frontier: the points, in order of compute, that reach a lower loss than every point using less
     * compute. Loss against compute is fitted along it (no model size is best at every budget).
     */
    public static List<Point> frontier(List<Point> points) {
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(java.util.Comparator.comparingDouble(Point::flops));
        List<Point> out = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (Point p : sorted) if (p.valLoss() < best) { out.add(p); best = p.valLoss(); }
        return out;
    }

    /** The points as a table: label, parameters, non-embedding N, steps, tokens, FLOPs, val loss, seconds. */
    public static Table table(String title, List<Point> points) {
        Table t = Table.create(title, StringColumn.create("model"), LongColumn.create("params"), LongColumn.create("N (non-emb.)"),
                IntColumn.create("steps"), LongColumn.create("tokens"), DoubleColumn.create("FLOPs 6ND"), DoubleColumn.create("val loss"), DoubleColumn.create("seconds"));
        for (Point p : points) {
            t.stringColumn(0).append(p.label()); t.longColumn(1).append(p.params()); t.longColumn(2).append(p.nonEmbedding());
            t.intColumn(3).append(p.steps()); t.longColumn(4).append(p.tokens()); t.doubleColumn(5).append(p.flops());
            t.doubleColumn(6).append(Math.round(p.valLoss() * 1e4) / 1e4); t.doubleColumn(7).append(Math.round(p.seconds() * 10) / 10.0);
        }
        return t;
    }
}
