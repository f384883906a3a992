package llmbook.nn;

import java.util.List;
import llmbook.tensor.Tensor;

/** Layers applied in order; parameters are named by position ({@code "0.weight"}, {@code "2.bias"}). */
public final class Sequential extends Module implements Layer {
    private final List<Layer> layers;

    public Sequential(Layer... layers) {
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) {
            if (!(layers[i] instanceof Module m)) throw new IllegalArgumentException("Sequential: layer " + i + " is not a Module");
            module(Integer.toString(i), m);
        }
    }

    public List<Layer> layers() { return layers; }

    @Override
    public Tensor forward(Tensor x) {
        for (Layer l : layers) x = l.forward(x);
        return x;
    }
}
