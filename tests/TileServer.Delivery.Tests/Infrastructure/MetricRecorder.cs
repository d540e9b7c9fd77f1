using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace TileServer.Delivery.Tests.Infrastructure;

/// <summary>Sums one counter of the server's meter by its tags while alive (the metrics an operator would see).</summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new();

    public MetricRecorder(string instrument)
    {
        _listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == Telemetry.Name && i.Name == instrument)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var key = string.Join(",", tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
            _sums.AddOrUpdate(key, value, (_, old) => old + value);
        });
        _listener.Start();
    }

    /// <summary>The sum over measurements whose tags are exactly these (sorted "k=v,k=v").</summary>
    public long Sum(string tags) => _sums.TryGetValue(tags, out var v) ? v : 0;

    public void Dispose() => _listener.Dispose();
}
