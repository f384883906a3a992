package llmbook.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point: {@code Main CONNECTION_FILE} runs the kernel (Jupyter starts it so, from the
 * kernelspec); {@code Main install ...} writes the kernelspec ({@link KernelSpec}).
 */
public final class Main {
    private Main() {}

    /** The root logger, held so the level sticks: the base library logs every message at INFO. */
    private static final Logger QUIET = Logger.getLogger("");

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("install")) {
            try {
                System.exit(KernelSpec.install(List.of(Arrays.copyOfRange(args, 1, args.length))));
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                System.exit(2);
            }
        }
        if (args.length == 1 && args[0].equals("warmup")) { // the training run of the start-up archive (KernelSpec)
            QUIET.setLevel(Level.WARNING);
            warmup();
            System.exit(0);
        }
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: llmbook.kernel.Main CONNECTION_FILE\n       " + KernelSpec.USAGE);
            System.exit(2);
        }
        QUIET.setLevel(Level.WARNING);
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JupyterConnection connection = new JupyterConnection(props);
        JavaKernel kernel = new JavaKernel();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        exitWithFrontEnd(System.getenv("JPY_PARENT_PID"), () -> {
            kernel.onShutdown(false);
            connection.close();                                     // main's waitUntilClose returns, and it exits
        });
        connection.waitUntilClose();
        System.exit(0);
    }

    /** Seconds the kernel gives its own shutdown after its front end has gone, before it halts. */
    static final int ORPHAN_GRACE_SECONDS = 5;

    /**
     * Jupyter puts the pid of the process that launched the kernel (a notebook server, {@code jupyter console},
     * nbclient) in {@code JPY_PARENT_PID}. When that process dies without shutting the kernel down — killed, or a
     * console whose terminal was closed — nothing can reach the kernel any more, so it shuts itself down (as IPython's
     * kernel does) instead of keeping a JVM alive unseen; a halt follows {@link #ORPHAN_GRACE_SECONDS} later if the
     * shutdown hangs. Returns whether a front end is watched (false without a usable pid).
     */
    static boolean exitWithFrontEnd(String parentPid, Runnable shutdown) {
        if (parentPid == null || parentPid.isBlank()) return false;
        long pid;
        try {
            pid = Long.parseLong(parentPid.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (pid <= 1 || pid == ProcessHandle.current().pid()) return false;
        java.util.concurrent.CompletableFuture<?> gone = ProcessHandle.of(pid)
                .map(h -> (java.util.concurrent.CompletableFuture<?>) h.onExit())
                .orElseGet(() -> java.util.concurrent.CompletableFuture.completedFuture(null));
        gone.thenRun(() -> {
            System.err.println("llmbook kernel: its front end (pid " + pid + ") has exited; shutting down");
            Thread halt = new Thread(() -> {
                try {
                    Thread.sleep(ORPHAN_GRACE_SECONDS * 1000L);
                } catch (InterruptedException e) {
                    return;
                }
                Runtime.getRuntime().halt(0);
            }, "llmbook-orphan-halt");
            halt.setDaemon(true);
            halt.start();
            shutdown.run();
        });
        return true;
    }

    /** What a first session does: start JShell, evaluate, complete and inspect a little. */
    static void warmup() throws Exception {
        int[] ports = new int[5];
        for (int i = 0; i < ports.length; i++)
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) { ports[i] = s.getLocalPort(); }
        String file = String.format("{\"ip\": \"127.0.0.1\", \"transport\": \"tcp\", \"shell_port\": %d, \"iopub_port\": %d, "
                + "\"stdin_port\": %d, \"control_port\": %d, \"hb_port\": %d, \"key\": \"warmup\", \"signature_scheme\": \"hmac-sha256\"}",
                ports[0], ports[1], ports[2], ports[3], ports[4]);
        JupyterConnection connection = new JupyterConnection(KernelConnectionProperties.parse(file));
        JavaKernel kernel = new JavaKernel();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        new com.google.gson.Gson().toJson(new JavaKernel.StatusKernelInfoReply(kernel.getLanguageInfo(), kernel.getBanner(), kernel.getHelpLinks()));
        kernel.eval("int x = 1 + 1;\nString s = \"whale\" + x;\ns.length()");
        kernel.eval("import java.util.*;\nList<Integer> l = new ArrayList<>(List.of(3, 1, 2));\nCollections.sort(l);\nl");
        kernel.complete("System.out.printl", 17);
        kernel.inspect("Math.max", 8, false);
        kernel.isComplete("for (int i = 0; i < 3; i++) {");
        kernel.onShutdown(false);
        connection.close();
    }
}
