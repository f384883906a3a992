package llmbook.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --switch} command-line flags, checked against the names a command
 * knows, with errors that say which flag and what was wrong. Usage errors are {@link UsageException}s,
 * which the commands turn into exit status 2.
 */
final class Flags {
    static final class UsageException extends RuntimeException {
        UsageException(String message) { super(message); }
    }

    private final Map<String, String> values = new LinkedHashMap<>();

    /** Parses {@code args}; {@code valued} flags take a value, {@code switches} do not. */
    Flags(String[] args, Set<String> valued, Set<String> switches) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new UsageException("unexpected argument '" + a + "'");
            String name = a.substring(2), value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) { value = name.substring(eq + 1); name = name.substring(0, eq); }
            if (switches.contains(name)) {
                if (value != null) throw new UsageException("--" + name + " takes no value");
                values.put(name, "true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) throw new UsageException("--" + name + " needs a value");
                    value = args[++i];
                }
                values.put(name, value);
            } else {
                throw new UsageException("unknown flag --" + name);
            }
        }
    }

    boolean has(String name) { return values.containsKey(name); }

    String string(String name, String def) { return values.getOrDefault(name, def); }

    int integer(String name, int def, int min) {
        if (!values.containsKey(name)) return def;
        try {
            int v = Integer.parseInt(values.get(name));
            if (v < min) throw new UsageException("--" + name + " must be >= " + min + ", got " + v);
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got '" + values.get(name) + "'");
        }
    }

    float real(String name, float def, float min, float max) {
        if (!values.containsKey(name)) return def;
        try {
            float v = Float.parseFloat(values.get(name));
            if (!(v >= min && v <= max)) throw new UsageException("--" + name + " must be in [" + min + ", " + max + "], got " + v);
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + values.get(name) + "'");
        }
    }
}
