namespace TileServer.Storage;

/// <summary>
/// Identical concurrent reads (same key, same range) share one request. The shared read is cancelled only when every
/// caller waiting for it has gone; one caller going away does not fail the others. Results are shared arrays, which
/// readers treat as read-only.
/// </summary>
public sealed class CoalescingByteStore(IByteStore inner) : ByteStoreDecorator(inner)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Key, ByteRange? Range), Flight> _flights = [];
    private long _shared;

    /// <summary>Reads that joined one already in flight instead of sending their own.</summary>
    public long Shared => Interlocked.Read(ref _shared);

    public override async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        var id = (key, range);
        Flight flight;
        bool owner = false;
        lock (_gate)
        {
            if (_flights.TryGetValue(id, out var existing))
            {
                flight = existing;
                flight.Waiters++;
                Interlocked.Increment(ref _shared);
            }
            else
            {
                flight = new Flight();
                _flights[id] = flight;
                owner = true;
            }
        }

        if (owner)
        {
            Task<byte[]?> read;
            try
            {
                read = Inner.GetAsync(key, range, flight.Cancel.Token).AsTask();
            }
            catch (Exception ex)
            {
                read = Task.FromException<byte[]?>(ex);
            }

            flight.Start(read, () => Forget(id, flight));
        }

        try
        {
            return await flight.Result.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Leave(id, flight);
        }
    }

    private void Leave((string, ByteRange?) id, Flight flight)
    {
        bool abandon;
        lock (_gate)
        {
            abandon = --flight.Waiters == 0 && !flight.Result.IsCompleted;
            if (abandon && _flights.TryGetValue(id, out var current) && current == flight)
            {
                _flights.Remove(id);
            }
        }

        if (abandon)
        {
            flight.Cancel.Cancel();
        }
    }

    private void Forget((string, ByteRange?) id, Flight flight)
    {
        lock (_gate)
        {
            if (_flights.TryGetValue(id, out var current) && current == flight)
            {
                _flights.Remove(id);
            }
        }
    }

    private sealed class Flight
    {
        private readonly TaskCompletionSource<byte[]?> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // Never disposed: it has no timer or links, and a late caller may still cancel it.
        public CancellationTokenSource Cancel { get; } = new();

        public int Waiters { get; set; } = 1;

        public Task<byte[]?> Result => _result.Task;

        public void Start(Task<byte[]?> read, Action done)
            => read.ContinueWith(
                (t, state) =>
                {
                    var (flight, finished) = ((Flight, Action))state!;
                    finished();
                    if (t.IsCompletedSuccessfully)
                    {
                        flight._result.TrySetResult(t.Result);
                    }
                    else if (t.IsCanceled)
                    {
                        flight._result.TrySetCanceled();
                    }
                    else
                    {
                        flight._result.TrySetException(t.Exception!.InnerExceptions);

                        // Observed here: when every caller has gone, nobody else will.
                        _ = flight._result.Task.Exception;
                    }
                },
                (this, done),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
    }
}
