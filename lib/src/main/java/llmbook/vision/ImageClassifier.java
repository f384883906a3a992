package llmbook.vision;

import java.util.List;
import llmbook.data.Batches;
import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * A linear head on a vision transformer's image vector: a <b>linear probe</b> when the encoder is a pretrained one
 * and {@link #probe} freezes it, a model trained <b>from scratch</b> when the encoder is fresh. Comparing the two on
 * the same few labelled pictures measures what pretraining is worth in labels (Q45). Trained by the library's
 * {@code Trainer} with {@link #batches} and {@link #loss}.
 * <pre>
 *   logits = head(vision(pixels))        (B, classes)      loss = CE(logits, labels)
 * </pre>
 */
public final class ImageClassifier extends Module {
    public final int classes;

    public ImageClassifier(VisionTransformer vision, int classes, Rng rng) {
        this.classes = classes;
        module("vision", vision);
        module("head", new Linear(vision.config.width(), classes, true, rng));
    }

    /** A probe: the encoder's weights frozen, only the head learns. Returns this. */
    public ImageClassifier probe() {
        freeze("vision");
        return this;
    }

    /** Labelled pictures: {@code images} (B, 3·S·S) flattened, one label each. */
    public record Batch(float[] images, int[] labels, int B) {}

    /** Logits (B, classes). */
    public Tensor logits(float[] images, int b) {
        return this.<Layer>child("head").forward(this.<VisionTransformer>child("vision").forward(images, b));
    }

    public Tensor loss(Batch batch) { return Functional.crossEntropy(logits(batch.images(), batch.B()), batch.labels()); }

    /** Random batches (with replacement) from a fixed labelled set. */
    public static Batches<Batch> batches(List<ShapeImages.Example> examples, java.util.function.ToIntFunction<ShapeImages.Scene> label) {
        if (examples.isEmpty()) throw new IllegalArgumentException("ImageClassifier: no labelled examples");
        int px = examples.get(0).pixels().length;
        return (rng, size) -> {
            float[] img = new float[size * px];
            int[] y = new int[size];
            for (int i = 0; i < size; i++) {
                ShapeImages.Example e = examples.get(rng.nextInt(examples.size()));
                System.arraycopy(e.pixels(), 0, img, i * px, px);
                y[i] = label.applyAsInt(e.scene());
            }
            return new Batch(img, y, size);
        };
    }

    /** Share of {@code examples} whose most likely class is their label (no gradients, evaluation mode). */
    public double accuracy(List<ShapeImages.Example> examples, java.util.function.ToIntFunction<ShapeImages.Scene> label) {
        int px = examples.get(0).pixels().length, n = examples.size();
        float[] img = new float[n * px];
        for (int i = 0; i < n; i++) System.arraycopy(examples.get(i).pixels(), 0, img, i * px, px);
        boolean was = isTraining();
        train(false);
        try (var g = Tensor.noGrad()) {
            int[] pred = logits(img, n).argmax();
            int ok = 0;
            for (int i = 0; i < n; i++) ok += pred[i] == label.applyAsInt(examples.get(i).scene()) ? 1 : 0;
            return ok / (double) n;
        } finally {
            train(was);
        }
    }
}
