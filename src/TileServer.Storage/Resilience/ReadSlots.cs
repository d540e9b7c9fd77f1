namespace TileServer.Storage;

/// <summary>
/// The reads one store may have in flight at once, with the current and peak counts (for tests, benchmarks and
/// diagnostics). Waiting for a slot is asynchronous and cancellable.
/// </summary>
public sealed class ReadSlots
{
    private readonly SemaphoreSlim _slots;
    private int _inFlight;
    private int _peak;

    public ReadSlots(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
        _slots = new SemaphoreSlim(limit, limit);
    }

    public int Limit { get; }

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Most reads in flight at once since creation (or the last <see cref="ResetPeak"/>).</summary>
    public int Peak => Volatile.Read(ref _peak);

    public void ResetPeak() => Volatile.Write(ref _peak, InFlight);

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        Taken();
    }

    /// <summary>Takes a slot only if one is free now.</summary>
    public bool TryTake()
    {
        if (!_slots.Wait(0))
        {
            return false;
        }

        Taken();
        return true;
    }

    public void Release()
    {
        Interlocked.Decrement(ref _inFlight);
        _slots.Release();
    }

    private void Taken()
    {
        int now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
        {
        }
    }
}
