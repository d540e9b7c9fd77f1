using System.Buffers;
using System.Diagnostics;
using TileServer.Crs;
using TileServer.Reading.Areas;
using TileServer.Reading.Raster;
using TileServer.Reading.Selection;
using TileServer.Reading.Statistics;

namespace TileServer.Reading;

/// <summary>Areas: native windows of a box or geometry, geometry masks, and statistics over them.</summary>
public sealed partial class DatasetReader
{
    /// <summary>
    /// The cells of the area's bounding box in the data's own grid (stored values, north up, no resampling) at the
    /// finest level within <see cref="ReaderOptions.MaxAreaPixels"/>; with <paramref name="maskOutside"/>, cells whose
    /// centre lies outside the geometry are nodata. 404 when the area misses the data.
    /// </summary>
    public async ValueTask<RasterData> AreaAsync(AreaGeometry area, ReadRequest request, bool maskOutside, CancellationToken cancellationToken)
    {
        var (bands, expression) = Plan(request);
        var window = ChooseWindow(area, bands, bands.Count);
        using var scope = ReadDiagnostics.Begin(out var diagnostics);
        var data = await AreaReader.ReadAsync(Dataset, bands, window, cancellationToken).ConfigureAwait(false);
        data = Finish(data, diagnostics, request, expression);
        if (maskOutside)
        {
            MaskOutside(data, area);
        }

        return data;
    }

    /// <summary>The area's bounding box resampled onto <paramref name="output"/> (any CRS and size), optionally masked outside the geometry.</summary>
    public async ValueTask<RasterData> AreaAsync(AreaGeometry area, RasterArea output, ReadRequest request, bool maskOutside, CancellationToken cancellationToken)
    {
        var data = await PartAsync(output, request, cancellationToken).ConfigureAwait(false);
        if (maskOutside)
        {
            MaskOutside(data, area);
        }

        return data;
    }

    /// <summary>
    /// The area as an image: the data's own cells (as above) when neither <paramref name="crs"/> nor <paramref name="size"/>
    /// is given, else resampled onto that CRS (the data's by default) at that size (about the native resolution by default).
    /// </summary>
    public ValueTask<RasterData> AreaAsync(AreaGeometry area, CrsInfo? crs, (int Width, int Height)? size, ReadRequest request, bool maskOutside, CancellationToken cancellationToken)
    {
        if (crs is null && size is null)
        {
            return AreaAsync(area, request, maskOutside, cancellationToken);
        }

        var target = crs ?? Dataset.Finest.Grid.Crs;
        var bounds = EnvelopeIn(area, target);
        var (width, height) = size ?? NativeSize(area, bounds);
        return AreaAsync(area, new RasterArea(bounds, target, width, height), request, maskOutside, cancellationToken);
    }

    /// <summary>
    /// An output size for <paramref name="bounds"/> with about as many pixels as the finest level has cells over the
    /// area, square pixels, at most <see cref="RasterReader.MaxEdge"/> a side (a resampled area without a size).
    /// </summary>
    public (int Width, int Height) NativeSize(AreaGeometry area, Extent bounds)
    {
        var grid = Dataset.Finest.Grid;
        var native = EnvelopeIn(area, grid.Crs);
        double cells = native.Width / grid.ResolutionX * (native.Height / grid.ResolutionY);
        double aspect = bounds.Width / bounds.Height;
        double w = Math.Max(1, Math.Sqrt(cells * aspect)), h = Math.Max(1, w / aspect);
        double scale = Math.Min(1, RasterReader.MaxEdge / Math.Max(w, h));
        return ((int)Math.Max(1, Math.Round(w * scale)), (int)Math.Max(1, Math.Round(h * scale)));
    }

    /// <summary>The area's bounding box in <paramref name="crs"/> (edges densified, so curved edges are enclosed).</summary>
    public Extent EnvelopeIn(AreaGeometry area, CrsInfo crs)
    {
        var transform = _services.Raster.GetTransform(area.Crs, crs);
        return transform is null ? area.Envelope
            : ExtentProjection.Transform(area.Envelope, transform, 33, interior: true)
              ?? throw new BadRequestException("bbox", $"The area cannot be expressed in {crs}.");
    }

    /// <summary>
    /// Statistics of every band over the cells the geometry selects (centres inside, or every touched cell weighted by
    /// its covered fraction), for every combination of repeated <c>sel</c> values (a time series). Reads the native
    /// grid at the finest level whose window holds all planes within <see cref="ReaderOptions.MaxAreaPixels"/>.
    /// </summary>
    public async ValueTask<AreaStatistics> StatisticsAsync(AreaGeometry area, ReadRequest request, StatisticsOptions options, CancellationToken cancellationToken)
    {
        var steps = SelectionSteps.Expand(request);
        if (options.Categorical is null)
        {
            var classes = Categories(steps[0].Request);
            options = options with
            {
                Categorical = classes is not null,
                Categories = classes is not null && options.Categories.Count == 0 ? classes.Select(c => c.Value).ToArray() : options.Categories,
            };
        }

        var plans = steps.Select(s => (Step: s, Plan: Plan(s.Request))).ToArray();
        var allSources = plans.SelectMany(p => p.Plan.Sources).ToArray();
        var window = ChooseWindow(area, allSources, allSources.Length);
        var level = Dataset.Levels[window.LevelIndex];
        var grid = level.Variables[allSources[0].Variable].Grid;
        int w = window.OutCols, h = window.OutRows, n = w * h;
        var weights = ArrayPool<float>.Shared.Rent(Math.Max(1, n));
        long t0 = Stopwatch.GetTimestamp();
        double readMs = 0, computeMs = 0;
        try
        {
            var rings = PixelRings.Of(area, _services.Raster.GetTransform(area.Crs, grid.Crs), NativeWindowPlanner.Bounds(grid, window), w, h);
            if (options.CoverageWeighted)
            {
                PolygonRasterizer.Coverage(rings, w, h, weights);
            }
            else
            {
                PolygonRasterizer.Centres(rings, w, h, weights);
            }

            long selected = 0;
            foreach (float x in weights.AsSpan(0, n))
            {
                selected += x > 0 ? 1 : 0;
            }

            double selectMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            var results = new List<(string, BandStatistics)>();
            foreach (var (step, plan) in plans)
            {
                using var scope = ReadDiagnostics.Begin(out var diagnostics);
                long r0 = Stopwatch.GetTimestamp();
                using var data = Finish(await AreaReader.ReadAsync(Dataset, plan.Sources, window, cancellationToken).ConfigureAwait(false), diagnostics, step.Request, plan.Expression);
                long c0 = Stopwatch.GetTimestamp();
                readMs += Stopwatch.GetElapsedTime(r0, c0).TotalMilliseconds;
                for (int b = 0; b < data.Bands; b++)
                {
                    results.Add((SelectionSteps.Name(data.BandNames[b], step.Label), StatisticsCalculator.Compute(data.Band(b), weights.AsSpan(0, n), options)));
                }

                computeMs += Stopwatch.GetElapsedTime(c0).TotalMilliseconds;
            }

            return new AreaStatistics(results, window.LevelIndex, level.Path, window.Step, w, h, selected) { Timings = (readMs, selectMs, computeMs) };
        }
        finally
        {
            ArrayPool<float>.Shared.Return(weights);
        }
    }

    private NativeWindow ChooseWindow(AreaGeometry area, IReadOnlyList<BandSource> bands, int planes)
    {
        var grids = Dataset.Levels.Select(l => bands.All(b => l.Variables.ContainsKey(b.Variable)) ? l.Variables[bands[0].Variable].Grid : null).ToArray();
        return NativeWindowPlanner.Choose(grids, grid => EnvelopeIn(area, grid.Crs), Math.Max(1, planes), _services.Options.MaxAreaPixels)
            ?? throw new NotFoundException("Outside the data", $"The area does not overlap the data of dataset '{Id}' (WGS84 bounds {string.Join(", ", Geography.Wgs84Bounds.ToArray())}).", "bbox");
    }

    /// <summary>Sets every band to NaN where the cell's centre lies outside the geometry.</summary>
    private void MaskOutside(RasterData data, AreaGeometry area)
    {
        int n = data.Width * data.Height;
        var weights = ArrayPool<float>.Shared.Rent(Math.Max(1, n));
        try
        {
            var rings = PixelRings.Of(area, _services.Raster.GetTransform(area.Crs, data.Crs), data.Bounds, data.Width, data.Height);
            PolygonRasterizer.Centres(rings, data.Width, data.Height, weights);
            for (int b = 0; b < data.Bands; b++)
            {
                var plane = data.Band(b);
                for (int i = 0; i < n; i++)
                {
                    if (weights[i] == 0)
                    {
                        plane[i] = float.NaN;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(weights);
        }
    }
}
