using Microsoft.Extensions.Options;

namespace TileServer.Api.Options;

/// <summary>
/// Checks at startup what the HTTP side configures, and the datasets' default colormaps (known only here, beside the
/// colormap registry); the data side's own validator reports the rest. Every problem is reported at once.
/// </summary>
public sealed class TileServerOptionsValidator : IValidateOptions<TileServerOptions>, IValidateOptions<DataOptions>
{
    private readonly ColormapRegistry _colormaps;

    public TileServerOptionsValidator(ColormapRegistry colormaps)
    {
        _colormaps = colormaps;
    }

    public ValidateOptionsResult Validate(string? name, TileServerOptions options)
    {
        var errors = new List<string>();
        var c = options.HttpCaching;
        if (c.TileMaxAgeSeconds < 0 || c.TileSharedMaxAgeSeconds < 0 || c.TileStaleWhileRevalidateSeconds < 0 || c.MetadataMaxAgeSeconds < 0)
        {
            errors.Add("TileServer:HttpCaching: ages must be >= 0 seconds");
        }

        var proxy = options.Proxy;
        foreach (var address in proxy.KnownProxies.Where(a => !System.Net.IPAddress.TryParse(a, out _)))
        {
            errors.Add($"TileServer:Proxy:KnownProxies: '{address}' is not an IP address");
        }

        foreach (var network in proxy.KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            errors.Add($"TileServer:Proxy:KnownNetworks: '{network}' is not a network in CIDR notation (e.g. 10.0.0.0/8)");
        }

        if (proxy.PublicBaseUrl is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            errors.Add($"TileServer:Proxy:PublicBaseUrl: '{url}' is not an http(s) URL without query or fragment");
        }

        var r = options.Requests;
        if (r.MaxQueryStringLength is < 256 or > 8000 || r.MaxValueLength < 64 || r.MaxColormapLength < 64 || r.MaxRepeats is < 1 or > 1024)
        {
            errors.Add("TileServer:Requests: MaxQueryStringLength must be 256..8000, MaxValueLength and MaxColormapLength at least 64, MaxRepeats 1..1024");
        }

        if (options.Shutdown.DrainSeconds < 0 || options.Shutdown.GraceSeconds <= options.Shutdown.DrainSeconds)
        {
            errors.Add("TileServer:Shutdown: DrainSeconds must be >= 0 and GraceSeconds larger than DrainSeconds");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public ValidateOptionsResult Validate(string? name, DataOptions options)
    {
        var errors = new List<string>();
        foreach (var (id, ds) in options.Datasets)
        {
            if (ds.Rendering.ColormapName is { Length: > 0 } colormap && !_colormaps.TryGet(colormap.Trim(), out _))
            {
                errors.Add($"TileServer:Datasets:{id}:Rendering:ColormapName: unknown colormap '{colormap}'; see /colorMaps for the names");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
