import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.Transaction;

/**
 * The blast-radius walk done inside the database process, on Neo4j's core API: how long a
 * server-side procedure would need just to read what svcmap's statement reads, before it sent
 * anything back. Opens a stopped store read-only and walks, breadth first against DEPENDS_ON, from
 * one CI to every CI that transitively depends on it, reading per variant:
 *
 *   walk        each CI's dependents (the ids the walk itself needs)
 *   keys        + each CI's key and kind
 *   strength    + each dependency's strength
 *   everything  + a redundancy group's minHealthy and member count (what the engine needs)
 *
 * Usage: java <JVM flags> -cp <launcher libs>:<classes> KernelWalk <store home> <key> <runs> <warm-up> <page cache size>
 * Prints one line per timed walk: "<variant> <run> <ms> <cis> <dependencies> <soft>".
 */
public final class KernelWalk {
    private static final Label CI = Label.label("CI");
    private static final RelationshipType DEPENDS_ON = RelationshipType.withName("DEPENDS_ON");
    private static final List<String> VARIANTS = List.of("walk", "keys", "strength", "everything");

    private KernelWalk() {}

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: KernelWalk <store home> <key> <runs> <warm-up> <page cache size>");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        String key = args[1];
        int runs = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        // Neo4j's own size syntax (512m, 1g), as the launcher's --pagecache.
        long pageCache;
        try {
            pageCache = SettingValueParsers.BYTES.parse(args[4].trim());
        } catch (RuntimeException e) {
            System.err.println("--pagecache: not a size like 512m or 1g: '" + args[4] + "'");
            System.exit(2);
            return;
        }
        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.read_only_database_default, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                .build();
        try {
            GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            for (int run = 0; run < warmup + runs; run++) {
                // A different variant first on each run, so none always meets the coldest cache.
                for (int v = 0; v < VARIANTS.size(); v++) {
                    int variant = (v + run) % VARIANTS.size();
                    long started = System.nanoTime();
                    long[] counts = walk(db, key, variant);
                    double ms = (System.nanoTime() - started) / 1e6;
                    if (run >= warmup) {
                        System.out.printf("%s %d %.2f %d %d %d%n", VARIANTS.get(variant), run - warmup, ms, counts[0], counts[1], counts[2]);
                    }
                }
            }
        } finally {
            service.shutdown();
        }
    }

    /** CIs reached, dependencies read, SOFT ones among them (when read). Internal ids: the cheapest identity the kernel has. */
    @SuppressWarnings("removal")
    private static long[] walk(GraphDatabaseService db, String key, int variant) {
        try (Transaction tx = db.beginTx()) {
            Node start = tx.findNode(CI, "key", key);
            if (start == null) throw new IllegalArgumentException("no CI with key " + key);
            LongIntHashMap seen = new LongIntHashMap();
            List<Node> queue = new ArrayList<>();
            queue.add(start);
            seen.put(start.getId(), 0);
            long dependencies = 0;
            long soft = 0;
            long checksum = 0;
            long[] dependents = new long[64];
            for (int head = 0; head < queue.size(); head++) {
                Node node = queue.get(head);
                if (variant >= 1) {
                    checksum += ((String) node.getProperty("key")).length() + String.valueOf(node.getProperty("kind", "")).length();
                }
                if (variant >= 3 && "REDUNDANCY_GROUP".equals(node.getProperty("kind", null))) {
                    checksum += ((Number) node.getProperty("minHealthy", 1L)).longValue() + node.getDegree(DEPENDS_ON, Direction.OUTGOING);
                }
                int listed = 0;
                for (Relationship r : node.getRelationships(Direction.INCOMING, DEPENDS_ON)) {
                    Node dependent = r.getStartNode();
                    long id = dependent.getId();
                    if (listed == dependents.length) dependents = Arrays.copyOf(dependents, 2 * listed);
                    dependents[listed++] = id;
                    dependencies++;
                    if (variant >= 2 && "SOFT".equals(r.getProperty("strength", null))) soft++;
                    if (!seen.containsKey(id)) {
                        seen.put(id, queue.size());
                        queue.add(dependent);
                    }
                }
                checksum += listed;
            }
            if (checksum < 0) throw new IllegalStateException("unreachable");
            return new long[] {queue.size(), dependencies, soft};
        }
    }
}
