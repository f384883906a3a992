package llmbook.nn;

import llmbook.tensor.Tensor;

/** A module with one tensor in and one tensor out, so layers compose ({@link Sequential}, {@link MLP}). */
public interface Layer {
    Tensor forward(Tensor x);
}
