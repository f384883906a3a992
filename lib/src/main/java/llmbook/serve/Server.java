package llmbook.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import llmbook.model.LanguageModel;
import llmbook.sample.Generator;
import llmbook.sample.Sampler;
import llmbook.tensor.Rng;
import llmbook.tokenizer.Tokenizer;
import llmbook.util.Json;

/**
 * An HTTP server for a language model with an OpenAI-compatible {@code POST /v1/completions}, non-streaming and
 * streaming (server-sent events), on the JDK's own {@code com.sun.net.httpserver}. Q50.
 * <pre>
 *   POST /v1/completions  {"prompt": "Call me", "max_tokens": 50, "temperature": 0.8, "top_p": 1, "seed": 1, "stream": false}
 *   GET  /v1/models       the one model served          GET /health   "ok"
 * </pre>
 * Limits, each answered with a JSON error {@code {"error": {"message", "type", "code"}}} and never a stack trace:
 * 400 for malformed JSON or a bad field (named), 401 for a missing or wrong API key (when one is set), 404/405 for
 * other paths and methods, 413 for a body over the limit, 429 when {@code maxConcurrent} requests are already in
 * flight, 503 when overloaded (a request could not start decoding within the queue timeout) or stopping, 500 for
 * anything unexpected (its message only).
 *
 * <p>Requests are admitted up to {@code maxConcurrent} at once. With batching on (the default) they decode together,
 * one forward pass per step for all of them ({@link Batcher}); off, one request decodes at a time (a lock around
 * {@link Generator}). A client that disconnects mid-stream stops its generation at the next token (the write fails,
 * its row leaves the batch) and frees its slot; with batching, a slow reader delays only its own stream.
 */
public final class Server implements AutoCloseable {
    /**
     * The server's settings; {@code apiKey} null = no key required. {@code batching} on: concurrent requests share
     * one forward pass per step ({@link Batcher}, up to {@code maxConcurrent} sequences); off: one request decodes at a
     * time. A request that has not started decoding after {@code queueTimeoutMs} gets 503 (overloaded).
     */
    public record Config(String host, int port, int maxTokens, int maxBodyBytes, int maxConcurrent, String apiKey, String modelName,
                         boolean batching, long queueTimeoutMs) {
        public Config {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("Server: port must be in 0 … 65535, got " + port);
            if (maxTokens < 1) throw new IllegalArgumentException("Server: max tokens must be >= 1, got " + maxTokens);
            if (maxBodyBytes < 64) throw new IllegalArgumentException("Server: the body limit must be >= 64 bytes, got " + maxBodyBytes);
            if (maxConcurrent < 1) throw new IllegalArgumentException("Server: max concurrent requests must be >= 1, got " + maxConcurrent);
            if (queueTimeoutMs < 1) throw new IllegalArgumentException("Server: the queue timeout must be >= 1 ms, got " + queueTimeoutMs);
        }

        /** Batching on, a 30 s queue timeout. */
        public Config(String host, int port, int maxTokens, int maxBodyBytes, int maxConcurrent, String apiKey, String modelName) {
            this(host, port, maxTokens, maxBodyBytes, maxConcurrent, apiKey, modelName, true, 30_000);
        }

        /** 127.0.0.1, at most 256 new tokens, 64 KiB bodies, 4 requests at once, no key, batching on. */
        public static Config defaults(int port, String modelName) { return new Config("127.0.0.1", port, 256, 64 * 1024, 4, null, modelName); }

        public Config withApiKey(String key) { return new Config(host, port, maxTokens, maxBodyBytes, maxConcurrent, key, modelName, batching, queueTimeoutMs); }

        public Config withLimits(int maxTokens, int maxBodyBytes, int maxConcurrent) {
            return new Config(host, port, maxTokens, maxBodyBytes, maxConcurrent, apiKey, modelName, batching, queueTimeoutMs);
        }

        public Config withBatching(boolean on) { return new Config(host, port, maxTokens, maxBodyBytes, maxConcurrent, apiKey, modelName, on, queueTimeoutMs); }

        public Config withQueueTimeout(long ms) { return new Config(host, port, maxTokens, maxBodyBytes, maxConcurrent, apiKey, modelName, batching, ms); }
    }

    /** An error answered as JSON with this status. */
    static final class HttpError extends RuntimeException {
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** Thrown from the token sink when the client has gone: ends the generation. */
    private static final class ClientGone extends RuntimeException {
        ClientGone(IOException cause) { super(cause.getMessage(), cause, false, false); }
    }

    private final LanguageModel model;
    private final Tokenizer tokenizer;
    private final Config config;
    private final HttpServer http;
    private final ExecutorService pool;
    private final Semaphore slots;
    private final ReentrantLock modelLock = new ReentrantLock();
    private final Batcher batcher;
    private final AtomicLong ids = new AtomicLong(), served = new AtomicLong(), rejected = new AtomicLong(), overloaded = new AtomicLong();
    private volatile boolean stopping;

    public Server(LanguageModel model, Tokenizer tokenizer, Config config) throws IOException {
        this.model = model;
        this.tokenizer = tokenizer;
        this.config = config;
        this.slots = new Semaphore(config.maxConcurrent());
        http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
        batcher = config.batching() && model.supportsCache() ? new Batcher(model, config.maxConcurrent()) : null;
        pool = Executors.newFixedThreadPool(config.maxConcurrent() + 16);   // + 16: slow senders and 429s never wait for a decode
        http.setExecutor(pool);
        http.createContext("/", this::handle);
    }

    /** Starts serving; returns this. */
    public Server start() {
        http.start();
        return this;
    }

    /** The port actually bound (useful with port 0). */
    public int port() { return http.getAddress().getPort(); }

    /** Completions answered so far, and requests refused with 429. */
    public long served() { return served.get(); }

    public long rejected() { return rejected.get(); }

    /** Completion requests admitted and not yet finished. */
    public int inFlight() { return config.maxConcurrent() - slots.availablePermits(); }

    /** Requests answered 503 because they could not start within the queue timeout. */
    public long overloaded() { return overloaded.get(); }

    /** Whether concurrent requests are decoded in one batch. */
    public boolean batching() { return batcher != null; }

    /** Forward passes of the batcher so far and the mean sequences per pass (0 without batching). */
    public long batchSteps() { return batcher == null ? 0 : batcher.steps(); }

    public double meanBatch() { return batcher == null ? 0 : batcher.meanBatch(); }

    /** The sum of the batch sizes of all the batcher's passes (0 without batching). */
    public long batchRows() { return batcher == null ? 0 : batcher.rowSteps(); }

    @Override
    public void close() {
        stopping = true;
        http.stop(1);
        if (batcher != null) batcher.close();
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) {
        // the request's slot, freed as soon as its tokens are generated: a client that has its whole answer may send
        // the next request at once, and must never find its own finished request still counted in flight (429)
        boolean[] admitted = {false};
        Runnable free = () -> { if (admitted[0]) { admitted[0] = false; slots.release(); } };
        try (ex) {
            try {
                String path = ex.getRequestURI().getPath(), method = ex.getRequestMethod();
                if (stopping) throw new HttpError(503, "the server is shutting down");
                checkKey(ex);
                switch (path) {
                    case "/health" -> { requireMethod(method, "GET"); send(ex, 200, "text/plain", "ok\n"); }
                    case "/v1/models" -> {
                        requireMethod(method, "GET");
                        sendJson(ex, 200, Map.of("object", "list", "data", List.of(Map.of("id", config.modelName(), "object", "model", "owned_by", "llmbook"))));
                    }
                    case "/v1/completions" -> {
                        requireMethod(method, "POST");
                        Request r = Request.parse(readBody(ex), config.maxTokens());
                        if (!slots.tryAcquire()) {
                            rejected.incrementAndGet();
                            throw new HttpError(429, "too many requests in flight (" + config.maxConcurrent() + "); retry later");
                        }
                        admitted[0] = true;
                        complete(ex, r, free);
                    }
                    default -> throw new HttpError(404, "no such endpoint: " + path + " (try POST /v1/completions)");
                }
            } catch (HttpError e) {
                if (ex.getResponseCode() == -1) sendError(ex, e.status, e.getMessage());
            } catch (ClientGone e) {
                // the client left mid-stream: nothing to answer
            } catch (RuntimeException e) {
                if (ex.getResponseCode() == -1) sendError(ex, 500, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        } catch (IOException e) {
            // the connection broke while answering: nothing more to do
        } finally {
            free.run();
        }
    }

    private void checkKey(HttpExchange ex) {
        if (config.apiKey() == null) return;
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.equals("Bearer " + config.apiKey()))
            throw new HttpError(401, auth == null ? "missing API key (send 'Authorization: Bearer KEY')" : "wrong API key");
    }

    private static void requireMethod(String method, String want) {
        if (!method.equals(want)) throw new HttpError(405, "method " + method + " not allowed here; use " + want);
    }

    private String readBody(HttpExchange ex) throws IOException {
        String len = ex.getRequestHeaders().getFirst("Content-Length");
        if (len != null) {
            try {
                if (Long.parseLong(len.trim()) > config.maxBodyBytes())
                    throw new HttpError(413, "request body of " + len.trim() + " bytes exceeds the limit of " + config.maxBodyBytes());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "bad Content-Length '" + len + "'");
            }
        }
        InputStream in = ex.getRequestBody();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        for (int n; (n = in.read(b)) > 0; ) {
            buf.write(b, 0, n);
            if (buf.size() > config.maxBodyBytes())
                throw new HttpError(413, "request body exceeds the limit of " + config.maxBodyBytes() + " bytes");
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** Generates the completion; {@code free} gives the request's slot back once the tokens are out, before the last bytes are sent. */
    private void complete(HttpExchange ex, Request r, Runnable free) throws IOException {
        int[] prompt = tokenizer.encode(r.prompt());
        if (prompt.length == 0) throw new HttpError(400, "'prompt' encodes to no tokens");
        Sampler sampler = r.temperature() == 0 ? Sampler.greedy() : Sampler.of((float) r.temperature(), 0, (float) r.topP(), new Rng(r.seed()));
        String id = "cmpl-" + ids.incrementAndGet();
        long created = System.currentTimeMillis() / 1000;
        if (!r.stream()) {
            StringBuilder text = new StringBuilder();
            long n = generate(prompt, r.maxTokens(), sampler, tok -> text.append(tokenizer.decode(new int[] {tok})));
            served.incrementAndGet();
            free.run();
            sendJson(ex, 200, body(id, created, text.toString(), "length", Map.of("prompt_tokens", prompt.length, "completion_tokens", n,
                    "total_tokens", prompt.length + n)));
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);                                      // chunked
        OutputStream out = ex.getResponseBody();
        generate(prompt, r.maxTokens(), sampler, tok -> event(out, Json.write(body(id, created, tokenizer.decode(new int[] {tok}), null, null))));
        free.run();
        event(out, Json.write(body(id, created, "", "length", null)));
        event(out, "[DONE]");
        served.incrementAndGet();
    }

    private long generate(int[] prompt, int maxTokens, Sampler sampler, java.util.function.IntConsumer sink) {
        try {
            if (batcher == null) {
                if (!modelLock.tryLock(config.queueTimeoutMs(), TimeUnit.MILLISECONDS)) throw overload();
                try {
                    return new Generator(model).stream(prompt, maxTokens, sampler, (tok, pos) -> sink.accept(tok));
                } finally {
                    modelLock.unlock();
                }
            }
            Batcher.Job job = batcher.submit(prompt, maxTokens, sampler);
            Integer t = job.poll(config.queueTimeoutMs());
            if (t == null) {
                if (job.abandon()) throw overload();
                t = job.out.take();
            }
            long n = 0;
            try {
                for (; t != Batcher.END; t = job.out.take()) {
                    if (t == Batcher.FAILED) {
                        if (stopping) throw new HttpError(503, "the server is shutting down");
                        throw new IllegalStateException("generation failed: " + job.error);
                    }
                    sink.accept(t);
                    n++;
                }
            } catch (RuntimeException e) {
                job.cancel();                                                   // the client left: free its row
                throw e;
            }
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "the server is shutting down");
        }
    }

    private HttpError overload() {
        overloaded.incrementAndGet();
        return new HttpError(503, "server overloaded: the request could not start within " + config.queueTimeoutMs() + " ms; retry later");
    }

    private static void event(OutputStream out, String data) {
        try {
            out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    private Map<String, Object> body(String id, long created, String text, String finish, Map<String, Object> usage) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("text", text);
        choice.put("index", 0);
        choice.put("finish_reason", finish);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("object", "text_completion");
        m.put("created", created);
        m.put("model", config.modelName());
        m.put("choices", List.of(choice));
        if (usage != null) m.put("usage", usage);
        return m;
    }

    private static void sendJson(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json", Json.write(body));
    }

    private static void sendError(HttpExchange ex, int status, String message) throws IOException {
        String type = status == 401 ? "authentication_error" : status == 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error";
        if (status == 429 || status == 503) ex.getResponseHeaders().set("Retry-After", "1");
        sendJson(ex, status, Map.of("error", Map.of("message", message, "type", type, "code", status)));
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    /** A parsed, checked completion request. */
    record Request(String prompt, int maxTokens, double temperature, double topP, long seed, boolean stream) {
        static Request parse(String body, int maxTokensCap) {
            Map<String, Object> m;
            try {
                m = Json.parseObject(body);
            } catch (IllegalArgumentException e) {
                throw new HttpError(400, "malformed JSON: " + e.getMessage());
            }
            if (!(m.get("prompt") instanceof String prompt)) throw new HttpError(400, "'prompt' must be a string" + (m.containsKey("prompt") ? "" : " (missing)"));
            if (prompt.isEmpty()) throw new HttpError(400, "'prompt' must not be empty");
            long maxTokens = integer(m, "max_tokens", 16);
            if (maxTokens < 1 || maxTokens > maxTokensCap) throw new HttpError(400, "'max_tokens' must be in 1 … " + maxTokensCap + ", got " + maxTokens);
            double t = number(m, "temperature", 1.0), p = number(m, "top_p", 1.0);
            if (t < 0 || t > 2) throw new HttpError(400, "'temperature' must be in [0, 2], got " + t);
            if (!(p > 0) || p > 1) throw new HttpError(400, "'top_p' must be in (0, 1], got " + p);
            Object s = m.getOrDefault("stream", false);
            if (!(s instanceof Boolean stream)) throw new HttpError(400, "'stream' must be true or false");
            return new Request(prompt, (int) maxTokens, t, p, integer(m, "seed", 1), stream);
        }

        private static long integer(Map<String, Object> m, String key, long def) {
            Object v = m.get(key);
            if (v == null) return def;
            if (v instanceof Long l) return l;
            throw new HttpError(400, "'" + key + "' must be a whole number");
        }

        private static double number(Map<String, Object> m, String key, double def) {
            Object v = m.get(key);
            if (v == null) return def;
            if (v instanceof Number n) return n.doubleValue();
            throw new HttpError(400, "'" + key + "' must be a number");
        }
    }
}
