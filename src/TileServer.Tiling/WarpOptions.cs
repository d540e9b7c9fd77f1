namespace TileServer.Tiling;

/// <summary>Tunables of <see cref="WarpPlanner"/>.</summary>
public sealed record WarpOptions
{
    /// <summary>Largest error (source pixels) allowed when interpolating the transform between exact sample points.</summary>
    /// <remarks>
    /// 0.02 rather than GDAL's 0.125: the reference tiles are exact (-et 0) and a looser bound flips ~1 % of nearest
    /// pixels that sit near cell edges; blocks are subdivided only where needed, so the cost stays small.
    /// </remarks>
    public double ApproxErrorPixels { get; init; } = 0.02;

    /// <summary>Cost guard: the source buffer never exceeds this many samples; the read step grows instead.</summary>
    public long MaxSourcePixels { get; init; } = 4_000_000;
}
