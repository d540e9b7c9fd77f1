namespace TileServer;

/// <summary>
/// Range checks of configured numbers, each worded the same everywhere: null when the value is fine, otherwise the
/// problem as <c>Section:Name must be ...</c>. A validator lists its checks and keeps the problems.
/// </summary>
public static class OptionChecks
{
    /// <summary>An absent value (null) is fine: it means the default.</summary>
    public static string? Between(string prefix, string name, long? value, long min, long max)
        => value is null || (value >= min && value <= max) ? null : $"{prefix}:{name} must be between {min} and {max}";

    public static string? AtLeast(string prefix, string name, long value, long min)
        => value >= min ? null : $"{prefix}:{name} must be at least {min}";

    /// <summary>The problems among <paramref name="checks"/>, in order.</summary>
    public static IEnumerable<string> Problems(params string?[] checks) => checks.OfType<string>();
}
