namespace TileServer.Reading.Style;

/// <summary>
/// How the default stretch of data without a configured one is found (<c>TileServer:DefaultStretch</c>): statistics
/// from what is cheap to read, computed in the background, never holding a tile longer than <see cref="Wait"/>.
/// </summary>
public sealed record DefaultStretchOptions
{
    /// <summary>Chunks the statistics of one variable may read: the whole coarsest level when it has no more, else a sample of this many.</summary>
    public int ReadBudget { get; init; } = 32;

    /// <summary>Values the statistics of one variable may look at (chunks are read with a stride beyond this).</summary>
    public int MaxSamples { get; init; } = 1 << 20;

    /// <summary>How long a tile waits for statistics still being computed before it uses the fallback (each image stretched by its own values).</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How long statistics that could not be read are remembered as such before they are tried again.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest the reads of one computation may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    public IEnumerable<string> Validate(string prefix)
    {
        if (ReadBudget is < 1 or > 4096)
        {
            yield return $"{prefix}:ReadBudget must be between 1 and 4096 chunks (is {ReadBudget})";
        }

        if (MaxSamples < 1024)
        {
            yield return $"{prefix}:MaxSamples must be at least 1024 (is {MaxSamples})";
        }

        if (Wait < TimeSpan.Zero || Wait > TimeSpan.FromSeconds(30))
        {
            yield return $"{prefix}:Wait must be between 0 and 30 s";
        }

        if (RetryInterval <= TimeSpan.Zero)
        {
            yield return $"{prefix}:RetryInterval must be positive";
        }

        if (Timeout <= TimeSpan.Zero)
        {
            yield return $"{prefix}:Timeout must be positive";
        }
    }
}
