package llmbook.nn;

/**
 * Sub-modules numbered 0, 1, 2, … in the order added, so their paths read {@code "h.0.attn"}, {@code "h.1.mlp"} (the
 * transformer's blocks). {@link #get(int)} reads the current child, so a {@link Module#replace replaced} entry takes effect.
 */
public final class ModuleList extends Module {
    private int size;

    /** Appends {@code m} under the next index; returns it. */
    public <M extends Module> M add(M m) { return module(Integer.toString(size++), m); }

    /** The module at index {@code i} (as registered or as last replaced). */
    public <M> M get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("ModuleList: index " + i + " outside 0 … " + (size - 1));
        return child(Integer.toString(i));
    }

    public int size() { return size; }
}
