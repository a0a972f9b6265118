package svcmap.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;

/**
 * The dependency graph's structure for one database, kept in this process so that a walk over
 * tens of thousands of CIs reads arrays instead of the store (docs/performance.md).
 *
 * Never stale: every transaction that touches the structure (TopologyChangeListener) moves the
 * version before it commits and again after, and a snapshot is only handed out while the version
 * it was read at is the current one. Otherwise `current()` says so, the caller reads the store
 * instead, and a new snapshot is read once writes have paused for QUIET_MS (a discovery sync is a
 * burst of batches: reading the graph after each would spend the processor the sync needs).
 */
public final class TopologyIndex {
    /** Set -Dsvcmap.topologyIndex=false to keep the structure out of this process. */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("svcmap.topologyIndex"));
    static final long QUIET_MS = Long.getLong("svcmap.topologyIndex.quietMs", 500L);
    private static final Map<String, TopologyIndex> BY_DATABASE = new ConcurrentHashMap<>();

    private final String database;
    private final GraphDatabaseService db;
    private final AtomicLong version = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ScheduledExecutorService reader;
    private volatile long lastChange = System.nanoTime();
    private volatile TopologySnapshot snapshot;
    private volatile String lastError;
    private volatile boolean stopped;

    private TopologyIndex(String database, GraphDatabaseService db) {
        this.database = database;
        this.db = db;
        this.reader = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "svcmap-topology-index-" + database);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The index of a database, if the extension runs there. */
    static TopologyIndex of(String database) {
        return BY_DATABASE.get(database);
    }

    static TopologyIndex start(String database, GraphDatabaseService db) {
        TopologyIndex index = new TopologyIndex(database, db);
        BY_DATABASE.put(database, index);
        index.requestRead();
        return index;
    }

    void stop() {
        stopped = true;
        BY_DATABASE.remove(database, this);
        reader.shutdownNow();
    }

    /** The snapshot, if it is the graph as committed now; otherwise null, and a new one is on its way. */
    TopologySnapshot current() {
        TopologySnapshot s = snapshot;
        if (s != null && s.version == version.get()) return s;
        requestRead();
        return null;
    }

    /** A transaction that touches the structure is about to commit, has committed or was rolled back. */
    void changed() {
        version.incrementAndGet();
        lastChange = System.nanoTime();
    }

    TopologySnapshot last() {
        return snapshot;
    }

    long version() {
        return version.get();
    }

    String lastError() {
        return lastError;
    }

    void requestRead() {
        if (stopped || !scheduled.compareAndSet(false, true)) return;
        reader.schedule(this::read, QUIET_MS, TimeUnit.MILLISECONDS);
    }

    private void read() {
        scheduled.set(false);
        if (stopped) return;
        long quietFor = (System.nanoTime() - lastChange) / 1_000_000;
        if (quietFor < QUIET_MS) {
            requestRead();
            return;
        }
        long at = version.get();
        if (snapshot != null && snapshot.version == at) return;
        try (Transaction tx = db.beginTx()) {
            TopologySnapshot read = TopologySnapshot.read(tx, at);
            tx.commit();
            // Published only if nothing touched the structure while it was read.
            if (version.get() == at) {
                snapshot = read;
                lastError = null;
            } else {
                requestRead();
            }
        } catch (RuntimeException e) {
            // Not available yet (starting) or any other failure: callers read the store meanwhile.
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!stopped && db.isAvailable(0)) requestRead();
            else if (!stopped) {
                scheduled.set(true);
                reader.schedule(() -> {
                    scheduled.set(false);
                    requestRead();
                }, 1, TimeUnit.SECONDS);
            }
        }
    }
}
