namespace TileServer.Reading.Load;

/// <summary>
/// How many renders run at once and how much memory they may hold (section <c>TileServer:Renders</c>). Beyond the
/// running renders a bounded queue waits; beyond the queue, or after waiting too long, a request is refused with 503
/// and Retry-After at once, so load turns into fast refusals rather than memory and latency.
/// </summary>
public sealed record RenderLimitOptions
{
    /// <summary>Renders running at once; absent = the processor count (rendering is CPU-bound once chunks are cached).</summary>
    public int? MaxConcurrent { get; init; }

    /// <summary>Requests that may wait for a render slot; absent = 8 × <see cref="MaxConcurrent"/>.</summary>
    public int? MaxQueue { get; init; }

    /// <summary>Longest wait in the queue before the request is refused with 503.</summary>
    public double QueueTimeoutSeconds { get; init; } = 5;

    /// <summary>
    /// Bytes the renders in flight may hold together: source windows, output planes, pixel buffers and encoded images
    /// until they are sent (see <see cref="RenderBudget"/>). A render larger than the budget runs alone.
    /// </summary>
    public long MemoryBudgetBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Retry-After sent with a 503 for a full queue.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    public int EffectiveMaxConcurrent => MaxConcurrent ?? Math.Max(1, Environment.ProcessorCount);

    public int EffectiveMaxQueue => MaxQueue ?? (8 * EffectiveMaxConcurrent);

    public IEnumerable<string> Validate(string prefix) => OptionChecks.Problems(
        OptionChecks.Between(prefix, nameof(MaxConcurrent), MaxConcurrent, 1, 1024),
        OptionChecks.Between(prefix, nameof(MaxQueue), MaxQueue, 0, 100_000),
        QueueTimeoutSeconds is >= 0 and <= 300 ? null : $"{prefix}:QueueTimeoutSeconds must be between 0 and 300",
        MemoryBudgetBytes >= 16L * 1024 * 1024 ? null : $"{prefix}:MemoryBudgetBytes must be at least 16 MiB (16777216)",
        OptionChecks.Between(prefix, nameof(RetryAfterSeconds), RetryAfterSeconds, 1, 3600));
}
