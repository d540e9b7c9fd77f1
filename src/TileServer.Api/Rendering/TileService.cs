using System.Diagnostics;
using System.Globalization;
using TileServer.Api.Catalog;
using TileServer.Api.Errors;
using TileServer.Api.Options;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Reading;
using TileServer.Rendering;
using TileServer.Tiling;

namespace TileServer.Api.Rendering;

/// <summary>
/// One tile from request to bytes: band selection, read + warp (Tiling), default stretch and colormap, encoding
/// (Rendering). Every endpoint that serves tiles (XYZ, WMTS, OGC API) comes through here.
/// </summary>
public sealed class TileService
{
    private readonly TileReader _reader;
    private readonly TileRenderer _renderer;
    private readonly ColormapRegistry _colormaps;
    private readonly StatisticsService _statistics;
    private readonly ILogger<TileService> _log;

    public TileService(TileReader reader, TileRenderer renderer, ColormapRegistry colormaps, StatisticsService statistics, ILogger<TileService> log)
    {
        _reader = reader;
        _renderer = renderer;
        _colormaps = colormaps;
        _statistics = statistics;
        _log = log;
    }

    public async Task<RenderedTile> RenderAsync(DatasetEntry entry, TileMatrixSet tms, TileMatrix matrix, long col, long row, int tileSize,
        ImageFormat format, TileQuery query, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var dataset = entry.Dataset!;
        var bands = BandSelection.Resolve(dataset, entry.Options.DefaultVariable, entry.Options.Rendering.Bidx, query);
        var resampling = query.Resampling ?? (entry.Options.Rendering.Resampling is { } r ? TileQuery.ParseResampling(r) : ResamplingMethod.Nearest);
        var style = await ResolveStyleAsync(entry, bands, query, format, cancellationToken).ConfigureAwait(false);
        var metaTime = total.Elapsed;

        using var diagnostics = ReadDiagnostics.Begin(out var stats);
        using var tile = await _reader.ReadAsync(new TileReadRequest(dataset, bands, tms, matrix, col, row, tileSize, resampling), cancellationToken).ConfigureAwait(false);
        var timings = tile.Timings ?? new TileReadTimings(0, 0, 0);
        string level = tile.LevelIndex is { } li ? (dataset.Levels[li].Path is { Length: > 0 } p ? p : "root") : "none";
        if (query.Nodata is { } nodata)
        {
            ApplyNodata(tile.Span, (float)nodata);
        }

        bool empty = tile.IsEmpty;
        var rendered = _renderer.Render(tile.Span, tile.Bands, tile.Width, tile.Height, style with { Format = format, Quality = query.Quality }, tile.RepeatedRows);
        total.Stop();

        Log.TileRendered(_log, entry.Id, tms.Id, matrix.Id, col, row, level, stats.ChunksDecoded, stats.ChunkCacheHits, stats.StoreRequests, stats.StoreBytes);
        string timing = ServerTiming(metaTime, stats, timings, level, rendered, total.Elapsed);
        return new RenderedTile(rendered.Bytes, rendered.ContentType, timing, empty);
    }

    /// <summary>Rescale and colormap for the request, falling back to configuration, metadata, then dataset statistics.</summary>
    public async Task<RenderOptions> ResolveStyleAsync(DatasetEntry entry, IReadOnlyList<BandSource> bands, TileQuery query, ImageFormat format, CancellationToken cancellationToken)
    {
        var options = new RenderOptions { Format = format, ReturnMask = query.ReturnMask };
        if (format == ImageFormat.Npy)
        {
            return options;
        }

        IReadOnlyList<ValueRange> rescale = query.Rescale;
        if (rescale.Count == 0 && entry.Options.Rendering.Rescale is { Length: > 0 } configured)
        {
            rescale = configured.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => TileQuery.ParseRange(r, "rescale")).ToArray();
        }

        if (rescale.Count == 0)
        {
            rescale = await DefaultRescaleAsync(entry, bands[0].Variable, cancellationToken).ConfigureAwait(false) is { } range ? [range] : [];
        }

        if (rescale.Count > 1 && rescale.Count != bands.Count)
        {
            throw ApiProblemException.BadParameter("rescale", $"Give one rescale for all bands or one per band ({bands.Count}), not {rescale.Count}.");
        }

        IColormap? colormap = null;
        if (bands.Count == 1)
        {
            if (query.ColormapJson is { } json)
            {
                try
                {
                    colormap = Colormap.ParseJson(json);
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException or System.Text.Json.JsonException)
                {
                    throw ApiProblemException.BadParameter("colormap", "colormap is not a valid colormap: " + ex.Message);
                }
            }
            else
            {
                string? name = query.ColormapName ?? entry.Options.Rendering.ColormapName ?? DefaultColormap(entry, bands[0].Variable);
                if (name is not null)
                {
                    if (!_colormaps.TryGet(name, out var named))
                    {
                        throw ApiProblemException.BadParameter("colormap_name", $"Unknown colormap '{name}'; see /colorMaps for the list.");
                    }

                    colormap = named;
                }
            }
        }
        else if (query.ColormapName is not null || query.ColormapJson is not null)
        {
            throw ApiProblemException.BadParameter(query.ColormapName is not null ? "colormap_name" : "colormap", "A colormap applies to single-band tiles; this request composes " + bands.Count.ToString(CultureInfo.InvariantCulture) + " bands.");
        }

        return options with { Rescale = rescale, Colormap = colormap };
    }

    private static string? DefaultColormap(DatasetEntry entry, string variable)
        => entry.Dataset!.FindVariable(variable)!.Array.Metadata.DataType == Zarr.ZarrDataType.UInt8 ? null : "viridis";

    /// <summary>valid_min/valid_max (decoded), the full range of 8-bit data, else the 2–98 percentiles of the coarsest level.</summary>
    public async Task<ValueRange?> DefaultRescaleAsync(DatasetEntry entry, string variableName, CancellationToken cancellationToken)
    {
        var variable = entry.Dataset!.FindVariable(variableName)!;
        var cf = variable.Cf;
        if (cf.ValidMin is { } vmin && cf.ValidMax is { } vmax && vmax > vmin)
        {
            double a = (vmin * cf.ScaleFactor) + cf.AddOffset, b = (vmax * cf.ScaleFactor) + cf.AddOffset;
            return new ValueRange(Math.Min(a, b), Math.Max(a, b));
        }

        if (variable.Array.Metadata.DataType == Zarr.ZarrDataType.UInt8 && cf.ScaleFactor == 1 && cf.AddOffset == 0)
        {
            return new ValueRange(0, 255);
        }

        var stats = await _statistics.GetAsync(entry, variableName, cancellationToken).ConfigureAwait(false);
        if (stats is null)
        {
            return null;
        }

        return stats.P98 > stats.P2 ? new ValueRange(stats.P2, stats.P98) : stats.Max > stats.Min ? new ValueRange(stats.Min, stats.Max) : new ValueRange(stats.Min - 0.5, stats.Min + 0.5);
    }

    private static void ApplyNodata(Span<float> values, float nodata)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] == nodata)
            {
                values[i] = float.NaN;
            }
        }
    }

    private static string ServerTiming(TimeSpan meta, ReadDiagnostics stats, TileReadTimings timings, string level, RenderResult rendered, TimeSpan total)
    {
        static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);
        static string D(double ms) => ms.ToString("0.###", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"metadata;dur={Ms(meta)}, plan;dur={D(timings.PlanMs)}, read;dur={D(timings.ReadMs)}, store;dur={Ms(stats.StoreTime)}, decode;dur={Ms(stats.DecodeTime)}, resample;dur={D(timings.ResampleMs)}, colormap;dur={Ms(rendered.ColormapTime)}, encode;dur={Ms(rendered.EncodeTime)}, total;dur={Ms(total)}, chunks;desc=\"{stats.ChunksDecoded} decoded, {stats.ChunkCacheHits} cached\", store-requests;desc=\"{stats.StoreRequests} ({stats.StoreBytes} B)\", level;desc=\"{level}\"");
    }
}
