package llmbook.optim;

import java.util.ArrayList;
import java.util.List;
import llmbook.tensor.Tensor;

/** Updates parameters from their gradients. Sees parameters, never modules. */
public abstract class Optimizer {
    protected final List<ParamGroup> groups;
    protected float lr;

    protected Optimizer(List<ParamGroup> groups, float lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException(getClass().getSimpleName() + ": lr must be >= 0, got " + lr);
        this.groups = List.copyOf(groups);
        this.lr = lr;
        for (ParamGroup g : this.groups)
            for (Tensor p : g.params()) {
                if (!p.requiresGrad()) throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter " + p.name() + " does not require grad");
                if (p.offset() != 0 || !p.isContiguous() || p.data().length != p.numel())
                    throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter " + p.name() + " " + llmbook.tensor.Shape.str(p.shape())
                            + " is a view; optimise the tensor that owns the storage");
            }
    }

    /** One update of every parameter that has a gradient. */
    public abstract void step();

    /** Zeroes every parameter's gradient. */
    public void zeroGrad() { Tensor.zeroGrads(params()); }

    public float lr() { return lr; }

    /** Sets the learning rate (schedules call this before each step). */
    public void setLr(float lr) { this.lr = lr; }

    public List<Tensor> params() {
        List<Tensor> out = new ArrayList<>();
        for (ParamGroup g : groups) out.addAll(g.params());
        return out;
    }
}
