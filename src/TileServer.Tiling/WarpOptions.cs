namespace TileServer.Tiling;

/// <summary>
/// Tunables of <see cref="WarpPlanner"/>. No defaults here: the reader's options (<c>TileServer:Tiles</c>) are the one
/// place they are set, and the reader passes them on.
/// </summary>
public sealed record WarpOptions
{
    /// <summary>Largest error (source pixels) allowed when interpolating the transform between exact sample points.</summary>
    public required double ApproxErrorPixels { get; init; }

    /// <summary>Cost guard: the source buffer never exceeds this many samples; the read step grows instead.</summary>
    public required long MaxSourcePixels { get; init; }
}
