package svcmap.topology;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.kernel.extension.ExtensionFactory;
import org.neo4j.kernel.extension.ExtensionType;
import org.neo4j.kernel.extension.context.ExtensionContext;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.kernel.lifecycle.Lifecycle;
import org.neo4j.kernel.lifecycle.LifecycleAdapter;

/**
 * Starts a TopologyIndex with every user database (found on the class path: the embedded launcher
 * carries it, and a Neo4j server loads it from its plugins directory) and listens to its commits.
 */
public final class TopologyIndexExtension extends ExtensionFactory<TopologyIndexExtension.Dependencies> {
    /** What the extension needs from each database. */
    public interface Dependencies {
        GraphDatabaseAPI graphdatabaseAPI();

        DatabaseManagementService databaseManagementService();
    }

    public TopologyIndexExtension() {
        super(ExtensionType.DATABASE, "svcmapTopologyIndex");
    }

    @Override
    public Lifecycle newInstance(ExtensionContext context, Dependencies dependencies) {
        GraphDatabaseAPI db = dependencies.graphdatabaseAPI();
        String name = db.databaseName();
        if (!TopologyIndex.ENABLED || name.equals(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)) return new LifecycleAdapter();
        return new LifecycleAdapter() {
            private TopologyIndex index;
            private TopologyChangeListener listener;

            @Override
            public void start() {
                index = TopologyIndex.start(name, db);
                listener = new TopologyChangeListener(index);
                dependencies.databaseManagementService().registerTransactionEventListener(name, listener);
            }

            @Override
            public void stop() {
                if (listener != null) dependencies.databaseManagementService().unregisterTransactionEventListener(name, listener);
                if (index != null) index.stop();
            }
        };
    }
}
