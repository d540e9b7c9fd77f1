using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TileServer.Crs;
using TileServer.Delivery.Cache;
using TileServer.Delivery.Seeding.Pmtiles;
using TileServer.Reading;
using TileServer.Reading.Catalog;
using TileServer.Tiling;

namespace TileServer.Delivery.Seeding;

/// <summary>
/// Renders a dataset's tiles ahead of requests, through the tile endpoint's own render (<see cref="TileRender"/>), into
/// a folder, a PMTiles archive or the shared tile cache. Tiles are rendered by parallel workers; the first tile that
/// fails stops the seed (the message names it), and cancelling stops it cleanly with the counts so far.
/// </summary>
public sealed class Seeder
{
    private static readonly TimeSpan StretchRetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly DatasetCatalog _catalog;
    private readonly CrsRegistry _crs;
    private readonly TileCache _cache;
    private readonly TimeProvider _time;
    private readonly ILogger<Seeder> _log;
    private readonly SeedOptions _options;

    public Seeder(DatasetCatalog catalog, CrsRegistry crs, TileCache cache, TimeProvider time, ILogger<Seeder> log, SeedOptions? options = null)
    {
        _catalog = catalog;
        _crs = crs;
        _cache = cache;
        _time = time;
        _log = log;
        _options = options ?? new SeedOptions();
    }

    /// <summary>Seeds what <paramref name="request"/> asks, writing progress lines to <paramref name="progressOutput"/>.</summary>
    /// <exception cref="TileServerException">Unknown dataset or TileMatrixSet, zooms outside the set, a tile that cannot be rendered or stored.</exception>
    public async Task<SeedSummary> RunAsync(SeedRequest request, TileRender render, TextWriter progressOutput, CancellationToken cancellationToken)
    {
        var reader = await _catalog.RequireAsync(request.Dataset, cancellationToken).ConfigureAwait(false);
        if (!reader.TileMatrixSets.TryGet(request.TileMatrixSet, out var tms))
        {
            throw new SeedException(FailureKind.NotFound, $"no TileMatrixSet '{request.TileMatrixSet}' (the server's /tileMatrixSets lists them)");
        }

        var plan = TilePlan.Create(reader, tms, request.MinZoom, request.MaxZoom, request.Bbox, _crs);
        await using var writer = OpenWriter(request, reader, plan);
        var progress = new SeedProgress(plan.Count, _time);
        Log.SeedStarted(_log, reader.Id, tms.Id, request.MinZoom, request.MaxZoom, plan.Count, writer.Description, request.Concurrency);

        bool interrupted = false;
        string? note = null;
        using (var stopReporting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var reporting = progress.ReportAsync(progressOutput, _options.ProgressInterval, stopReporting.Token);
            try
            {
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = request.Concurrency, CancellationToken = cancellationToken };
                await Parallel.ForEachAsync(plan.Tiles(), parallel, (tile, ct) => SeedTileAsync(reader, tms, tile, render, writer, progress, ct)).ConfigureAwait(false);
                note = await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
                note = request.Target is SeedTarget.Folder ? "run the same command again to continue (tiles written are kept)" : "nothing was kept";
            }
            finally
            {
                await stopReporting.CancelAsync().ConfigureAwait(false);
                await reporting.ConfigureAwait(false);
            }
        }

        await progressOutput.WriteLineAsync(progress.Line()).ConfigureAwait(false);
        var summary = new SeedSummary
        {
            Dataset = reader.Id, TileMatrixSet = tms.Id, MinZoom = request.MinZoom, MaxZoom = request.MaxZoom, Target = writer.Description,
            Planned = plan.Count, Written = progress.Written, Present = progress.Present, Outside = progress.Outside, NotKept = progress.NotKept,
            Bytes = progress.Bytes, Elapsed = progress.Elapsed, Interrupted = interrupted, Note = note,
        };
        Log.SeedFinished(_log, reader.Id, tms.Id, interrupted ? "interrupted" : "done", summary.Written, summary.Present, summary.Outside, summary.Elapsed.TotalSeconds);
        return summary;
    }

    private async ValueTask SeedTileAsync(DatasetReader reader, TileMatrixSet tms, PlannedTile tile, TileRender render, ITileWriter writer, SeedProgress progress, CancellationToken cancellationToken)
    {
        if (tile.OutsideData)
        {
            progress.AddOutside();
            return;
        }

        if (writer.Contains(tile))
        {
            progress.AddPresent();
            return;
        }

        try
        {
            var served = await RenderKeptAsync(reader, tms, tile, render, cancellationToken).ConfigureAwait(false);
            if (await writer.WriteAsync(tile, served, cancellationToken).ConfigureAwait(false))
            {
                progress.AddWritten(served.Entry.Bytes.Length);
            }
            else
            {
                progress.AddNotKept();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not SeedException)
        {
            Log.SeedTileFailed(_log, ex, reader.Id, tms.Id, tile.Matrix.Id, tile.Col, tile.Row);
            throw new SeedException(ex is TileServerException t ? t.Kind : FailureKind.InvalidData,
                $"tile {tms.Id}/{tile.Matrix.Id}/{tile.Col}/{tile.Row} of '{reader.Id}' failed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The tile as the endpoint would send it once the dataset's default stretch is known: an image drawn with the
    /// stand-in stretch (statistics still being computed) is rendered again, and a full render queue is waited out.
    /// </summary>
    private async Task<ServedTile> RenderKeptAsync(DatasetReader reader, TileMatrixSet tms, PlannedTile tile, TileRender render, CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        while (true)
        {
            ServedTile served;
            try
            {
                served = await render(reader, tms, tile.Matrix, tile.Col, tile.Row, cancellationToken).ConfigureAwait(false);
            }
            catch (OverloadedException ex)
            {
                await Task.Delay(ex.RetryAfter, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (served.Entry.Keep)
            {
                return served;
            }

            if (_time.GetElapsedTime(started) > _options.StretchWait)
            {
                throw new SeedException(FailureKind.DatasetUnavailable,
                    $"the default stretch of '{reader.Id}' is still unknown after {_options.StretchWait.TotalSeconds:0} s (its statistics are pending or cannot be read): give one with --query \"rescale=MIN,MAX\"");
            }

            await Task.Delay(StretchRetryDelay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private ITileWriter OpenWriter(SeedRequest request, DatasetReader reader, TilePlan plan) => request.Target switch
    {
        SeedTarget.Folder folder => new FolderTileWriter(folder.Path, request.Format),
        SeedTarget.Cache => new CacheTileWriter(_cache),
        SeedTarget.Pmtiles pmtiles => new PmtilesTileWriter(pmtiles.Path, Describe(request, reader, plan), _options.Pmtiles),
        _ => throw new ArgumentOutOfRangeException(nameof(request), request.Target, "unknown seed target"),
    };

    private static PmtilesDescription Describe(SeedRequest request, DatasetReader reader, TilePlan plan)
    {
        if (request.TileMatrixSet != WellKnownTileMatrixSets.WebMercatorQuad)
        {
            throw new SeedException(FailureKind.BadRequest, $"a PMTiles archive holds WebMercatorQuad tiles only, not {request.TileMatrixSet}");
        }

        var metadata = new JsonObject
        {
            ["name"] = reader.Title.Length > 0 ? reader.Title : reader.Id,
            ["format"] = request.Format,
            ["type"] = "overlay",
            ["version"] = reader.Version,
        };
        if (reader.Dataset.Attribution is { Length: > 0 } attribution)
        {
            metadata["attribution"] = attribution;
        }

        if (request.Query.Length > 0)
        {
            metadata["description"] = $"{reader.Id} tiles rendered with ?{request.Query}";
        }

        return new PmtilesDescription
        {
            TileType = request.Format switch { "png" => PmtilesTileType.Png, "webp" => PmtilesTileType.Webp, _ => PmtilesTileType.Jpeg },
            MinZoom = request.MinZoom,
            MaxZoom = request.MaxZoom,
            Bounds = plan.LonLatBox,
            Metadata = metadata,
        };
    }
}
