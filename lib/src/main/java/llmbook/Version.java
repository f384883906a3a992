package llmbook;

/** Facts about the running library, for chapter 0 and bug reports. */
public final class Version {
    private Version() {}

    /** The library version, as built. */
    public static final String VERSION = "0.1.0";

    /** A one-line description: library version, JDK, and whether the Vector API module is loaded. */
    public static String describe() {
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        return "llmbook " + VERSION + " on Java " + Runtime.version() + " (" + System.getProperty("java.vm.name")
                + "), jdk.incubator.vector " + (vector ? "loaded" : "NOT loaded: start the JVM with --add-modules jdk.incubator.vector")
                + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }
}
