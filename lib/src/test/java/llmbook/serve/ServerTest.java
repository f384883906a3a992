package llmbook.serve;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tokenizer.CharTokenizer;
import llmbook.util.Json;

class ServerTest {
    static Server server;
    static final HttpClient client = HttpClient.newHttpClient();
    static final String KEY = "test-key";

    @BeforeAll
    static void start() throws Exception {
        CharTokenizer tok = CharTokenizer.fit("abcdefgh ijklmnop.");
        Decoder m = new Decoder(TransformerConfig.gpt2(tok.vocabSize()).toBuilder().context(64).layers(1).heads(2).width(16).hidden(32).build(), new Rng(1));
        server = new Server(m, tok, Server.Config.defaults(0, "tiny").withApiKey(KEY).withLimits(50, 1024, 2)).start();
    }

    @AfterAll
    static void stop() { server.close(); }

    static HttpResponse<String> post(String body, String key) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/completions")).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) b.header("Authorization", "Bearer " + key);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    static String errorMessage(HttpResponse<String> r) {
        return (String) ((Map<String, Object>) Json.parseObject(r.body()).get("error")).get("message");
    }

    /**
     * A client that has its whole answer may send the next request at once: with one slot, back-to-back requests from
     * one client are never refused (the slot used to be given back only after the response was closed, so the next
     * request could find it still taken and get 429: seen as a refused request in LoadTestTest).
     */
    @Test
    void backToBackRequestsFromOneClientAreNeverRefused() throws Exception {
        CharTokenizer tok = CharTokenizer.fit("abcdefgh ijklmnop.");
        Decoder m = new Decoder(TransformerConfig.gpt2(tok.vocabSize()).toBuilder().context(64).layers(1).heads(2).width(16).hidden(32).build(), new Rng(1));
        try (Server one = new Server(m, tok, Server.Config.defaults(0, "tiny").withLimits(50, 1024, 1)).start()) {
            var uri = URI.create("http://127.0.0.1:" + one.port() + "/v1/completions");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 400; i++) {
                String body = "{\"prompt\": \"abc\", \"max_tokens\": 1, \"temperature\": 0" + (i % 2 == 1 ? ", \"stream\": true" : "") + "}";
                var r = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), "request " + i + ": " + r.body());
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void completesWithoutStreaming() throws Exception {
        var r = post("{\"prompt\": \"abc\", \"max_tokens\": 7, \"temperature\": 0}", KEY);
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> m = Json.parseObject(r.body());
        assertEquals("text_completion", m.get("object"));
        var choice = (Map<String, Object>) ((List<Object>) m.get("choices")).get(0);
        assertEquals(7, ((String) choice.get("text")).codePointCount(0, ((String) choice.get("text")).length()));
        assertEquals(7L, ((Map<String, Object>) m.get("usage")).get("completion_tokens"));
        // greedy is deterministic
        assertEquals(choice.get("text"), ((Map<String, Object>) ((List<Object>) Json.parseObject(post("{\"prompt\": \"abc\", \"max_tokens\": 7, \"temperature\": 0}", KEY).body())
                .get("choices")).get(0)).get("text"));
    }

    @Test
    void streamsServerSentEvents() throws Exception {
        var r = post("{\"prompt\": \"abc\", \"max_tokens\": 5, \"stream\": true, \"seed\": 3}", KEY);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String> events = r.body().lines().filter(l -> l.startsWith("data: ")).toList();
        assertEquals(5 + 2, events.size(), r.body());            // one per token, the finish chunk, [DONE]
        assertEquals("data: [DONE]", events.get(events.size() - 1));
        assertTrue(events.get(5).contains("\"finish_reason\":\"length\""), events.get(5));
    }

    @Test
    void badRequestsGetJsonErrors() throws Exception {
        var r = post("{\"prompt\": \"abc\", ", KEY);
        assertEquals(400, r.statusCode());
        assertTrue(errorMessage(r).startsWith("malformed JSON"), r.body());
        r = post("{\"max_tokens\": 3}", KEY);
        assertEquals(400, r.statusCode());
        assertTrue(errorMessage(r).contains("'prompt'"), r.body());
        r = post("{\"prompt\": \"a\", \"max_tokens\": 51}", KEY);
        assertEquals(400, r.statusCode());
        assertTrue(errorMessage(r).contains("max_tokens"), r.body());
        r = post("{\"prompt\": \"a\", \"temperature\": \"hot\"}", KEY);
        assertEquals(400, r.statusCode());
        r = post("{\"prompt\": \"" + "a".repeat(2000) + "\"}", KEY);
        assertEquals(413, r.statusCode(), r.body());
        r = post("{\"prompt\": \"a\"}", null);
        assertEquals(401, r.statusCode());
        r = post("{\"prompt\": \"a\"}", "wrong");
        assertEquals(401, r.statusCode());
        var get = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/completions")).header("Authorization", "Bearer " + KEY).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        for (var x : List.of(r, get)) assertFalse(x.body().contains("at llmbook."), "a stack trace leaked: " + x.body());
    }

    @Test
    void survivesAClientThatLeavesMidStream() throws Exception {
        long before = server.served();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            String body = "{\"prompt\": \"abc\", \"max_tokens\": 50, \"stream\": true}";
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + KEY + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] b = new byte[64];
            assertTrue(in.read(b) > 0);                           // the headers have started: then hang up
        }
        // both slots are free again and the model still answers
        for (int i = 0; i < 3; i++) assertEquals(200, post("{\"prompt\": \"abc\", \"max_tokens\": 3}", KEY).statusCode());
        assertTrue(server.served() >= before + 3);
    }
}
