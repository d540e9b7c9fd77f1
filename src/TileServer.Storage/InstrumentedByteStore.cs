using System.Diagnostics;

namespace TileServer.Storage;

/// <summary>
/// Records every read that reaches a store in the server's metrics (<see cref="Telemetry.StoreRequests"/> by kind and
/// outcome, <see cref="Telemetry.StoreBytes"/>, <see cref="Telemetry.StoreDuration"/>). Innermost in a chain, so each
/// retry and hedge counts as the request it is.
/// </summary>
public sealed class InstrumentedByteStore : ByteStoreDecorator
{
    private readonly KeyValuePair<string, object?> _kind;

    public InstrumentedByteStore(IByteStore inner, string kind)
        : base(inner)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        Kind = kind;
        _kind = new("kind", kind);
    }

    /// <summary>file, http or s3.</summary>
    public string Kind { get; }

    public override async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        long start = Stopwatch.GetTimestamp();
        string outcome = "error";
        try
        {
            var result = await Inner.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
            outcome = result is null ? "missing" : "ok";
            if (result is not null)
            {
                Telemetry.StoreBytes.Add(result.LongLength, _kind);
            }

            return result;
        }
        catch (OperationCanceledException)
        {
            outcome = "cancelled";
            throw;
        }
        finally
        {
            Telemetry.StoreRequests.Add(1, _kind, new("outcome", outcome));
            Telemetry.StoreDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, _kind);
        }
    }
}
