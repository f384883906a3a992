package llmbook.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbook.tensor.Tensor;

/**
 * A piece of a model that owns parameters and sub-modules, registered by name in its constructor:
 * {@code weight = param("weight", ...)}, {@code fc = module("fc", new Linear(...))}. Gives every parameter a
 * dotted name ({@code "fc.weight"}), switches train/eval recursively, counts and zeroes parameters.
 * Optimizers see {@link #parameters()} only, never the module.
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> params = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers {@code t} as a parameter (it now requires grad) under {@code name}. */
    protected Tensor param(String name, Tensor t) {
        if (params.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' registered twice");
        t.requiresGrad(true).name(name);
        params.put(name, t);
        return t;
    }

    /** Registers a sub-module under {@code name}. */
    protected <M extends Module> M module(String name, M m) {
        if (params.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' registered twice");
        children.put(name, m);
        return m;
    }

    /** Every parameter with its dotted path, in registration order (own parameters first, then children's). */
    public Map<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out) {
        for (var e : params.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", out);
    }

    /** Every parameter, in the order of {@link #namedParameters()}. */
    public List<Tensor> parameters() { return new ArrayList<>(namedParameters().values()); }

    /** The registered sub-modules (direct children) by name. */
    public Map<String, Module> children() { return Collections.unmodifiableMap(children); }

    /** Total number of scalar parameters. */
    public long numParameters() {
        long n = 0;
        for (Tensor t : namedParameters().values()) n += t.numel();
        return n;
    }

    /** Zeroes every parameter's gradient. */
    public void zeroGrad() { for (Tensor t : namedParameters().values()) t.zeroGrad(); }

    /** Training mode (dropout active), recursively. Returns this. */
    public Module train() { return train(true); }

    /** Evaluation mode (dropout off), recursively. Returns this. */
    public Module eval() { return train(false); }

    public Module train(boolean on) {
        training = on;
        for (Module m : children.values()) m.train(on);
        return this;
    }

    public boolean isTraining() { return training; }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append(" (").append(numParameters()).append(" parameters)");
        for (var e : namedParameters().entrySet())
            sb.append("\n  ").append(e.getKey()).append(' ').append(llmbook.tensor.Shape.str(e.getValue().shape()));
        return sb.toString();
    }
}
