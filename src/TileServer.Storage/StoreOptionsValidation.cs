namespace TileServer.Storage;

/// <summary>Checks <see cref="StoreOptions"/> once, reporting every problem with the setting to fix.</summary>
public static class StoreOptionsValidation
{
    public static IReadOnlyList<string> Validate(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Retry.MaxAttempts < 1)
        {
            errors.Add($"TileServer:Retry:MaxAttempts must be at least 1 (is {options.Retry.MaxAttempts})");
        }

        if (options.Retry.BaseDelay < TimeSpan.Zero)
        {
            errors.Add("TileServer:Retry:BaseDelay must not be negative");
        }

        if (options.Retry.MaxDelay < options.Retry.BaseDelay)
        {
            errors.Add("TileServer:Retry:MaxDelay must not be shorter than TileServer:Retry:BaseDelay");
        }

        if (options.Http.Timeout <= TimeSpan.Zero)
        {
            errors.Add("TileServer:Http:Timeout must be positive");
        }

        if (options.S3.Timeout <= TimeSpan.Zero)
        {
            errors.Add("TileServer:S3:Timeout must be positive");
        }

        if (string.IsNullOrEmpty(options.S3.AccessKey) != string.IsNullOrEmpty(options.S3.SecretKey))
        {
            errors.Add("TileServer:S3:AccessKey and TileServer:S3:SecretKey must be set together (or neither, to use the AWS credential chain)");
        }

        if (options.S3.Anonymous && !string.IsNullOrEmpty(options.S3.AccessKey))
        {
            errors.Add("TileServer:S3:Anonymous cannot be combined with TileServer:S3:AccessKey");
        }

        if (options.S3.ServiceUrl is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"TileServer:S3:ServiceUrl must be an http(s) URL (is '{url}')");
        }

        if (options.MaxObjectBytes <= 0)
        {
            errors.Add("TileServer:MaxObjectBytes must be positive");
        }

        errors.AddRange(VirtualChunkContainer.Validate(options.VirtualChunkContainers));
        ValidateRemoteReads(options, errors);

        return errors;
    }

    private static void ValidateRemoteReads(StoreOptions options, List<string> errors)
    {
        var retry = options.Retry;
        if (!(retry.BudgetRatio >= 0) || double.IsInfinity(retry.BudgetRatio))
        {
            errors.Add($"TileServer:Retry:BudgetRatio must be a finite number >= 0 (is {retry.BudgetRatio}); 0.5 lets retries and hedges add half the load");
        }

        if (!(retry.BudgetMinPerSecond >= 0) || double.IsInfinity(retry.BudgetMinPerSecond))
        {
            errors.Add($"TileServer:Retry:BudgetMinPerSecond must be a finite number >= 0 (is {retry.BudgetMinPerSecond})");
        }

        if (options.Http.MaxConnectionsPerServer < 1)
        {
            errors.Add("TileServer:Http:MaxConnectionsPerServer must be at least 1");
        }

        if (options.Http.IdleConnectionTimeout <= TimeSpan.Zero)
        {
            errors.Add("TileServer:Http:IdleConnectionTimeout must be positive");
        }

        if (options.S3.MaxConnectionsPerServer < 1)
        {
            errors.Add("TileServer:S3:MaxConnectionsPerServer must be at least 1");
        }

        var concurrency = options.Concurrency;
        if (concurrency.MaxReadsPerStore < 1)
        {
            errors.Add($"TileServer:Concurrency:MaxReadsPerStore must be at least 1 (is {concurrency.MaxReadsPerStore}); object stores serve tens to hundreds at once");
        }

        if (concurrency.MaxReadsPerRequest < 1)
        {
            errors.Add($"TileServer:Concurrency:MaxReadsPerRequest must be at least 1 (is {concurrency.MaxReadsPerRequest})");
        }

        var hedging = options.Hedging;
        if (hedging.Delay is { } delay && delay <= TimeSpan.Zero)
        {
            errors.Add("TileServer:Hedging:Delay must be positive, or absent to use the store's measured latency");
        }

        if (!(hedging.Percentile is > 0 and < 100))
        {
            errors.Add($"TileServer:Hedging:Percentile must be between 0 and 100 exclusive (is {hedging.Percentile})");
        }

        if (hedging.InitialDelay <= TimeSpan.Zero || hedging.MinDelay <= TimeSpan.Zero)
        {
            errors.Add("TileServer:Hedging:InitialDelay and TileServer:Hedging:MinDelay must be positive");
        }

        if (hedging.MaxDelay < hedging.MinDelay)
        {
            errors.Add("TileServer:Hedging:MaxDelay must not be shorter than TileServer:Hedging:MinDelay");
        }

        if (hedging.MinSamples < 1)
        {
            errors.Add("TileServer:Hedging:MinSamples must be at least 1");
        }

        var breaker = options.CircuitBreaker;
        if (!(breaker.FailureRatio is > 0 and <= 1))
        {
            errors.Add($"TileServer:CircuitBreaker:FailureRatio must be in (0, 1] (is {breaker.FailureRatio})");
        }

        if (breaker.MinimumReads < 2)
        {
            errors.Add("TileServer:CircuitBreaker:MinimumReads must be at least 2");
        }

        if (breaker.SamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            errors.Add("TileServer:CircuitBreaker:SamplingDuration must be at least 0.5 s");
        }

        if (breaker.BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            errors.Add("TileServer:CircuitBreaker:BreakDuration must be at least 0.5 s");
        }
    }
}
