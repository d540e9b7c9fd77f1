using System.Diagnostics.Metrics;

namespace TileServer.Reading.Load;

/// <summary>
/// Admission for renders: at most <see cref="RenderLimitOptions.EffectiveMaxConcurrent"/> run at once and together
/// they hold at most <see cref="RenderLimitOptions.MemoryBudgetBytes"/>; up to
/// <see cref="RenderLimitOptions.EffectiveMaxQueue"/> more wait in order. A request that finds the queue full, or
/// waits longer than the queue timeout, gets an <see cref="OverloadedException"/> (503 + Retry-After) at once.
/// </summary>
/// <remarks>
/// A lease holds a slot while the render runs and its bytes until its output is sent (<see cref="RenderLease.Rendered"/>
/// keeps only the encoded size), so slow readers count against the budget too and cannot pin unbounded memory.
/// </remarks>
public sealed class RenderGate
{
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _queue = new();
    private readonly RenderLimitOptions _options;
    private readonly int _maxConcurrent;
    private readonly int _maxQueue;
    private int _running;
    private long _bytes;
    private long _rejected;
    private long _cancelled;

    public RenderGate(RenderLimitOptions options)
    {
        _options = options;
        _maxConcurrent = options.EffectiveMaxConcurrent;
        _maxQueue = options.EffectiveMaxQueue;
        Telemetry.Meter.CreateObservableGauge("tileserver.renders.running", () => Running, description: "Renders running");
        Telemetry.Meter.CreateObservableGauge("tileserver.renders.queued", () => Queued, description: "Renders waiting for a slot");
        Telemetry.Meter.CreateObservableGauge("tileserver.renders.memory", () => BytesHeld, unit: "By", description: "Bytes held by renders in flight and unsent outputs");
    }

    public int MaxConcurrent => _maxConcurrent;
    public int MaxQueue => _maxQueue;
    public long Budget => _options.MemoryBudgetBytes;

    public int Running
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    public int Queued
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public long BytesHeld
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Requests refused because the queue was full or the wait too long.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Renders whose request was abandoned (waiting or running) before they finished.</summary>
    public long Cancelled => Interlocked.Read(ref _cancelled);

    /// <summary>Waits for a slot and <paramref name="bytes"/> of the budget; throws <see cref="OverloadedException"/> when it cannot.</summary>
    public async ValueTask<RenderLease> EnterAsync(long bytes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bytes = Math.Clamp(bytes, 0, _options.MemoryBudgetBytes);
        Waiter waiter;
        lock (_lock)
        {
            if (_queue.Count == 0 && Fits(bytes))
            {
                _running++;
                _bytes += bytes;
                return new RenderLease(this, bytes, cancellationToken);
            }

            if (_queue.Count >= _maxQueue)
            {
                Interlocked.Increment(ref _rejected);
                throw Overloaded("all render slots are busy and the queue is full");
            }

            waiter = new Waiter(bytes);
            waiter.Node = _queue.AddLast(waiter);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.QueueTimeoutSeconds));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        await using (linked.Token.Register(static w => ((Waiter)w!).Completion.TrySetCanceled(), waiter).ConfigureAwait(false))
        {
            try
            {
                await waiter.Completion.Task.ConfigureAwait(false);
                return new RenderLease(this, bytes, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                lock (_lock)
                {
                    if (waiter.Node?.List is not null)
                    {
                        _queue.Remove(waiter.Node);
                    }
                    else if (waiter.Completion.Task.IsCompletedSuccessfully)
                    {
                        // Granted while being cancelled: give the slot back.
                        _running--;
                        _bytes -= bytes;
                        GrantWaiters();
                    }
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _cancelled);
                    throw;
                }

                Interlocked.Increment(ref _rejected);
                throw Overloaded("no render slot became free within the queue timeout");
            }
        }
    }

    private OverloadedException Overloaded(string why)
        => new($"The server is busy: {why} ({_maxConcurrent} renders, {_maxQueue} waiting). Retry shortly.", TimeSpan.FromSeconds(_options.RetryAfterSeconds));

    private bool Fits(long bytes) => _running < _maxConcurrent && (_bytes + bytes <= _options.MemoryBudgetBytes || _bytes == 0);

    internal void Release(long bytes, bool slot)
    {
        lock (_lock)
        {
            _bytes -= bytes;
            if (slot)
            {
                _running--;
            }

            GrantWaiters();
        }
    }

    internal void CountCancelled() => Interlocked.Increment(ref _cancelled);

    private void GrantWaiters()
    {
        while (_queue.First is { } first && Fits(first.Value.Bytes))
        {
            var waiter = first.Value;
            _queue.RemoveFirst();
            waiter.Node = null;
            if (waiter.Completion.TrySetResult())
            {
                _running++;
                _bytes += waiter.Bytes;
            }
        }
    }

    private sealed class Waiter
    {
        public Waiter(long bytes)
        {
            Bytes = bytes;
        }

        public long Bytes { get; }
        public LinkedListNode<Waiter>? Node { get; set; }
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>A running render's slot and bytes; dispose it when the output has been sent (or the request failed).</summary>
public sealed class RenderLease : IDisposable
{
    private readonly RenderGate _gate;
    private readonly CancellationToken _request;
    private long _bytes;
    private bool _slot = true;
    private bool _disposed;

    internal RenderLease(RenderGate gate, long bytes, CancellationToken request)
    {
        _gate = gate;
        _bytes = bytes;
        _request = request;
    }

    /// <summary>The render finished: frees its slot and keeps only <paramref name="outputBytes"/> until the lease is disposed.</summary>
    public void Rendered(long outputBytes)
    {
        if (_disposed || !_slot)
        {
            return;
        }

        long keep = Math.Clamp(outputBytes, 0, _bytes);
        _gate.Release(_bytes - keep, slot: true);
        _bytes = keep;
        _slot = false;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_slot && _request.IsCancellationRequested)
        {
            _gate.CountCancelled();
        }

        _gate.Release(_bytes, _slot);
    }
}
