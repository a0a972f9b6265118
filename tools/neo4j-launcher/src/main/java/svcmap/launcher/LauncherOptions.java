package svcmap.launcher;

import java.nio.file.Path;
import java.time.Duration;

import org.neo4j.configuration.SettingValueParsers;

/**
 * Command line options of the embedded Neo4j launcher.
 *
 * <pre>
 *   --home DIR          database home (data/, logs/ are created below it); required
 *   --port N            Bolt port on 127.0.0.1 (0 = let the OS pick one); default 7687
 *   --pagecache SIZE    page cache size, Neo4j byte syntax (256m, 1g); default 256m
 *   --tx-timeout DUR    db.transaction.timeout, Neo4j duration syntax (60s, 2m); default 60s
 *   --watch-stdin       shut down and exit when standard input reaches EOF
 * </pre>
 */
record LauncherOptions(Path home, int port, long pageCacheBytes, Duration txTimeout, boolean watchStdin) {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar neo4j-launcher.jar --home DIR [--port N] [--pagecache SIZE] [--tx-timeout DURATION] [--watch-stdin]",
            "  --home DIR          database home directory (required)",
            "  --port N            Bolt port, bound to 127.0.0.1 only; 0 picks a free port (default 7687)",
            "  --pagecache SIZE    page cache size, e.g. 256m, 1g (default 256m)",
            "  --tx-timeout DUR    transaction timeout, e.g. 60s, 5m (default 60s)",
            "  --watch-stdin       exit when standard input is closed (parent process died)");

    /** Thrown for bad command lines; the message is meant for the user. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static LauncherOptions parse(String[] args) throws UsageException {
        Path home = null;
        int port = 7687;
        String pageCache = "256m";
        String txTimeout = "60s";
        boolean watchStdin = false;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String inlineValue = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                inlineValue = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--home" -> home = Path.of(value(args, i, arg, inlineValue));
                case "--port" -> port = parsePort(value(args, i, arg, inlineValue));
                case "--pagecache" -> pageCache = value(args, i, arg, inlineValue);
                case "--tx-timeout" -> txTimeout = value(args, i, arg, inlineValue);
                case "--watch-stdin" -> {
                    if (inlineValue != null) {
                        throw new UsageException("--watch-stdin takes no value");
                    }
                    watchStdin = true;
                }
                case "-h", "--help" -> throw new UsageException(null);
                default -> throw new UsageException("unknown argument: " + args[i]);
            }
            if (inlineValue == null && !arg.equals("--watch-stdin")) {
                i++; // consumed the separate value
            }
        }
        if (home == null) {
            throw new UsageException("--home is required");
        }
        return new LauncherOptions(home.toAbsolutePath().normalize(), port,
                parseBytes("--pagecache", pageCache), parseDuration("--tx-timeout", txTimeout), watchStdin);
    }

    private static String value(String[] args, int i, String flag, String inlineValue) throws UsageException {
        if (inlineValue != null) {
            if (inlineValue.isEmpty()) {
                throw new UsageException(flag + " needs a value");
            }
            return inlineValue;
        }
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new UsageException(flag + " needs a value");
        }
        return args[i + 1];
    }

    private static int parsePort(String text) throws UsageException {
        try {
            int port = Integer.parseInt(text.trim());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new UsageException("--port must be an integer between 0 and 65535, got '" + text + "'");
        }
    }

    private static long parseBytes(String flag, String text) throws UsageException {
        try {
            return SettingValueParsers.BYTES.parse(text.trim());
        } catch (RuntimeException e) {
            throw new UsageException(flag + ": not a size like 256m or 1g: '" + text + "'");
        }
    }

    private static Duration parseDuration(String flag, String text) throws UsageException {
        try {
            return SettingValueParsers.DURATION.parse(text.trim());
        } catch (RuntimeException e) {
            throw new UsageException(flag + ": not a duration like 60s or 5m: '" + text + "'");
        }
    }
}
