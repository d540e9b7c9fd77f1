namespace TileServer.Api.Options;

/// <summary>
/// What the HTTP side reads from section <c>TileServer</c> (the data side binds <c>TileServer.Reading.DataOptions</c>
/// from the same section): response caching and cross-origin access.
/// </summary>
public sealed record TileServerOptions
{
    public const string SectionName = "TileServer";

    public HttpCachingOptions HttpCaching { get; init; } = new();
    public CrossOriginOptions Cors { get; init; } = new();
    public ProxyOptions Proxy { get; init; } = new();
    public RequestLimitOptions Requests { get; init; } = new();
    public ShutdownOptions Shutdown { get; init; } = new();
}

/// <summary>
/// Who may say what the public URL is (section <c>TileServer:Proxy</c>). Links in TileJSON, capabilities and the
/// landing page are cached publicly, so X-Forwarded-Host/Proto are honoured only from the proxies named here;
/// <see cref="PublicBaseUrl"/>, when set, wins over any header.
/// </summary>
public sealed record ProxyOptions
{
    /// <summary>Addresses of trusted reverse proxies (e.g. "10.0.0.5"); none by default.</summary>
    public IReadOnlyList<string> KnownProxies { get; init; } = [];

    /// <summary>Networks of trusted reverse proxies in CIDR notation (e.g. "10.0.0.0/8"); none by default.</summary>
    public IReadOnlyList<string> KnownNetworks { get; init; } = [];

    /// <summary>The URL clients reach the server at (scheme, host, optional path base), e.g. "https://tiles.example.org/zarr".</summary>
    public string? PublicBaseUrl { get; init; }
}

/// <summary>Limits on what a request may carry, checked before any work (section <c>TileServer:Requests</c>).</summary>
public sealed record RequestLimitOptions
{
    /// <summary>Characters of the raw query string; longer is 414 (Kestrel refuses request lines over 8 KiB itself).</summary>
    public int MaxQueryStringLength { get; init; } = 6144;

    /// <summary>Characters of one decoded parameter value (colormap excepted).</summary>
    public int MaxValueLength { get; init; } = 1024;

    /// <summary>Characters of a <c>colormap</c> JSON value (256 explicit entries fit).</summary>
    public int MaxColormapLength { get; init; } = 6144;

    /// <summary>Values of one repeatable parameter (sel, variable, bidx, rescale), and comma-separated items in one value.</summary>
    public int MaxRepeats { get; init; } = 32;
}

/// <summary>Section <c>TileServer:Shutdown</c>: what happens on SIGTERM.</summary>
public sealed record ShutdownOptions
{
    /// <summary>Seconds /readyz answers 503 while requests are still accepted, so load balancers send new ones elsewhere.</summary>
    public int DrainSeconds { get; init; } = 5;

    /// <summary>Seconds from SIGTERM until the process exits at the latest (drain included; in-flight requests finish within it).</summary>
    public int GraceSeconds { get; init; } = 30;
}

public sealed record HttpCachingOptions
{
    public int TileMaxAgeSeconds { get; init; } = 3600;
    public int TileSharedMaxAgeSeconds { get; init; } = 86400;
    public int TileStaleWhileRevalidateSeconds { get; init; } = 60;
    public int MetadataMaxAgeSeconds { get; init; } = 60;
}

public sealed record CrossOriginOptions
{
    /// <summary>Allowed origins; absent or "*" allows any (the default, so browser map clients work out of the box).</summary>
    public IReadOnlyList<string>? AllowedOrigins { get; init; }

    public bool AllowsAnyOrigin => AllowedOrigins is not { Count: > 0 } || AllowedOrigins.Contains("*");
}
