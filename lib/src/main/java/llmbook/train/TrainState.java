package llmbook.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbook.io.SafeTensors;
import llmbook.model.gpt.Checkpoint;
import llmbook.model.gpt.GptConfig;
import llmbook.tensor.Tensor;
import tech.tablesaw.api.Table;

/**
 * A resumable training checkpoint in ONE safetensors file, so that it is replaced atomically as a whole
 * (temp file, fsync, rename: a crash mid-save leaves the previous checkpoint intact):
 * <pre>
 *   tensors   model.NAME        the weights
 *             adam.m.NAME       AdamW's first moments      adam.v.NAME  its second moments
 *             best.NAME         the best weights so far (only with early stopping)
 *   metadata  format, step, adam_steps, batch_rng, dropout_rng (RNG positions), best_val, best_step,
 *             evals_without_improvement, stopped, elapsed_s, model (the GPT shape), train (every setting
 *             that shapes the loss curve), metrics (the table as CSV), crc32 (of every tensor's bytes)
 * </pre>
 * Loading refuses, with the reason, a file that is truncated or malformed (checked by {@link SafeTensors#read}),
 * whose checksum does not match (corrupt bytes), that was written for another model shape or other training
 * settings (threads may differ), or that lacks a tensor or has one of the wrong shape.
 */
public final class TrainState {
    private TrainState() {}

    public static final String FILE = "train_state.safetensors", FORMAT = "llmbook-train-state/1";

    static void save(Path file, Trainer t, Map<String, String> extra) throws IOException {
        Map<String, SafeTensors.Entry> tensors = new LinkedHashMap<>();
        Map<String, Tensor> params = t.model().namedParameters();
        List<String> names = new ArrayList<>(params.keySet());
        for (String n : names) tensors.put("model." + n, entry(params.get(n), params.get(n).data()));
        for (String n : names) {
            float[][] mv = t.optimizer().moments(params.get(n));
            tensors.put("adam.m." + n, entry(params.get(n), mv[0]));
            tensors.put("adam.v." + n, entry(params.get(n), mv[1]));
        }
        if (t.best != null)
            for (int i = 0; i < names.size(); i++) tensors.put("best." + names.get(i), entry(params.get(names.get(i)), t.best[i]));
        Map<String, String> meta = new LinkedHashMap<>(extra);
        meta.put("format", FORMAT);
        meta.put("step", Integer.toString(t.step));
        meta.put("adam_steps", Integer.toString(t.optimizer().steps()));
        meta.put("batch_rng", Long.toString(t.batchRng().state()));
        meta.put("dropout_rng", Long.toString(t.model().dropoutRng().state()));
        meta.put("best_val", Double.toString(t.bestVal));
        meta.put("best_step", Integer.toString(t.bestStep));
        meta.put("evals_without_improvement", Integer.toString(t.evalsWithoutImprovement));
        meta.put("stopped", Boolean.toString(t.stopped));
        meta.put("elapsed_s", Double.toString(elapsed(t.metrics(), t.elapsedBefore)));   // saves come mid-run: the clock so far
        meta.put("model", modelKey(t.model().config));
        meta.put("train", trainKey(t.config()));
        meta.put("metrics", csv(t.metrics()));
        meta.put("crc32", Long.toHexString(crc(tensors)));
        SafeTensors.write(file, tensors, meta);
    }

    static Map<String, String> load(Path file, Trainer t) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("no training checkpoint at " + file);
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = c.metadata();
        String where = "training checkpoint " + file;
        if (!FORMAT.equals(meta.get("format")))
            throw new IOException(where + ": format is '" + meta.get("format") + "', expected '" + FORMAT + "'");
        String crc = Long.toHexString(crc(c.tensors()));
        if (!crc.equals(meta.get("crc32")))
            throw new IOException(where + " is corrupt: its tensors' checksum is " + crc + " but the file records " + meta.get("crc32"));
        String model = modelKey(t.model().config);
        if (!model.equals(meta.get("model")))
            throw new IOException(where + " was saved for a GPT with " + meta.get("model") + ", this one has " + model);
        String train = trainKey(t.config());
        if (!train.equals(meta.get("train")))
            throw new IOException(where + " was saved with other training settings: " + diff(meta.get("train"), train));
        Map<String, Tensor> params = t.model().namedParameters();
        List<String> names = new ArrayList<>(params.keySet());
        boolean hasBest = c.tensors().containsKey("best." + names.get(0));
        for (String n : names)
            for (String prefix : hasBest ? new String[] {"model.", "adam.m.", "adam.v.", "best."} : new String[] {"model.", "adam.m.", "adam.v."}) {
                SafeTensors.Entry e = c.tensors().get(prefix + n);
                if (e == null) throw new IOException(where + " has no tensor '" + prefix + n + "'");
                if (!Arrays.equals(e.shape(), params.get(n).shape()))
                    throw new IOException(where + ": tensor '" + prefix + n + "' has shape " + Arrays.toString(e.shape())
                            + ", the model needs " + Arrays.toString(params.get(n).shape()));
            }
        int step, adamSteps, bestStep, evals;
        long batchRng, dropoutRng;
        double bestVal, elapsed;
        List<double[]> metrics;
        try {
            step = Integer.parseInt(meta.get("step"));
            adamSteps = Integer.parseInt(meta.get("adam_steps"));
            batchRng = Long.parseLong(meta.get("batch_rng"));
            dropoutRng = Long.parseLong(meta.get("dropout_rng"));
            bestVal = Double.parseDouble(meta.get("best_val"));
            bestStep = Integer.parseInt(meta.get("best_step"));
            evals = Integer.parseInt(meta.get("evals_without_improvement"));
            elapsed = Double.parseDouble(meta.get("elapsed_s"));
            metrics = parseCsv(meta.get("metrics"));
        } catch (RuntimeException e) {
            throw new IOException(where + ": bad or missing training state in the header (" + e + ")");
        }
        if (step < 0 || step > t.config().steps())
            throw new IOException(where + ": step " + step + " is outside [0, " + t.config().steps() + "]");
        if (metrics.size() != step)
            throw new IOException(where + ": the metrics hold " + metrics.size() + " rows for " + step + " steps");
        // everything checked: now overwrite the trainer's state
        for (String n : names) {
            float[] w = params.get(n).data();
            System.arraycopy(c.tensors().get("model." + n).data(), 0, w, 0, w.length);
            float[][] mv = t.optimizer().moments(params.get(n));
            System.arraycopy(c.tensors().get("adam.m." + n).data(), 0, mv[0], 0, mv[0].length);
            System.arraycopy(c.tensors().get("adam.v." + n).data(), 0, mv[1], 0, mv[1].length);
        }
        if (hasBest) {
            t.best = new float[names.size()][];
            for (int i = 0; i < names.size(); i++) t.best[i] = c.tensors().get("best." + names.get(i)).data();
        } else t.best = null;
        t.optimizer().setSteps(adamSteps);
        t.batchRng().setState(batchRng);
        t.model().dropoutRng().setState(dropoutRng);
        t.step = step;
        t.bestVal = bestVal;
        t.bestStep = bestStep;
        t.evalsWithoutImprovement = evals;
        t.stopped = Boolean.parseBoolean(meta.get("stopped"));
        t.elapsedBefore = Math.max(elapsed, elapsed(t.metrics(), 0));         // files saved before the fix above recorded 0
        Table m = t.metrics();
        m.clear();
        for (double[] row : metrics) {
            m.intColumn("step").append((int) row[0]);
            for (int i = 0; i < COLUMNS.length; i++) m.doubleColumn(COLUMNS[i]).append(row[i + 1]);
        }
        return meta;
    }

    /** Training seconds so far: the last metrics row's elapsed_s, else {@code otherwise}. */
    private static double elapsed(Table m, double otherwise) {
        return m.rowCount() > 0 ? m.doubleColumn("elapsed_s").get(m.rowCount() - 1) : otherwise;
    }

    private static SafeTensors.Entry entry(Tensor p, float[] data) { return new SafeTensors.Entry(p.shape(), data); }

    static String modelKey(GptConfig c) {
        return "vocab=" + c.vocab() + ", context=" + c.context() + ", layers=" + c.layers() + ", heads=" + c.heads() + ", width=" + c.width()
                + ", dropout=" + c.dropout();
    }

    /** Every setting that changes the loss curve (not the thread count, which only changes the rounding order). */
    static String trainKey(TrainConfig c) {
        return "steps=" + c.steps() + ", batch=" + c.batch() + ", lr=" + c.lr() + ", warmup=" + c.warmup() + ", weight_decay=" + c.weightDecay()
                + ", beta1=" + c.beta1() + ", beta2=" + c.beta2() + ", clip=" + c.clip() + ", eval_interval=" + c.evalInterval()
                + ", eval_batches=" + c.evalBatches() + ", seed=" + c.seed() + ", accumulate=" + c.accumulate() + ", patience=" + c.patience();
    }

    private static String diff(String saved, String now) {
        if (saved == null) return "the file records none";
        String[] a = saved.split(", "), b = now.split(", ");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(a.length, b.length); i++) if (!a[i].equals(b[i])) out.add("saved " + a[i] + ", now " + b[i]);
        return out.isEmpty() ? "saved " + saved + ", now " + now : String.join("; ", out);
    }

    static long crc(Map<String, SafeTensors.Entry> tensors) { return Checkpoint.checksum(tensors); }

    private static final String[] COLUMNS = {"train_loss", "val_loss", "lr", "tokens_per_s", "elapsed_s"};

    private static List<double[]> parseCsv(String text) {
        List<double[]> rows = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) continue;
            String[] f = lines[i].split(",", -1);
            if (f.length != 6) throw new IllegalArgumentException("metrics row " + i + " has " + f.length + " fields, expected 6");
            double[] r = new double[6];
            for (int j = 0; j < 6; j++) r[j] = f[j].isEmpty() ? Double.NaN : Double.parseDouble(f[j]);
            rows.add(r);
        }
        return rows;
    }

    /** The metrics table as CSV with every double written exactly ({@link Double#toString}, NaN as empty). */
    public static String csv(Table m) {
        StringBuilder b = new StringBuilder("step,train_loss,val_loss,lr,tokens_per_s,elapsed_s\n");
        for (int r = 0; r < m.rowCount(); r++) {
            b.append(m.intColumn("step").getInt(r));
            for (String col : new String[] {"train_loss", "val_loss", "lr", "tokens_per_s", "elapsed_s"}) {
                double v = m.doubleColumn(col).getDouble(r);
                b.append(',').append(Double.isNaN(v) ? "" : Double.toString(v));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
