using Polly;
using Polly.CircuitBreaker;

namespace TileServer.Storage;

/// <summary>
/// Stops reading a store that keeps failing: when enough reads fail (after retries) within the sampling window, the
/// circuit opens and every read fails at once, naming why, until the break is over; then one read probes the store and
/// a success closes the circuit again, without a restart. The state is published as <see cref="StoreHealth"/>.
/// Absence is a success; caller cancellation is neither.
/// </summary>
public sealed class CircuitBreakingByteStore : ByteStoreDecorator
{
    private readonly ResiliencePipeline _pipeline;

    public CircuitBreakingByteStore(IByteStore inner, CircuitBreakerOptions options, StoreHealth health, TimeProvider? time = null)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(health);
        Health = health;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time ?? TimeProvider.System }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumReads,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                ShouldHandle = new PredicateBuilder().Handle<StoreException>(),
                OnOpened = args =>
                {
                    health.Opened(Describe(args.Outcome.Exception), args.BreakDuration);
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    health.HalfOpened();
                    return default;
                },
                OnClosed = _ =>
                {
                    health.Closed();
                    return default;
                },
            })
            .Build();
    }

    public StoreHealth Health { get; }

    public override async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                static (state, ct) => state.Inner.GetAsync(state.Key, state.Range, ct),
                (Inner, Key: key, Range: range),
                cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException ex)
        {
            var report = Health.Report;
            string resume = ex.RetryAfter is { } wait ? $"; reads resume in {Math.Max(wait.TotalSeconds, 0.1):0.#} s" : "; a read is probing it";
            throw new StoreException(Location, key, $"store unavailable after repeated failures ({report.Reason ?? "reads failed"}){resume}", ex);
        }
    }

    private static string Describe(Exception? failure) => failure switch
    {
        TransientStoreException t => t.Reason,
        StoreException s => s.Message,
        null => "reads failed",
        _ => failure.Message,
    };
}
