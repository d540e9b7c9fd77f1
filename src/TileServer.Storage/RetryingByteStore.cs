using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace TileServer.Storage;

/// <summary>
/// Retries <see cref="TransientStoreException"/>s of an inner store with exponential backoff and jitter
/// (a Polly <see cref="ResiliencePipeline"/>). Absence, permanent errors and caller cancellation pass
/// straight through; a failure that outlasts the attempts surfaces as a <see cref="StoreException"/>
/// naming the key and the number of attempts.
/// </summary>
public sealed partial class RetryingByteStore : IByteStore
{
    private readonly IByteStore _inner;
    private readonly ResiliencePipeline _pipeline;
    private readonly int _maxAttempts;

    public RetryingByteStore(IByteStore inner, RetryOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        _inner = inner;
        _maxAttempts = options.MaxAttempts;
        _pipeline = BuildPipeline(options, logger ?? NullLogger.Instance);
    }

    public string Location => _inner.Location;

    public IByteStore Inner => _inner;

    public async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                static (state, ct) => state.Inner.GetAsync(state.Key, state.Range, ct),
                (Inner: _inner, Key: key, Range: range),
                cancellationToken).ConfigureAwait(false);
        }
        catch (TransientStoreException ex) when (_maxAttempts > 1)
        {
            throw new StoreException(ex.Location, ex.Key, $"{ex.Reason}; gave up after {_maxAttempts} attempts", ex);
        }
    }

    /// <summary>The retry pipeline used for store reads; exposed so other I/O (metadata, reference files) can share the policy.</summary>
    public static ResiliencePipeline BuildPipeline(RetryOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BaseDelay, TimeSpan.Zero);
        if (options.MaxAttempts == 1)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<TransientStoreException>(),
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.BaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = options.MaxDelay,
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    args.Outcome.Exception is TransientStoreException { RetryAfter: { } asked }
                        ? (asked < options.MaxDelay ? asked : options.MaxDelay)
                        : null),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is TransientStoreException ex)
                    {
                        LogRetry(logger, ex.Key, ex.Location, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, ex.Reason);
                    }

                    return default;
                },
            })
            .Build();
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Retrying read of {Key} from {Location} (attempt {Attempt} failed, next in {DelayMs:0} ms): {Reason}")]
    private static partial void LogRetry(ILogger logger, string key, string location, int attempt, double delayMs, string reason);
}
