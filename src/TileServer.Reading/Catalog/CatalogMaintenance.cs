using System.IO.Hashing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TileServer.Reading.Catalog;

/// <summary>
/// Keeps the catalog live: applies changes to the catalog file (<c>TileServer:CatalogFile</c>) without a restart —
/// a file with any error is logged and the datasets stay as they were — and re-checks each open dataset's root
/// metadata every <c>TileServer:Catalog:RefreshSeconds</c>, so changed data gets a new version.
/// </summary>
public sealed class CatalogMaintenance : BackgroundService
{
    private readonly DatasetCatalog _catalog;
    private readonly DataOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CatalogMaintenance> _log;

    public CatalogMaintenance(DatasetCatalog catalog, IOptions<DataOptions> options, TimeProvider time, ILogger<CatalogMaintenance> log)
    {
        _catalog = catalog;
        _options = options.Value;
        _time = time;
        _log = log;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? file = string.IsNullOrWhiteSpace(_options.CatalogFile) ? null : _options.CatalogFile;
        int refresh = _options.Catalog.RefreshSeconds;
        if (file is null && refresh == 0)
        {
            return;
        }

        ulong lastFile = file is null ? 0 : FileHash(file);
        var interval = TimeSpan.FromSeconds(refresh);
        var nextRefresh = _time.GetUtcNow() + interval;
        var tick = TimeSpan.FromSeconds(file is null ? Math.Max(1, refresh) : Math.Min(_options.Catalog.FilePollSeconds, Math.Max(1, refresh == 0 ? int.MaxValue : refresh)));
        using var timer = new PeriodicTimer(tick, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (file is not null && FileHash(file) is var hash && hash != lastFile)
                {
                    lastFile = hash;
                    ApplyCatalogFile(file);
                }

                bool due;
                (due, nextRefresh) = RefreshSchedule.At(_time.GetUtcNow(), nextRefresh, interval, tick);
                if (refresh > 0 && due)
                {
                    await _catalog.RefreshAsync(stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void ApplyCatalogFile(string file)
    {
        var errors = new List<string>();
        var fromFile = CatalogFile.Load(file, _options.Datasets.Keys, errors);
        if (fromFile is null)
        {
            Log.CatalogFileRejected(_log, file, string.Join("; ", errors));
            return;
        }

        _catalog.SetDefinitions(_options.Definitions(fromFile));
        Log.CatalogFileApplied(_log, file, fromFile.Count);
    }

    private static ulong FileHash(string file)
    {
        try
        {
            return XxHash64.HashToUInt64(File.ReadAllBytes(file));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Mid-swap (a ConfigMap update replaces a symlink): look again at the next tick.
            return 0;
        }
    }
}
