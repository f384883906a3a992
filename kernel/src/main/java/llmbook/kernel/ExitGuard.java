package llmbook.kernel;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.DynamicCallSiteDesc;
import java.lang.constant.MethodHandleDesc;
import java.lang.constant.MethodTypeDesc;

/**
 * Keeps the kernel alive when a cell calls {@code System.exit}, {@code Runtime.exit} or
 * {@code Runtime.halt}.
 *
 * <p>Cells run in the kernel's own JVM, so an exit would end the kernel with no reply and every
 * variable lost. {@link CellExecutionControl} passes each snippet class through {@link #rewrite}
 * before loading it: calls to those three methods (direct calls and method references such as
 * {@code System::exit}) become calls to the static methods below, which throw {@link ExitCalled}.
 * The cell then ends with an error saying what happened, and the kernel keeps its state.
 *
 * <p>Only snippet classes are rewritten: library code that exits still ends the kernel, and so
 * does an exit reached through reflection or {@code MethodHandles.Lookup}.
 */
public final class ExitGuard {
    private ExitGuard() {}

    /** Thrown in place of an exit. An {@link Error}, so that {@code catch (Exception e)} in a cell does not swallow it. */
    public static final class ExitCalled extends Error {
        ExitCalled(String call) {
            super(call + " was called: the kernel stays up; restart it from the menu to start afresh", null, false, true);
        }
    }

    /** Replaces {@code System.exit(status)} in snippet classes. */
    public static void exit(int status) {
        throw refused("System.exit(" + status + ")");
    }

    /** Replaces {@code runtime.exit(status)} in snippet classes. */
    public static void exit(Runtime runtime, int status) {
        throw refused("Runtime.exit(" + status + ")");
    }

    /** Replaces {@code runtime.halt(status)} in snippet classes. */
    public static void halt(Runtime runtime, int status) {
        throw refused("Runtime.halt(" + status + ")");
    }

    /**
     * The error to throw. The cell's own thread reports it as the cell's error; a thread the cell
     * started dies of it silently (JShell ignores those threads' exceptions), so it is said here.
     */
    private static ExitCalled refused(String call) {
        ExitCalled e = new ExitCalled(call);
        if (!CellExecutionControl.onCellThread())
            System.err.println(e.getMessage() + " (in thread \"" + Thread.currentThread().getName() + "\", which now ends)");
        return e;
    }

    /**
     * The class file with every exit call redirected here; the bytes unchanged when they have none,
     * or when this JDK has no {@code java.lang.classfile} (before JDK 24).
     */
    static byte[] rewrite(byte[] classFile) {
        try {
            return Rewriter.rewrite(classFile);
        } catch (LinkageError e) {
            return classFile;
        }
    }

    /** The rewriting itself, apart so that a JDK without {@code java.lang.classfile} only fails here. */
    private static final class Rewriter {
        private static final ClassDesc CD_GUARD = ClassDesc.of(ExitGuard.class.getName());
        private static final ClassDesc CD_SYSTEM = ClassDesc.of("java.lang.System");
        private static final ClassDesc CD_RUNTIME = ClassDesc.of("java.lang.Runtime");
        private static final MethodTypeDesc MTD_INT = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_int);
        private static final MethodTypeDesc MTD_RUNTIME_INT = MethodTypeDesc.of(ConstantDescs.CD_void, CD_RUNTIME, ConstantDescs.CD_int);

        static byte[] rewrite(byte[] bytes) {
            ClassFile cf = ClassFile.of();
            ClassModel model = cf.parse(bytes);
            if (!callsExit(model)) return bytes;
            return cf.transformClass(model, ClassTransform.transformingMethodBodies(Rewriter::replace));
        }

        private static boolean callsExit(ClassModel model) {
            return model.methods().stream().flatMap(m -> m.code().stream()).flatMap(c -> c.elementStream())
                    .anyMatch(e -> switch (e) {
                        case InvokeInstruction i -> replacement(i.opcode() == Opcode.INVOKESTATIC, i.owner().asSymbol(), i.name().stringValue(), i.typeSymbol()) != null;
                        case InvokeDynamicInstruction i -> i.bootstrapArgs().stream().anyMatch(a -> a instanceof DirectMethodHandleDesc h && replacement(h) != null);
                        default -> false;
                    });
        }

        private static void replace(CodeBuilder cob, CodeElement e) {
            switch (e) {
                case InvokeInstruction i -> {
                    String name = replacement(i.opcode() == Opcode.INVOKESTATIC, i.owner().asSymbol(), i.name().stringValue(), i.typeSymbol());
                    if (name == null) cob.with(e);
                    else cob.invokestatic(CD_GUARD, name, i.opcode() == Opcode.INVOKESTATIC ? MTD_INT : MTD_RUNTIME_INT);
                }
                case InvokeDynamicInstruction i -> {
                    ConstantDesc[] args = i.bootstrapArgs().toArray(ConstantDesc[]::new);
                    boolean changed = false;
                    for (int k = 0; k < args.length; k++) {
                        if (args[k] instanceof DirectMethodHandleDesc h && replacement(h) != null) {
                            boolean isStatic = h.kind() == DirectMethodHandleDesc.Kind.STATIC;
                            args[k] = MethodHandleDesc.ofMethod(DirectMethodHandleDesc.Kind.STATIC, CD_GUARD, replacement(h),
                                    isStatic ? MTD_INT : MTD_RUNTIME_INT);
                            changed = true;
                        }
                    }
                    if (!changed) cob.with(e);
                    else cob.invokedynamic(DynamicCallSiteDesc.of(i.bootstrapMethod(), i.name().stringValue(), i.typeSymbol(), args));
                }
                default -> cob.with(e);
            }
        }

        /** For a method handle to an exit (as in {@code System::exit}): the name of its replacement, else null. */
        private static String replacement(DirectMethodHandleDesc h) {
            boolean isStatic = h.kind() == DirectMethodHandleDesc.Kind.STATIC;
            if (!isStatic && h.kind() != DirectMethodHandleDesc.Kind.VIRTUAL) return null;
            return replacement(isStatic, h.owner(), h.methodName(), MethodTypeDesc.ofDescriptor(h.lookupDescriptor()));
        }

        /** {@code "exit"} or {@code "halt"} when the call is one of the three exits, else null. */
        private static String replacement(boolean isStatic, ClassDesc owner, String name, MethodTypeDesc type) {
            if (!type.equals(MTD_INT)) return null;
            if (isStatic) return owner.equals(CD_SYSTEM) && name.equals("exit") ? "exit" : null;
            return owner.equals(CD_RUNTIME) && (name.equals("exit") || name.equals("halt")) ? name : null;
        }
    }
}
