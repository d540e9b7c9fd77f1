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
    public ShutdownOptions Shutdown { get; init; } = new();
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
