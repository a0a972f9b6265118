package svcmap.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.internal.kernel.api.exceptions.ProcedureException;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import svcmap.topology.TopologyProcedures;

/**
 * Runs a Neo4j Community database in this JVM and serves it over Bolt on 127.0.0.1, for svcmap's
 * development and test runs only (authentication is disabled; the port is bound to loopback only).
 *
 * <p>Protocol with the parent process (tools/neo4j-embedded/embedded-neo4j.ts):
 * <ul>
 *   <li>stdout gets exactly one line {@code SVCMAP_NEO4J_READY bolt://127.0.0.1:PORT} once the default
 *       database is available; everything else goes to stderr or to the logs below {@code --home};</li>
 *   <li>SIGTERM / SIGINT, or EOF on stdin with {@code --watch-stdin}, shut the database down cleanly and
 *       exit 0;</li>
 *   <li>a failure to start prints one {@code svcmap-neo4j: ERROR ...} line to stderr and exits 1
 *       (2 for a bad command line).</li>
 * </ul>
 */
public final class EmbeddedNeo4j {

    static final String READY_MARKER = "SVCMAP_NEO4J_READY";
    private static final String LOOPBACK = "127.0.0.1";
    private static final long AVAILABILITY_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(5);

    private static final PrintStream ERR = System.err;

    /** Released by a signal or by EOF on stdin; the main thread then shuts down and exits. */
    private static final CountDownLatch STOP_REQUESTED = new CountDownLatch(1);
    private static final AtomicReference<DatabaseManagementService> SERVICE = new AtomicReference<>();

    private EmbeddedNeo4j() {
    }

    public static void main(String[] args) {
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(args);
        } catch (LauncherOptions.UsageException e) {
            if (e.getMessage() == null) {
                System.out.println(LauncherOptions.USAGE);
                System.exit(0);
            }
            ERR.println("svcmap-neo4j: ERROR " + e.getMessage());
            ERR.println(LauncherOptions.USAGE);
            System.exit(2);
            return;
        }

        installStopTriggers(options.watchStdin());

        DatabaseManagementService service;
        int boltPort;
        try {
            service = start(options);
            boltPort = boundBoltPort(service, options.port());
        } catch (Throwable t) {
            ERR.println("svcmap-neo4j: ERROR could not start Neo4j (home " + options.home() + ", bolt "
                    + LOOPBACK + ":" + options.port() + "): " + describe(t, options.port()));
            if (Boolean.getBoolean("svcmap.neo4j.stacktrace")) {
                t.printStackTrace(ERR);
            }
            shutdownQuietly();
            System.exit(1);
            return;
        }

        if (STOP_REQUESTED.getCount() == 0) {
            ERR.println("svcmap-neo4j: stop requested during startup");
            System.exit(shutdownQuietly() ? 0 : 1);
        }
        System.out.println(READY_MARKER + " bolt://" + LOOPBACK + ":" + boltPort);
        System.out.flush();
        ERR.println("svcmap-neo4j: Neo4j " + neo4jVersion() + " ready on bolt://" + LOOPBACK + ":" + boltPort
                + " (home " + options.home() + ")");

        awaitStopRequest();
        ERR.println("svcmap-neo4j: shutting down");
        boolean clean = shutdownQuietly();
        ERR.println("svcmap-neo4j: stopped");
        ERR.flush();
        System.exit(clean ? 0 : 1);
    }

    private static DatabaseManagementService start(LauncherOptions options) throws IOException {
        Path home = options.home();
        Files.createDirectories(home);

        long maxHeap = Runtime.getRuntime().maxMemory();
        // Neo4j's default global limit is 70% of the heap with no per-transaction limit. For a dev/test
        // database a single runaway query should fail with a memory error rather than take the whole JVM.
        long txTotalMax = Math.max(64L << 20, maxHeap / 10 * 6);
        long txMax = Math.max(32L << 20, maxHeap / 10 * 4);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(LOOPBACK))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(LOOPBACK))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(LOOPBACK, options.port()))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, options.pageCacheBytes())
                .setConfig(GraphDatabaseSettings.transaction_timeout, options.txTimeout())
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, txTotalMax)
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, txMax)
                // Keep dev/test stores small on disk: no 250 MB preallocated logs, only recent tx logs kept.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 64L << 20)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                // Netty's graceful shutdown waits out a quiet period (several seconds by default); a dev/test
                // database has no clients left to drain when it is told to stop.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(3));

        DatabaseManagementService service = builder.build();
        SERVICE.set(service);

        GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(AVAILABILITY_TIMEOUT_MS)) {
            throw new IllegalStateException("database '" + GraphDatabaseSettings.DEFAULT_DATABASE_NAME
                    + "' did not become available within " + AVAILABILITY_TIMEOUT_MS / 1000 + " s");
        }
        registerTopologyProcedures(service);
        return service;
    }

    /**
     * svcmap's topology procedures (svcmap.topology.*). A Neo4j server finds them in the plugin jar in
     * its plugins directory; embedded, they are on the class path with this launcher, and
     * registered here before the launcher says it is ready. Their index (TopologyIndexExtension)
     * is found on the class path either way.
     */
    private static void registerTopologyProcedures(DatabaseManagementService service) {
        GraphDatabaseAPI system = (GraphDatabaseAPI) service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.getDependencyResolver().resolveDependency(GlobalProcedures.class).registerProcedure(TopologyProcedures.class);
        } catch (ProcedureException e) {
            throw new IllegalStateException("could not register svcmap's topology procedures: " + e.getMessage(), e);
        }
    }

    /** The port Bolt actually listens on (differs from the requested one only for --port 0). */
    private static int boundBoltPort(DatabaseManagementService service, int requested) {
        try {
            GraphDatabaseAPI db = (GraphDatabaseAPI) service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
            HostnamePort address = db.getDependencyResolver()
                    .resolveDependency(ConnectorPortRegister.class)
                    .getLocalAddress(ConnectorType.BOLT);
            if (address != null && address.getPort() > 0) {
                return address.getPort();
            }
        } catch (RuntimeException e) {
            if (requested == 0) {
                throw new IllegalStateException("could not determine the Bolt port chosen by the OS", e);
            }
        }
        if (requested == 0) {
            throw new IllegalStateException("could not determine the Bolt port chosen by the OS");
        }
        return requested;
    }

    /** Signals and (optionally) stdin EOF release {@link #STOP_REQUESTED}; a JVM shutdown hook is the fallback. */
    private static void installStopTriggers(boolean watchStdin) {
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    ERR.println("svcmap-neo4j: received SIG" + signal.getName());
                    STOP_REQUESTED.countDown();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // Signal not available here (or reserved by the JVM): the shutdown hook below still covers it.
            }
        }

        // Fallback for System.exit from elsewhere or signals we could not handle: never leave the store
        // without a clean shutdown if the JVM gets the chance to run hooks.
        Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedNeo4j::shutdownQuietly, "svcmap-neo4j-shutdown"));

        if (watchStdin) {
            Thread watcher = new Thread(() -> {
                InputStream in = System.in;
                byte[] buffer = new byte[256];
                try {
                    while (in.read(buffer) >= 0) {
                        // Input is ignored; we only wait for EOF (the parent process went away).
                    }
                    ERR.println("svcmap-neo4j: stdin closed (parent process gone)");
                } catch (IOException e) {
                    ERR.println("svcmap-neo4j: stdin failed (" + e.getMessage() + "), treating as parent gone");
                }
                STOP_REQUESTED.countDown();
            }, "svcmap-neo4j-stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    private static void awaitStopRequest() {
        while (true) {
            try {
                STOP_REQUESTED.await();
                return;
            } catch (InterruptedException e) {
                // Only a stop request ends the wait.
            }
        }
    }

    /** Idempotent: shuts the service down once. Returns false if shutting down threw. */
    private static boolean shutdownQuietly() {
        DatabaseManagementService service = SERVICE.getAndSet(null);
        if (service == null) {
            return true;
        }
        try {
            service.shutdown();
            return true;
        } catch (Throwable t) {
            ERR.println("svcmap-neo4j: ERROR during shutdown: " + t);
            return false;
        }
    }

    private static String describe(Throwable failure, int port) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return "port " + port + " on " + LOOPBACK + " is already in use (pick another --port)";
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return root == failure ? top : top + " (caused by " + root.getClass().getSimpleName() + ": "
                + root.getMessage() + ")";
    }

    private static String neo4jVersion() {
        Package pkg = DatabaseManagementServiceBuilder.class.getPackage();
        String version = pkg == null ? null : pkg.getImplementationVersion();
        return version == null ? "(version unknown)" : version;
    }
}
