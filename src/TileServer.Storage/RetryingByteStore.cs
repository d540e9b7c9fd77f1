using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TileServer.Storage;

/// <summary>
/// Retries <see cref="TransientStoreException"/>s of an inner store with exponential backoff and jitter. Absence,
/// permanent errors and caller cancellation pass straight through. A retry is sent only while the store's
/// <see cref="RetryBudget"/> allows and the read's deadline (<see cref="ReadDiagnostics.Remaining"/>) leaves time for
/// the wait; a failure that outlasts the attempts surfaces as a <see cref="StoreException"/> naming the key and why
/// it gave up.
/// </summary>
public sealed partial class RetryingByteStore : ByteStoreDecorator
{
    private readonly RetryOptions _options;
    private readonly RetryBudget? _budget;
    private readonly ILogger _logger;
    private readonly KeyValuePair<string, object?> _kindTag;

    public RetryingByteStore(IByteStore inner, RetryOptions options, ILogger? logger = null, RetryBudget? budget = null, string kind = "remote")
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BaseDelay, TimeSpan.Zero);
        _options = options;
        _budget = budget;
        _logger = logger ?? NullLogger.Instance;
        _kindTag = new("kind", kind);
    }

    public override async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        _budget?.Earn();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await Inner.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
            }
            catch (TransientStoreException ex) when (!cancellationToken.IsCancellationRequested)
            {
                var delay = Delay(attempt, ex.RetryAfter);
                string? stop = attempt >= _options.MaxAttempts ? null
                    : ReadDiagnostics.Current?.Remaining <= delay ? "the read's deadline leaves no time for another attempt"
                    : _budget?.TrySpend() == false ? "the store's retry budget is spent (it is failing many reads)"
                    : null;
                if (attempt >= _options.MaxAttempts || stop is not null)
                {
                    if (_options.MaxAttempts == 1)
                    {
                        throw;
                    }

                    throw new StoreException(ex.Location, ex.Key, $"{ex.Reason}; gave up after {Attempts(attempt)}{(stop is null ? "" : ": " + stop)}", ex);
                }

                Telemetry.StoreRetries.Add(1, _kindTag);
                ReadDiagnostics.Current?.AddStoreRetry();
                LogRetry(_logger, ex.Key, ex.Location, attempt, delay.TotalMilliseconds, ex.Reason);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string Attempts(int n) => n == 1 ? "1 attempt" : $"{n} attempts";

    /// <summary>Exponential backoff with jitter (0.5–1.5 × the nominal delay), or the server's Retry-After, capped.</summary>
    private TimeSpan Delay(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked)
        {
            return asked < _options.MaxDelay ? asked : _options.MaxDelay;
        }

        double nominal = _options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        double jittered = nominal * (0.5 + Random.Shared.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Min(jittered, _options.MaxDelay.TotalMilliseconds));
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Retrying read of {Key} from {Location} (attempt {Attempt} failed, next in {DelayMs:0} ms): {Reason}")]
    private static partial void LogRetry(ILogger logger, string key, string location, int attempt, double delayMs, string reason);
}
