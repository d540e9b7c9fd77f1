namespace TileServer.Storage;

/// <summary>
/// How many retries and hedged reads a store may still send: every first attempt earns <c>ratio</c> of a token, a
/// floor of <c>minPerSecond</c> tokens is added as time passes, and each retry or hedge spends one. A store that
/// fails everything therefore sees at most (1 + ratio) times the reads, not MaxAttempts times.
/// </summary>
public sealed class RetryBudget
{
    private readonly Lock _gate = new();
    private readonly double _ratio;
    private readonly double _minPerSecond;
    private readonly double _capacity;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _lastRefill;

    public RetryBudget(double ratio, double minPerSecond, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ratio);
        ArgumentOutOfRangeException.ThrowIfNegative(minPerSecond);
        _ratio = ratio;
        _minPerSecond = minPerSecond;
        _time = time ?? TimeProvider.System;
        // Enough to absorb a burst: ten seconds of the floor, or a hundred retries.
        _capacity = Math.Max(100, minPerSecond * 10);
        _tokens = Math.Min(_capacity, Math.Max(minPerSecond, 1) * 10);
        _lastRefill = _time.GetTimestamp();
    }

    /// <summary>A first attempt was sent.</summary>
    public void Earn()
    {
        lock (_gate)
        {
            _tokens = Math.Min(_capacity, _tokens + _ratio);
        }
    }

    /// <summary>Spends one token for a retry or hedge; false when the budget is exhausted.</summary>
    public bool TrySpend()
    {
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (_time.GetElapsedTime(_lastRefill, now).TotalSeconds * _minPerSecond));
            _lastRefill = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}
