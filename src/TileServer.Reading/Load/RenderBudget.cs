namespace TileServer.Reading.Load;

/// <summary>
/// What one render may hold in memory, from its output size and the source window it may read. The estimate is an
/// upper bound of the buffers a render rents at once; decoded chunks are not in it (the chunk cache bounds those).
/// </summary>
/// <remarks>
/// For P output pixels and B bands: the source window, S = min(MaxSourcePixelsPerTile, 4·P) samples per band (the
/// level chosen is at most twice as fine as the output on each axis, or a strided read bounded by the option), as
/// float32: 4·B·S; the output planes: 4·B·P; quantised bytes, interleaved samples, RGBA and the PNG filter and
/// deflate buffers: 20·P. A 256-pixel RGB tile: about 5 MiB; an @4x (1024-pixel) RGB tile: about 76 MiB.
/// </remarks>
public static class RenderBudget
{
    public static long EstimateBytes(int bands, int width, int height, long maxSourcePixels)
    {
        long b = Math.Max(1, bands);
        long pixels = (long)Math.Max(1, width) * Math.Max(1, height);
        long source = Math.Min(Math.Max(maxSourcePixels, 1), 4 * pixels);
        return (4 * b * source) + (4 * b * pixels) + (20 * pixels);
    }
}
