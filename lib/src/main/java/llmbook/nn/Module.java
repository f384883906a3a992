package llmbook.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import llmbook.tensor.Tensor;

/**
 * A piece of a model that owns parameters and sub-modules, registered by name in its constructor:
 * {@code weight = param("weight", ...)}, {@code fc = module("fc", new Linear(...))}. Gives every parameter a
 * dotted name ({@code "fc.weight"}), switches train/eval recursively, counts and zeroes parameters.
 * Optimizers see {@link #parameters()} only, never the module.
 *
 * <p><b>Paths.</b> A module is found by its dotted path from the root ({@code "h.2.mlp"}); a pattern may use
 * {@code *} for any one segment ({@code "h.*.attn.q"}). {@link #replace} swaps sub-modules in place — how LoRA wraps
 * the attention projections (chapter 9) and mixture-of-experts replaces the MLPs (chapter 11) — so a module must
 * reach each replaceable child through {@link #child} at forward time, never through a field kept from its
 * constructor. {@link #freeze}/{@link #unfreeze} switch gradients off and on for the parameters under a pattern.
 * <pre>{@code
 * model.replace("h.*.attn.q", old -> new LoraLinear((Linear) old, 8, 16f, rng));   // 4 modules replaced
 * model.freeze("");                                                               // everything...
 * model.unfreeze("h.*.attn.q.lora_*");                                            // ...but the adapters
 * }</pre>
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

    /** The direct child {@code name}, as registered or as last {@link #replace replaced}. */
    @SuppressWarnings("unchecked")
    protected <M> M child(String name) {
        Module m = children.get(name);
        if (m == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": no sub-module '" + name + "'; it has " + children.keySet());
        return (M) m;
    }

    /** Every module below this one (not itself) with its dotted path, parents before their children. */
    public Map<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collectModules(String prefix, Map<String, Module> out) {
        for (var e : children.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
            e.getValue().collectModules(prefix + e.getKey() + ".", out);
        }
    }

    /** The module at {@code path} ({@code "h.2.mlp"}); the empty path is this module. The error lists what exists. */
    public Module get(String path) {
        if (path.isEmpty()) return this;
        Module m = this;
        for (String seg : path.split("\\.", -1)) {
            Module next = m.children.get(seg);
            if (next == null)
                throw new IllegalArgumentException(getClass().getSimpleName() + ": no module '" + path + "' (at '" + seg + "' the children are "
                        + m.children.keySet() + ")");
            m = next;
        }
        return m;
    }

    /**
     * Replaces every module whose path matches {@code pattern} ({@code *} = any one segment) by {@code f(old)}, in
     * place and in the same position; returns how many were replaced. Refuses a pattern that matches nothing, and a
     * replacement that is not a {@link Module}.
     */
    public int replace(String pattern, UnaryOperator<Module> f) {
        int n = replace("", pattern.split("\\.", -1), 0, f);
        if (n == 0)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no module matches '" + pattern + "'; modules are " + namedModules().keySet());
        return n;
    }

    private int replace(String prefix, String[] pattern, int depth, UnaryOperator<Module> f) {
        int n = 0;
        for (var e : new ArrayList<>(children.entrySet())) {
            if (!glob(pattern[depth], e.getKey())) continue;
            String path = prefix + e.getKey();
            if (depth + 1 < pattern.length) {
                n += e.getValue().replace(path + ".", pattern, depth + 1, f);
                continue;
            }
            Module old = e.getValue(), repl = f.apply(old);
            if (repl == null) throw new IllegalArgumentException("replace: the replacement for '" + path + "' is null");
            children.put(e.getKey(), repl);
            repl.train(old.training);
            n++;
        }
        return n;
    }

    /** True when the first {@code n} segments of {@code path} match those of {@code pattern}. */
    private static boolean matches(String[] path, String[] pattern, int n) {
        if (n > pattern.length) return false;
        for (int i = 0; i < n; i++) if (!glob(pattern[i], path[i])) return false;
        return true;
    }

    /** One segment: {@code *} matches anything, {@code lora_*} any segment starting with {@code lora_}. */
    private static boolean glob(String pattern, String seg) {
        int star = pattern.indexOf('*');
        if (star < 0) return pattern.equals(seg);
        return seg.startsWith(pattern.substring(0, star)) && seg.endsWith(pattern.substring(star + 1))
                && seg.length() >= pattern.length() - 1;
    }

    /**
     * Turns gradients off for every parameter under {@code pattern}: a parameter's path matches when its leading
     * segments match the whole pattern ({@code ""} = every parameter; {@code "h.*.mlp"} = all MLP weights). Returns
     * the number of scalars frozen. Optimizers built afterwards leave them alone (see {@link #trainableParameters()}).
     */
    public long freeze(String pattern) { return setTrainable(pattern, false); }

    /** The reverse of {@link #freeze}. */
    public long unfreeze(String pattern) { return setTrainable(pattern, true); }

    private long setTrainable(String pattern, boolean on) {
        String[] pat = pattern.isEmpty() ? new String[0] : pattern.split("\\.", -1);
        long n = 0;
        boolean any = false;
        for (var e : namedParameters().entrySet()) {
            String[] segs = e.getKey().split("\\.");
            if (segs.length >= pat.length && matches(segs, pat, pat.length)) {
                any = true;
                if (e.getValue().requiresGrad() != on) {
                    e.getValue().requiresGrad(on);
                    n += e.getValue().numel();
                }
            }
        }
        if (!any) throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameter matches '" + pattern + "'");
        return n;
    }

    /** Parameters that receive gradients (not frozen), in the order of {@link #parameters()}. */
    public List<Tensor> trainableParameters() {
        return namedParameters().values().stream().filter(Tensor::requiresGrad).toList();
    }

    /** Scalars in trainable parameters. */
    public long numTrainable() {
        long n = 0;
        for (Tensor t : trainableParameters()) n += t.numel();
        return n;
    }

    /** Scalars in frozen parameters. */
    public long numFrozen() { return numParameters() - numTrainable(); }

    /** Total number of scalar parameters. */
    public long numParameters() {
        long n = 0;
        for (Tensor t : namedParameters().values()) n += t.numel();
        return n;
    }

    /** Zeroes every parameter's gradient. */
    public void zeroGrad() { Tensor.zeroGrads(namedParameters().values()); }

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
