package llmbook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rewriting of exits in snippet classes, on a class compiled here as JShell would compile a cell. */
class ExitGuardTest {
    @TempDir Path dir;

    private static final String SOURCE = """
            public class Quitter {
                public static void system() { System.exit(3); }
                public static void halt() { Runtime.getRuntime().halt(4); }
                public static void runtimeExit() { Runtime.getRuntime().exit(5); }
                public static void reference() { java.util.function.IntConsumer q = System::exit; q.accept(6); }
                public static void boundHalt() { java.util.function.IntConsumer q = Runtime.getRuntime()::halt; q.accept(7); }
                public static int harmless() { return 42; }
            }
            """;

    private Class<?> compileAndRewrite() throws Exception {
        Files.writeString(dir.resolve("Quitter.java"), SOURCE);
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), dir.resolve("Quitter.java").toString()));
        byte[] rewritten = ExitGuard.rewrite(Files.readAllBytes(dir.resolve("Quitter.class")));
        return new ClassLoader(getClass().getClassLoader()) {
            Class<?> define() { return defineClass("Quitter", rewritten, 0, rewritten.length); }
        }.define();
    }

    @Test
    void everyExitBecomesAnErrorThatSaysWhatWasCalled() throws Exception {
        Class<?> c = compileAndRewrite();
        for (var call : List.of(List.of("system", "System.exit(3)"), List.of("halt", "Runtime.halt(4)"),
                List.of("runtimeExit", "Runtime.exit(5)"), List.of("reference", "System.exit(6)"), List.of("boundHalt", "Runtime.halt(7)"))) {
            var e = assertThrows(InvocationTargetException.class, () -> c.getMethod(call.get(0)).invoke(null), call.get(0));
            assertInstanceOf(ExitGuard.ExitCalled.class, e.getCause(), call.get(0));
            assertEquals(call.get(1) + " was called: the kernel stays up; restart it from the menu to start afresh", e.getCause().getMessage());
        }
        assertEquals(42, c.getMethod("harmless").invoke(null));
    }

    @Test
    void aClassWithoutExitsIsLeftAsItIs() throws Exception {
        byte[] bytes;
        try (var in = ExitGuardTest.class.getResourceAsStream("ClasspathMagicsTest.class")) {
            bytes = in.readAllBytes();
        }
        assertSame(bytes, ExitGuard.rewrite(bytes));
    }
}
