package io.reefline.cell.relay;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Answers kept for a while, bounded in number (least recently used go first), loaded once per key however many ask
 * at the same moment: a burst of requests with one token waits for one TokenReview. A load that fails is not kept.
 */
final class ExpiringCache<V> {

    /** An answer and until when it may be used. */
    record Timed<V>(V value, Instant expiresAt) {}

    /** Loads the answer for a key that has none (or an expired one). */
    interface Loader<V> {
        Timed<V> load() throws Exception;
    }

    private final int maxEntries;
    private final Clock clock;
    private final LinkedHashMap<String, CompletableFuture<Timed<V>>> entries = new LinkedHashMap<>(16, 0.75f, true);

    ExpiringCache(int maxEntries, Clock clock) {
        this.maxEntries = Math.max(1, maxEntries);
        this.clock = clock;
    }

    V get(String key, Loader<V> loader) throws Exception {
        CompletableFuture<Timed<V>> answer;
        CompletableFuture<Timed<V>> mine = null;
        synchronized (entries) {
            answer = entries.get(key);
            if (answer == null || expired(answer)) {
                mine = new CompletableFuture<>();
                entries.put(key, mine);
                answer = mine;
                evictBeyondLimit();
            }
        }
        if (mine != null) {
            try {
                mine.complete(loader.load());
            } catch (Exception | Error e) {
                synchronized (entries) {
                    entries.remove(key, mine);
                }
                mine.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return answer.get().value();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Forgets {@code key}, e.g. a pod read before it was replaced. */
    void forget(String key) {
        synchronized (entries) {
            entries.remove(key);
        }
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private boolean expired(CompletableFuture<Timed<V>> answer) {
        if (!answer.isDone()) {
            return false;
        }
        if (answer.isCompletedExceptionally()) {
            return true;
        }
        return !clock.instant().isBefore(answer.join().expiresAt());
    }

    private void evictBeyondLimit() {
        Iterator<Map.Entry<String, CompletableFuture<Timed<V>>>> eldest =
                entries.entrySet().iterator();
        while (entries.size() > maxEntries && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }
}
