namespace TileServer.Rendering.Tests;

internal static class TestTiles
{
    /// <summary>A smooth field 0..1 across the tile (like real data), with an optional NaN block top-left.</summary>
    public static float[] Ramp(int width, int height, bool withNaN = false, int bands = 1)
    {
        var values = new float[bands * width * height];
        for (var b = 0; b < bands; b++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var v = (float)(((x + y) / (double)(width + height - 2) * 0.8) + (b * 0.05));
                    values[(b * width * height) + (y * width) + x] = withNaN && x < width / 4 && y < height / 4 ? float.NaN : v;
                }
            }
        }

        return values;
    }

    /// <summary>
    /// The index rio-tiler gives a float32 value with rescale (min, max), written out in float32 as NumPy computes it:
    /// ((clip(v, min, max) - min) / (max - min)) * 255, astype uint8. KernelTests checks this against NumPy's own output.
    /// </summary>
    public static int Index(float v, double min, double max)
    {
        var clipped = Math.Clamp(v, (float)min, (float)max);
        var scaled = (clipped - (float)min) / (float)(max - min) * 255f;
        return (int)scaled;
    }
}
