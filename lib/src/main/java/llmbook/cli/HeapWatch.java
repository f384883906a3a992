package llmbook.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Heap use as the collector sees it, for the line {@code ./llmbook train} prints at the end: the fullest the heap
 * got (just before a collection: live data plus garbage, which a collector lets pile up towards {@code -Xmx}) and
 * the most it still held just after a full collection (the live data at that moment, with nothing left to free).
 * The second number is close to what a smaller {@code -Xmx} has to fit.
 */
final class HeapWatch {
    private long maxBefore, maxAfterFull, collections, fullCollections;

    HeapWatch() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof NotificationEmitter emitter)) continue;
            emitter.addNotificationListener((n, h) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
                var gcn = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                var info = gcn.getGcInfo();
                long before = heap(info.getMemoryUsageBeforeGc()), after = heap(info.getMemoryUsageAfterGc());
                boolean major = gcn.getGcAction().contains("major");
                synchronized (this) {
                    maxBefore = Math.max(maxBefore, before);
                    if (major) {
                        maxAfterFull = Math.max(maxAfterFull, after);
                        fullCollections++;
                    }
                    collections++;
                }
            }, null, null);
        }
    }

    private static long heap(Map<String, MemoryUsage> pools) {
        long sum = 0;
        for (var p : ManagementFactory.getMemoryPoolMXBeans())
            if (p.getType() == java.lang.management.MemoryType.HEAP && pools.containsKey(p.getName())) sum += pools.get(p.getName()).getUsed();
        return sum;
    }

    /** One line: the limit, the fullest heap before a collection, the most kept after a full one. */
    synchronized String summary() {
        String live = fullCollections == 0 ? "no full collection was needed"
                : String.format("at most %.0f MB still in use after a full collection (%d of them)", maxAfterFull / 1e6, fullCollections);
        return String.format("heap: limit %.0f MB; fullest %.0f MB (live data plus garbage, just before a collection); %s; %d collections",
                Runtime.getRuntime().maxMemory() / 1e6, maxBefore / 1e6, live, collections);
    }
}
