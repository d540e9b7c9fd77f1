using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace TileServer.Zarr.Reading;

/// <summary>
/// Runs the reads of one window together, at most a given number at once. When several fail, the failure reported is
/// that of the first read in window order, not of whichever finished first: the same request gets the same error
/// whatever the timing. A failure does not cancel the other reads (they are already in flight, and each failing read
/// is counted and never cached on its own); the caller's cancellation stops them all.
/// </summary>
internal static class AllReads
{
    public static async ValueTask RunAsync<TItem>(IReadOnlyList<TItem> items, int maxInFlight, Func<TItem, CancellationToken, ValueTask> read, CancellationToken cancellationToken)
    {
        var failures = new ConcurrentDictionary<int, ExceptionDispatchInfo>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Math.Min(items.Count, maxInFlight)), CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, items.Count, parallel, async (i, ct) =>
        {
            try
            {
                await read(items[i], ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                failures[i] = ExceptionDispatchInfo.Capture(ex);
            }
        }).ConfigureAwait(false);

        if (!failures.IsEmpty)
        {
            failures[failures.Keys.Min()].Throw();
        }
    }
}
