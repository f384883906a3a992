package llmbook.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import llmbook.kernels.Kernels;
import llmbook.model.Checkpoint;
import llmbook.quant.QuantType;
import llmbook.quant.Quantize;
import llmbook.serve.Server;

/** {@code ./llmbook serve}: an OpenAI-compatible completions server for a run folder, on 127.0.0.1. Q50. */
public final class Serve {
    private Serve() {}

    static final String HELP = """
            usage: ./llmbook serve [--run DIR] [--port N] [--quantize int8|int4] [flags]

            Serves a model saved by ./llmbook train over HTTP on 127.0.0.1 until stopped (Ctrl-C):
              POST /v1/completions   {"prompt": "Call me", "max_tokens": 50, "temperature": 0.8, "stream": false}
                                     (OpenAI-compatible; "stream": true sends server-sent events)
              GET  /v1/models        GET /health
            Errors are JSON: 400 bad field, 401 API key, 413 body too large, 429 too many requests at once,
            503 overloaded (a request could not start within the queue timeout).

              --run DIR           run folder written by ./llmbook train (default runs/gpt)
              --port N            TCP port (default 8000; 0 = any free port)
              --quantize Q        int8 or int4: block-wise weights (blocks of 32) for every linear layer
              --max-tokens N      most tokens one request may ask for (default 256)
              --max-body N        largest request body in bytes (default 65536)
              --concurrency N     requests in flight at once; more get 429 (default 4)
              --batching on|off   on: requests in flight share one forward pass per step (default on)
              --queue-timeout MS  a request not started after MS milliseconds gets 503 (default 30000)
              --api-key-env VAR   require 'Authorization: Bearer KEY' with KEY read from environment variable VAR
              --threads N         kernel threads (default 1)
              --help              this text
            """;

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.guard("serve", err, () -> runChecked(args, out, err));
    }

    private static int runChecked(String[] args, PrintStream out, PrintStream err) throws Exception {
        Server server;
        try {
            Flags f = new Flags(args, Set.of("run", "port", "quantize", "max-tokens", "max-body", "concurrency", "api-key-env", "threads", "batching", "queue-timeout"), Set.of("help"));
            if (f.has("help")) { out.print(HELP); return 0; }
            Path run = Path.of(f.string("run", "runs/gpt"));
            int port = f.integer("port", 8000, 0);
            if (port > 65535) throw new Flags.UsageException("--port must be <= 65535, got " + port);
            String q = f.string("quantize", "none");
            QuantType type = switch (q) {
                case "none" -> null;
                case "int8" -> QuantType.INT8;
                case "int4" -> QuantType.INT4;
                default -> throw new Flags.UsageException("--quantize must be int8 or int4, got '" + q + "'");
            };
            int maxTokens = f.integer("max-tokens", 256, 1), maxBody = f.integer("max-body", 65536, 64), conc = f.integer("concurrency", 4, 1);
            String key = null;
            if (f.has("api-key-env")) {
                key = System.getenv(f.string("api-key-env", ""));
                if (key == null || key.isEmpty()) throw new Flags.UsageException("--api-key-env: environment variable " + f.string("api-key-env", "") + " is not set");
            }
            Kernels.setThreads(f.integer("threads", 1, 1));
            if (!Files.isDirectory(run)) throw new Flags.UsageException("--run: no run folder " + run + "; train one first with ./llmbook train --out " + run);
            Checkpoint.Loaded c = Checkpoint.load(run);
            if (type != null) Quantize.linears(c.model(), type, 32);
            String batching = f.string("batching", "on");
            if (!batching.equals("on") && !batching.equals("off")) throw new Flags.UsageException("--batching must be on or off, got '" + batching + "'");
            int queueMs = f.integer("queue-timeout", 30_000, 1);
            Server.Config cfg = new Server.Config("127.0.0.1", port, maxTokens, maxBody, conc, key, run.getFileName().toString(), batching.equals("on"), queueMs);
            server = new Server(c.model(), c.tokenizer(), cfg).start();
            out.printf("serving %s%s on http://127.0.0.1:%d/v1/completions (weights %,d bytes; Ctrl-C stops)%n", run, type == null ? "" : " (" + q + ")",
                    server.port(), Quantize.weightBytes(c.model()));
        } catch (Flags.UsageException e) {
            err.println("llmbook serve: " + e.getMessage() + " (see ./llmbook serve --help)");
            return 2;
        } catch (java.net.BindException e) {
            err.println("llmbook serve: error: cannot listen on that port: " + e.getMessage() + " (is another server using it? try --port)");
            return 1;
        }
        CountDownLatch done = new CountDownLatch(1);
        Server s = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { s.close(); done.countDown(); }));
        done.await();
        return 0;
    }
}
