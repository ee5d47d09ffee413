package io.vxcable.backends;

import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.vxcable.config.ConfigException;
import io.vxcable.config.Settings;
import java.net.URI;
import java.util.List;

/**
 * anycable-go's Redis options as a Vert.x Redis client configuration:
 * <ul>
 *   <li>{@code --redis_url}: {@code redis://} or {@code rediss://} (TLS), with credentials and a
 *       database;</li>
 *   <li>{@code --redis_sentinels host:port,...}: the URL's host is then the master's name
 *       ({@code redis://[:password@]mymaster}) and its credentials are used for the sentinels and the
 *       master;</li>
 *   <li>{@code rediss://} with {@code --redis_tls_verify} (off by default, as in anycable-go),
 *       {@code --redis_tls_ca_cert_path} and {@code --redis_tls_client_cert_path}/{@code _key_path}
 *       (mutual TLS).</li>
 * </ul>
 *
 * @param url {@code --redis_url}
 * @param sentinels {@code --redis_sentinels}, {@code host:port} each; empty = no sentinel
 * @param tlsVerify check the server's certificate and host name
 * @param caCertPath PEM CA bundle to trust; empty = the JVM's trust store
 * @param clientCertPath PEM client certificate for mutual TLS; empty = none
 * @param clientKeyPath its PEM key
 * @param keepAlive TCP keep-alive on the connections ({@code --redis_keepalive_interval > 0})
 */
public record RedisSettings(String url, List<String> sentinels, boolean tlsVerify, String caCertPath, String clientCertPath,
    String clientKeyPath, boolean keepAlive) {

  public RedisSettings {
    sentinels = sentinels == null ? List.of() : sentinels.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    caCertPath = caCertPath == null ? "" : caCertPath;
    clientCertPath = clientCertPath == null ? "" : clientCertPath;
    clientKeyPath = clientKeyPath == null ? "" : clientKeyPath;
  }

  /** The {@code --redis_*} options of a resolved configuration. */
  public static RedisSettings from(Settings s) {
    return new RedisSettings(s.string("redis_url"), List.of(s.string("redis_sentinels").split(",")),
        s.bool("redis_tls_verify"), s.string("redis_tls_ca_cert_path"), s.string("redis_tls_client_cert_path"),
        s.string("redis_tls_client_key_path"), s.integer("redis_keepalive_interval") > 0);
  }

  public boolean tls() {
    return url.startsWith("rediss://");
  }

  public RedisOptions options() {
    RedisOptions options = new RedisOptions();
    if (sentinels.isEmpty()) {
      options.setConnectionString(url);
    } else {
      URI u = URI.create(url);
      if (u.getHost() == null || u.getHost().isEmpty()) {
        throw new ConfigException("--redis_sentinels needs --redis_url=redis://[:password@]<master name>, not " + redacted());
      }
      String credentials = u.getRawUserInfo() == null ? "" : u.getRawUserInfo() + "@";
      String path = u.getRawPath() == null ? "" : u.getRawPath();
      options.setType(RedisClientType.SENTINEL).setMasterName(u.getHost()).setRole(RedisRole.MASTER);
      for (String sentinel : sentinels) {
        options.addConnectionString(u.getScheme() + "://" + credentials + sentinel + path);
      }
    }
    // Brokers, presence and the bridge send many requests at once (32 shards, reads, snapshots):
    // more connections than the client's 6, and a queue far above its 24 waiting requests.
    options.setMaxPoolSize(16).setMaxPoolWaiting(8192);
    options.getNetClientOptions().setTcpKeepAlive(keepAlive);
    if (tls()) {
      NetClientOptions net = options.getNetClientOptions().setSsl(true);
      if (tlsVerify) {
        net.setHostnameVerificationAlgorithm("HTTPS");
      } else {
        net.setTrustAll(true).setHostnameVerificationAlgorithm("");
      }
      if (!caCertPath.isEmpty()) {
        net.setTrustOptions(new PemTrustOptions().addCertPath(caCertPath));
      }
      if (!clientCertPath.isEmpty()) {
        net.setKeyCertOptions(new PemKeyCertOptions().setCertPath(clientCertPath).setKeyPath(clientKeyPath));
      }
    }
    return options;
  }

  /** The URL without its password, for logs. */
  public String redacted() {
    return url.replaceAll("//[^@/]*@", "//***@") + (sentinels.isEmpty() ? "" : " via sentinels " + sentinels);
  }
}
