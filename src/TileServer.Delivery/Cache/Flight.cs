namespace TileServer.Delivery.Cache;

/// <summary>
/// One render shared by the requests that missed the same key at the same time. It counts its waiters and cancels its
/// own token when the last one has gone, so an abandoned render stops; a waiter that goes away alone stops only waiting.
/// </summary>
internal sealed class Flight : IDisposable
{
    private readonly TaskCompletionSource<TileLookup> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _cancel = new();
    private int _waiters = 1;
    private int _disposed;

    public CancellationToken Token => _cancel.Token;

    /// <summary>Adds a waiter; false once the flight has been abandoned (no one waits, its render is being cancelled).</summary>
    public bool TryJoin()
    {
        int n = Volatile.Read(ref _waiters);
        while (n > 0)
        {
            int seen = Interlocked.CompareExchange(ref _waiters, n + 1, n);
            if (seen == n)
            {
                return true;
            }

            n = seen;
        }

        return false;
    }

    /// <summary>Waits for the result; when <paramref name="cancellationToken"/> fires first, this waiter leaves.</summary>
    public async Task<TileLookup> WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !_result.Task.IsCompleted)
        {
            Leave();
            throw;
        }
    }

    public void Complete(TileLookup lookup) => _result.TrySetResult(lookup);

    public void Fail(Exception error) => _result.TrySetException(error);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _cancel.Dispose();
        }
    }

    private void Leave()
    {
        if (Interlocked.Decrement(ref _waiters) == 0 && Volatile.Read(ref _disposed) == 0)
        {
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The flight ended meanwhile: nothing is left to cancel.
            }
        }
    }
}
