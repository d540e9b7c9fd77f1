using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TileServer.Reading.Catalog;

/// <summary>
/// The datasets this server serves. Opens each once (at startup, or on first use) and keeps the result; a dataset
/// that failed to open is retried on demand at most every <see cref="RetryInterval"/>. No failure of one dataset —
/// whatever it throws — reaches another dataset or the host: it becomes "unavailable, with a reason".
/// </summary>
public sealed class DatasetCatalog
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromMinutes(2);

    private readonly DatasetOpener _opener;
    private readonly TimeProvider _time;
    private readonly ILogger<DatasetCatalog> _log;
    private readonly ConcurrentDictionary<string, Lazy<Task<DatasetEntry>>> _entries = new(StringComparer.Ordinal);
    private volatile IReadOnlyDictionary<string, DatasetDefinition> _definitions = new Dictionary<string, DatasetDefinition>();
    private volatile IReadOnlyList<string> _ids = [];

    public DatasetCatalog(DatasetOpener opener, TimeProvider time, ILogger<DatasetCatalog> log)
    {
        _opener = opener;
        _time = time;
        _log = log;
    }

    /// <summary>Dataset ids in configuration order.</summary>
    public IReadOnlyList<string> Ids => _ids;

    public bool Contains(string id) => _definitions.ContainsKey(id);

    /// <summary>Sets the datasets to serve. Entries whose definition is unchanged keep their open dataset.</summary>
    public void SetDefinitions(IReadOnlyList<DatasetDefinition> definitions)
    {
        var byId = new Dictionary<string, DatasetDefinition>(StringComparer.Ordinal);
        foreach (var d in definitions)
        {
            byId.TryAdd(d.Id, d);
        }

        foreach (var (id, lazy) in _entries)
        {
            // Definitions hold lists, so compare what they say (the fingerprint), not their references.
            if (!byId.TryGetValue(id, out var definition)
                || (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully && lazy.Value.Result.Definition.Fingerprint != definition.Fingerprint))
            {
                _entries.TryRemove(id, out _);
                Telemetry.DatasetVersionChanges.Add(1, new KeyValuePair<string, object?>("dataset", id));
            }
        }

        _definitions = byId;
        _ids = [.. byId.Keys];
    }

    /// <summary>
    /// Re-opens every open dataset and swaps in those whose version changed (a time step appended, new attributes,
    /// a new snapshot): their new version gives new ETags and cache keys, so no tier serves the old bytes. A dataset
    /// that fails to re-open keeps serving what it had. Returns the ids whose version changed.
    /// </summary>
    public async Task<IReadOnlyList<string>> RefreshAsync(CancellationToken cancellationToken)
    {
        var changed = new List<string>();
        foreach (var (id, lazy) in _entries)
        {
            if (!lazy.IsValueCreated || !lazy.Value.IsCompletedSuccessfully || lazy.Value.Result.Reader is not { } current)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var fresh = await OpenAsync(lazy.Value.Result.Definition).ConfigureAwait(false);
            if (fresh.Reader is { } reader && reader.Version != current.Version
                && _entries.TryUpdate(id, new Lazy<Task<DatasetEntry>>(Task.FromResult(fresh)), lazy))
            {
                Log.DatasetVersionChanged(_log, id, current.Version, reader.Version);
                Telemetry.DatasetVersionChanges.Add(1, new KeyValuePair<string, object?>("dataset", id));
                changed.Add(id);
            }
        }

        return changed;
    }

    /// <summary>The entry for an id (opening it if needed); null for an id that is not configured.</summary>
    public async ValueTask<DatasetEntry?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!_definitions.TryGetValue(id, out var definition))
        {
            return null;
        }

        while (true)
        {
            var lazy = _entries.GetOrAdd(id, _ => new Lazy<Task<DatasetEntry>>(() => OpenAsync(definition)));
            var entry = await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (entry.Error is null || _time.GetUtcNow() - entry.CheckedAt < RetryInterval)
            {
                return entry;
            }

            // Failed a while ago: try again (one caller replaces the entry, the others wait on the new one).
            _entries.TryUpdate(id, new Lazy<Task<DatasetEntry>>(() => OpenAsync(definition)), lazy);
        }
    }

    /// <summary>The open reader for an id: 404 when not configured, 503 (with the reason) when it failed to open.</summary>
    public async ValueTask<DatasetReader> RequireAsync(string id, CancellationToken cancellationToken)
    {
        var entry = await GetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Unknown dataset", $"No dataset with id '{id}' is configured.", "dataset");
        return entry.RequireReader();
    }

    public async Task<IReadOnlyList<DatasetEntry>> GetAllAsync(CancellationToken cancellationToken)
    {
        var list = new List<DatasetEntry>();
        foreach (var id in _ids)
        {
            if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                list.Add(entry);
            }
        }

        return list;
    }

    private async Task<DatasetEntry> OpenAsync(DatasetDefinition definition)
    {
        // Opening is not tied to one request: a client going away must not poison the shared entry.
        using var cts = new CancellationTokenSource(OpenTimeout, _time);
        var notes = new List<string>();
        try
        {
            var reader = await _opener.OpenAsync(definition, notes, cts.Token).ConfigureAwait(false);
            reader.StartBackgroundWork();
            Log.DatasetOpened(_log, definition.Id, reader.Dataset.Levels.Count, reader.Dataset.VariableNames.Count, reader.Version);
            foreach (var note in notes.Distinct())
            {
                Log.DatasetNote(_log, definition.Id, note);
            }

            return new DatasetEntry { Definition = definition, Reader = reader, CheckedAt = _time.GetUtcNow() };
        }
        catch (Exception ex)
        {
            string reason = ex switch
            {
                OperationCanceledException when cts.IsCancellationRequested => $"opening the store took longer than {OpenTimeout.TotalSeconds:0} s",
                TileServerException ours => ours.Message,
                _ => "an internal error occurred while opening it (the server log has the details)",
            };
            // The reason is public (/datasets, /readyz, 503 details): the store is named by the dataset id, never by its location.
            reason = Redaction.Redact(reason, definition.Path, "dataset:" + definition.Id);
            if (ex is TileServerException or OperationCanceledException)
            {
                Log.DatasetUnavailable(_log, definition.Id, reason);
            }
            else
            {
                Log.DatasetOpenCrashed(_log, ex, definition.Id);
            }

            return new DatasetEntry { Definition = definition, Error = reason, CheckedAt = _time.GetUtcNow() };
        }
    }
}
