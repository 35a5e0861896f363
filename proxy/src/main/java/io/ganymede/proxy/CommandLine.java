package io.ganymede.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * configurable-http-proxy's command line, so JupyterHub can launch this proxy as
 * {@code c.ConfigurableHTTPProxy.command}. Flags this proxy has no use for (TLS is terminated in
 * front of it; JupyterHub passes some of them) are accepted and reported as warnings.
 */
record CommandLine(ProxyOptions options, String logLevel, String pidFile, List<String> warnings) {

    /** CHP flags that take no value; any other unknown flag is assumed to take one. */
    private static final Set<String> CHP_SWITCHES = Set.of("--ssl-request-cert", "--ssl-reject-unauthorized",
            "--ssl-allow-rc4", "--api-ssl-request-cert", "--api-ssl-reject-unauthorized",
            "--client-ssl-request-cert", "--client-ssl-reject-unauthorized", "--no-prepend-path",
            "--no-include-prefix", "--auto-rewrite", "--change-origin", "--insecure", "--host-routing");

    static final String USAGE = """
            Usage: ganymede-proxy [options]
              --ip <ip>                   public interface ('' = all; default 127.0.0.1)
              --port <n>                  public port (default 8000)
              --api-ip <ip>               REST API interface (default 127.0.0.1)
              --api-port <n>              REST API port (default 8001)
              --default-target <url>      target of the "/" route
              --error-target <url>        fetch error pages from <url>/<code>?url=<request>
              --log-level <level>         debug, info, warn or error (default info)
              --timeout <ms>              idle timeout on target responses (default 300000)
              --proxy-timeout <ms>        same as --timeout
              --keep-alive-timeout <ms>   how long idle target connections are pooled (default 60000)
              --connect-timeout <ms>      how long to wait for a target to accept (default 10000)
              --event-loops <n>           public server instances (default: one per core)
              --no-x-forward              do not add X-Forwarded-* headers
              --pid-file <path>           write the process id there
            The REST API token is read from CONFIGPROXY_AUTH_TOKEN.
            """;

    static CommandLine parse(String[] args, String token) {
        ProxyOptions o = ProxyOptions.defaults().withAuthToken(token);
        String logLevel = "info";
        String pidFile = null;
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String inline = null;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                inline = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + flag);
            }
            boolean takesValue = switch (flag) {
                case "--no-x-forward", "--help" -> false;
                default -> !CHP_SWITCHES.contains(flag);
            };
            String value = inline;
            if (takesValue && value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                value = args[++i];
            }
            switch (flag) {
                case "--ip" -> o = o.withIp(value);
                case "--port" -> o = o.withPort(number(flag, value));
                case "--api-ip" -> o = o.withApiIp(value);
                case "--api-port" -> o = o.withApiPort(number(flag, value));
                case "--default-target" -> o = o.withDefaultTarget(value);
                case "--error-target" -> o = o.withErrorTarget(value);
                case "--log-level" -> logLevel = value;
                case "--timeout", "--proxy-timeout" -> o = o.withIdleTimeout(Duration.ofMillis(number(flag, value)));
                case "--keep-alive-timeout" -> o = o.withKeepAliveTimeout(Duration.ofMillis(number(flag, value)));
                case "--connect-timeout" -> o = o.withConnectTimeout(Duration.ofMillis(number(flag, value)));
                case "--event-loops" -> o = o.withEventLoops(number(flag, value));
                case "--no-x-forward" -> o = o.withXForward(false);
                case "--pid-file" -> pidFile = value;
                case "--help" -> throw new IllegalArgumentException("help");
                default -> warnings.add("ignoring unsupported option " + flag + (value == null ? "" : " " + value));
            }
        }
        return new CommandLine(o, logLevel, pidFile, List.copyOf(warnings));
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + value + "'");
        }
    }
}
