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

    /// <summary>The statistics are still being computed (in the background, after the dataset opened).</summary>
    public const string Pending = "pending";

    /// <summary>The data the statistics need could not be read; they are tried again later.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>
    /// True when <see cref="Rescale"/> is not the dataset's stretch but the fallback: the statistics are pending or
    /// unavailable, so each image is stretched by its own values (<see cref="ImageStretch"/>) and must not be cached
    /// as the dataset's rendering.
    /// </summary>
    public bool IsFallback => Source is Pending or Unavailable;
}
