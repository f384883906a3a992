package llmbook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import llmbook.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSpecTest {
    @TempDir Path dir;

    @Test
    void installWritesAJavaKernelspecUnderThePrefix() throws Exception {
        KernelSpec.install(List.of("--prefix", dir.toString(), "--java", "/opt/jdk/bin/java", "--home", "/repo", "--jvm-opt", "-Dx=1"));
        Path file = dir.resolve("share/jupyter/kernels/java/kernel.json");
        Map<String, Object> spec = Json.parseObject(Files.readString(file));
        @SuppressWarnings("unchecked") List<Object> argv = (List<Object>) spec.get("argv");
        assertEquals("/opt/jdk/bin/java", argv.get(0));
        assertTrue(argv.containsAll(List.of("--add-modules", "jdk.incubator.vector", "-Dx=1", "llmbook.kernel.Main", "{connection_file}")), argv.toString());
        assertTrue(argv.stream().anyMatch(a -> a.toString().startsWith("-javaagent:")), "the agent keeps variables across imports");
        assertEquals("message", spec.get("interrupt_mode"), "interrupts must reach the kernel as messages");
        assertEquals("java", spec.get("language"));
        assertEquals(Map.of("LLMBOOK_HOME", "/repo"), spec.get("env"));
        try (var s = Files.list(file.getParent())) {
            assertEquals(1, s.count(), "no temp file left behind");
        }
    }

    @Test
    void installNeedsExactlyOneDestination() {
        assertThrows(IllegalArgumentException.class, () -> KernelSpec.install(List.of()));
        assertThrows(IllegalArgumentException.class, () -> KernelSpec.install(List.of("--user", "--prefix", "x")));
        assertThrows(IllegalArgumentException.class, () -> KernelSpec.install(List.of("--prefix")));
        assertThrows(IllegalArgumentException.class, () -> KernelSpec.install(List.of("--bogus")));
    }
}
