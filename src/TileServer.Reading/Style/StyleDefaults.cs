namespace TileServer.Reading.Style;

/// <summary>
/// How to draw data when the request does not say: a stretch per band (one for all) and a colormap name for
/// single-band data, with where they came from (for <c>/datasets/{id}</c> and Server-Timing).
/// </summary>
public sealed record StyleDefaults(IReadOnlyList<Stretch> Rescale, string? ColormapName, string Source)
{
    public const string FromConfiguration = "configuration";
    public const string FromValidRange = "valid_range";
    public const string FromDataType = "data_type";
    public const string FromStatistics = "statistics";
    public const string None = "none";

    /// <summary>The data the statistics need could not be read; tiles are drawn without a stretch.</summary>
    public const string Unavailable = "unavailable";
}
