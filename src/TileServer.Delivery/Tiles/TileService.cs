using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using TileServer.Delivery.Cache;
using TileServer.Documents.Requests;
using TileServer.Reading;
using TileServer.Reading.Load;
using TileServer.Reading.Raster;
using TileServer.Reading.Selection;
using TileServer.Reading.Style;
using TileServer.Rendering;

namespace TileServer.Delivery.Tiles;

/// <summary>
/// One image from request to bytes: the reader reads, this class picks the style (request, then the reader's
/// defaults) and the renderer encodes. Every endpoint that serves images comes through here; tiles (XYZ, WMTS, OGC
/// API) also through the rendered-tile cache (<see cref="GetTileAsync"/>).
/// </summary>
public sealed class TileService
{
    private readonly TileRenderer _renderer;
    private readonly ColormapRegistry _colormaps;
    private readonly RenderGate _gate;
    private readonly ReaderOptions _options;
    private readonly TileCache _cache;
    private readonly ILogger<TileService> _log;

    public TileService(TileRenderer renderer, ColormapRegistry colormaps, RenderGate gate, ReaderOptions options, TileCache cache, ILogger<TileService> log)
    {
        _renderer = renderer;
        _colormaps = colormaps;
        _gate = gate;
        _options = options;
        _cache = cache;
        _log = log;
    }

    /// <summary>
    /// Waits for a render slot and this render's memory (503 when the server is saturated). Whoever owns the answer
    /// disposes the lease once it is sent (a response, or a tile cache flight), so an unsent output keeps counting
    /// against the budget.
    /// </summary>
    public ValueTask<RenderLease> AdmitAsync(DatasetReader reader, ReadRequest request, int width, int height, CancellationToken cancellationToken)
    {
        long bytes = RenderBudget.EstimateBytes(reader.Bands(request).Count, width, height, _options.MaxSourcePixelsPerTile);
        return _gate.EnterAsync(bytes, cancellationToken);
    }

    /// <summary>
    /// A tile from the rendered-tile cache, else rendered once for every request that wants it meanwhile. The cache
    /// key is what the ETag hashes: the dataset version and <see cref="TileRequest.Identity"/>.
    /// </summary>
    public async Task<DeliveredTile> GetTileAsync(TileRequest tile, string etag, CancellationToken cancellationToken)
    {
        RenderedTile? rendered = null;
        var lookup = await _cache.GetOrRenderAsync(tile.CacheKey, async ct =>
        {
            (var entry, rendered) = await RenderEntryAsync(tile, etag, ct).ConfigureAwait(false);
            return entry;
        }, cancellationToken).ConfigureAwait(false);
        string tier = lookup.Tier.ToString().ToLowerInvariant();
        return new DeliveredTile(lookup.Tile, rendered is null ? $"tile-cache;desc=\"{tier}\"" : $"{rendered.ServerTiming}, tile-cache;desc=\"{tier}\"");
    }

    /// <summary>
    /// One render under a lease of its own, as the tile cache stores it: what a cache flight runs and what the seed
    /// command writes. The flight may outlive the request that started it, so the lease ends with the render, not with
    /// a response.
    /// </summary>
    public async Task<(CachedTile Entry, RenderedTile Rendered)> RenderEntryAsync(TileRequest tile, string etag, CancellationToken cancellationToken)
    {
        using var lease = await AdmitAsync(tile.Reader, tile.Query.Read, tile.Size, tile.Size, cancellationToken).ConfigureAwait(false);
        var rendered = await RenderAsync(tile, cancellationToken).ConfigureAwait(false);
        lease.Rendered(rendered.Bytes.Length);
        return (new CachedTile(rendered.Bytes, rendered.ContentType, etag) { Keep = rendered.Cacheable }, rendered);
    }

    public async Task<RenderedTile> RenderAsync(TileRequest tile, CancellationToken cancellationToken)
    {
        var (reader, tms, matrix, col, row, tileSize, format, query) = tile;
        var total = Stopwatch.StartNew();
        var request = query.Read;
        var (style, stretchSource) = await ResolveStyleAndSourceAsync(reader, query, format, cancellationToken).ConfigureAwait(false);
        var metaTime = total.Elapsed;
        using var data = await reader.TileAsync(tms, matrix, col, row, tileSize, request, cancellationToken).ConfigureAwait(false);
        style = WithFallbackStretch(style, stretchSource, data);
        var rendered = Render(data, style, format, query, cancellationToken);
        total.Stop();

        var stats = data.Diagnostics;
        Record(reader.Id, format, data, rendered, metaTime);
        Log.TileRendered(_log, reader.Id, tms.Id, matrix.Id, col, row, LevelName(data), stats.ChunksDecoded, stats.ChunkCacheHits, stats.StoreRequests, stats.StoreBytes);
        return new RenderedTile(rendered.Bytes, rendered.ContentType, ServerTiming(metaTime, data, rendered, total.Elapsed, stretchSource), data.IsEmpty)
        {
            Cacheable = !IsFallback(stretchSource),
        };
    }

    /// <summary>
    /// While a dataset's statistics are pending or unavailable its default stretch is the fallback: the image is
    /// stretched by its own values (<see cref="ImageStretch"/>). Such an image must not be cached (<see cref="IsFallback"/>).
    /// </summary>
    public static RenderOptions WithFallbackStretch(RenderOptions style, string? stretchSource, RasterData data)
        => IsFallback(stretchSource) && style.Rescale.Count == 0 && ImageStretch.Of(data.Span) is { } own
            ? style with { Rescale = [new ValueRange(own.Min, own.Max)] }
            : style;

    public static bool IsFallback(string? stretchSource) => stretchSource is StyleDefaults.Pending or StyleDefaults.Unavailable;

    /// <summary>Any area in any CRS at any size (WMS GetMap), styled and encoded as tiles are; <paramref name="adjust"/> may change the resolved style.</summary>
    public async Task<RenderedTile> RenderAreaAsync(DatasetReader reader, RasterArea area, ImageFormat format, TileQuery query, Func<RenderOptions, RenderOptions> adjust,
        CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var (resolved, stretchSource) = await ResolveStyleAndSourceAsync(reader, query, format, cancellationToken).ConfigureAwait(false);
        var style = adjust(resolved);
        var metaTime = total.Elapsed;
        using var data = await reader.PartAsync(area, query.Read, cancellationToken).ConfigureAwait(false);
        var rendered = Render(data, WithFallbackStretch(style, stretchSource, data), format, query, cancellationToken);
        total.Stop();
        return new RenderedTile(rendered.Bytes, rendered.ContentType, ServerTiming(metaTime, data, rendered, total.Elapsed, stretchSource), data.IsEmpty)
        {
            Cacheable = !IsFallback(stretchSource),
        };
    }

    /// <summary>Encodes read values with a resolved style.</summary>
    public RenderResult Render(RasterData data, RenderOptions style, ImageFormat format, TileQuery query, CancellationToken cancellationToken)
        => _renderer.Render(data.Span, data.Bands, data.Width, data.Height, style with { Format = format, Quality = query.Quality }, data.RepeatedRows, cancellationToken);

    /// <summary>Rescale and colormap for the request, falling back to the dataset's defaults (configuration, metadata, statistics).</summary>
    public async Task<RenderOptions> ResolveStyleAsync(DatasetReader reader, TileQuery query, ImageFormat format, CancellationToken cancellationToken)
        => (await ResolveStyleAndSourceAsync(reader, query, format, cancellationToken).ConfigureAwait(false)).Style;

    /// <summary>The style and where its stretch came from: "request", a <see cref="StyleDefaults"/> source, or null when none applies (npy).</summary>
    public async Task<(RenderOptions Style, string? StretchSource)> ResolveStyleAndSourceAsync(DatasetReader reader, TileQuery query, ImageFormat format, CancellationToken cancellationToken)
    {
        var request = query.Read;
        var options = new RenderOptions { Format = format, ReturnMask = query.ReturnMask };
        int bands = reader.OutputBandCount(request);
        if (format == ImageFormat.Npy)
        {
            return (options, null);
        }

        if (bands > BandSelection.MaxBands)
        {
            throw new BadRequestException("expression", $"An image has at most {BandSelection.MaxBands} bands (RGBA); this request makes {bands}. Use .npy or statistics for more.");
        }

        if (bands > 1 && (query.ColormapName is not null || query.ColormapJson is not null))
        {
            throw new BadRequestException(query.ColormapName is not null ? "colormap_name" : "colormap", "A colormap applies to single-band images; this request composes " + bands.ToString(CultureInfo.InvariantCulture) + " bands.");
        }

        IReadOnlyList<ValueRange> rescale = query.Rescale;
        string source = "request";
        if (rescale.Count == 0)
        {
            var defaults = await reader.StyleDefaultsAsync(request, cancellationToken).ConfigureAwait(false);
            rescale = defaults.Rescale.Select(s => new ValueRange(s.Min, s.Max)).ToArray();
            source = defaults.Source;
        }

        if (query.ColormapName is null && query.ColormapJson is null && bands == 1 && reader.Categories(request) is { } classes)
        {
            return (options with { Rescale = rescale, Colormap = CategoricalColormap(classes) }, source);
        }

        string? colormapName = query.ColormapName ?? (query.ColormapJson is null ? reader.DefaultColormapName(request) : null);

        if (rescale.Count > 1 && rescale.Count != bands)
        {
            throw new BadRequestException("rescale", $"Give one rescale for all bands or one per band ({bands}), not {rescale.Count}.");
        }

        return (options with { Rescale = rescale, Colormap = bands == 1 ? Colormap(query.ColormapJson, colormapName) : null }, source);
    }

    private IColormap? Colormap(string? json, string? name)
    {
        if (json is not null)
        {
            return TileQuery.ParseColormap(json);
        }

        if (name is null)
        {
            return null;
        }

        return _colormaps.TryGet(name, out var named) ? named : throw new BadRequestException("colormap_name", $"Unknown colormap '{name}'; see /colorMaps for the list.");
    }

    /// <summary>Where the stretch came from; the fallback says so, since its image is stretched by its own values.</summary>
    private static string Stretch(string? source) => source switch
    {
        null => "",
        _ when IsFallback(source) => $", stretch;desc=\"fallback: own values (statistics {source})\"",
        _ => $", stretch;desc=\"{source}\"",
    };

    private static void Record(string dataset, ImageFormat format, RasterData data, RenderResult rendered, TimeSpan meta)
    {
        var ds = new KeyValuePair<string, object?>("dataset", dataset);
        Telemetry.TilesRendered.Add(1, ds, new("format", format.ToString().ToLowerInvariant()));
        var t = data.Timings;
        var stats = data.Diagnostics;
        foreach (var (stage, seconds) in new[] { ("metadata", meta.TotalSeconds), ("plan", t.PlanMs / 1000), ("read", t.ReadMs / 1000), ("decode", stats.DecodeTime.TotalSeconds),
            ("resample", t.ResampleMs / 1000), ("colormap", rendered.ColormapTime.TotalSeconds), ("encode", rendered.EncodeTime.TotalSeconds) })
        {
            Telemetry.RenderStageDuration.Record(seconds, ds, new("stage", stage));
        }
    }

    /// <summary>Matplotlib's tab10 colours, for classes whose data give none.</summary>
    private static readonly string[] Qualitative = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>One colour per class of categorical data: the data's flag_colors, else a qualitative palette; other values transparent.</summary>
    public static IntervalColormap CategoricalColormap(IReadOnlyList<Reading.Style.CategoryClass> classes)
        => new(classes.Select((c, i) => new ColorInterval(c.Value, c.Value,
            RgbaColor.TryParseHex(c.Color ?? Qualitative[i % Qualitative.Length], out var color) ? color : RgbaColor.Transparent, c.Meaning)), "categorical");

    private static string LevelName(RasterData data) => data.LevelPath.Length > 0 ? data.LevelPath : "root";

    private static string ServerTiming(TimeSpan meta, RasterData data, RenderResult rendered, TimeSpan total, string? stretchSource)
    {
        static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);
        static string D(double ms) => ms.ToString("0.###", CultureInfo.InvariantCulture);
        var stats = data.Diagnostics;
        var t = data.Timings;
        return string.Create(CultureInfo.InvariantCulture,
            $"metadata;dur={Ms(meta)}, plan;dur={D(t.PlanMs)}, read;dur={D(t.ReadMs)}, store;dur={Ms(stats.StoreTime)}, decode;dur={Ms(stats.DecodeTime)}, resample;dur={D(t.ResampleMs)}, colormap;dur={Ms(rendered.ColormapTime)}, encode;dur={Ms(rendered.EncodeTime)}, total;dur={Ms(total)}, chunks;desc=\"{stats.ChunksDecoded} decoded, {stats.ChunkCacheHits} cached\", store-requests;desc=\"{stats.StoreRequests} ({stats.StoreBytes} B, {stats.StoreRetries} retried, {stats.StoreHedges} hedged)\", level;desc=\"{LevelName(data)}\"{Stretch(stretchSource)}");
    }
}
