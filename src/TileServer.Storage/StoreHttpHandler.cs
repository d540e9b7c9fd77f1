using System.Net;

namespace TileServer.Storage;

/// <summary>
/// The connection pool every HTTP store shares, set for many small concurrent reads: keep-alive connections kept for
/// reuse, enough of them per server for the store's read concurrency, HTTP/2 (several connections when one is full)
/// where the server offers it, and no transparent decompression (byte ranges address stored bytes).
/// </summary>
public static class StoreHttpHandler
{
    public static SocketsHttpHandler Create(HttpStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            // Recycled now and then so that DNS changes (CDN, bucket endpoints) are seen.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = options.IdleConnectionTimeout,
            MaxConnectionsPerServer = options.MaxConnectionsPerServer,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        };
    }
}
