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
        connection.waitUntilClose();
        System.exit(0);
    }
}
