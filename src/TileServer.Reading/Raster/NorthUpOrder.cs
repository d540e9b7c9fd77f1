using TileServer.Crs;

namespace TileServer.Reading.Raster;

/// <summary>
/// Native-grid reads (previews, areas) come out in storage order; maps want north up and east right. Rows are stored
/// south-first when y grows with the row (e.g. ascending latitudes) and columns run west when x shrinks with it.
/// </summary>
internal static class NorthUpOrder
{
    /// <summary>Flips the rows and columns of a row-major plane so that its first row is the northernmost.</summary>
    public static void Apply(Span<float> values, int width, int height, AffineTransform transform)
    {
        if (transform.E > 0)
        {
            for (int top = 0, bottom = height - 1; top < bottom; top++, bottom--)
            {
                var a = values.Slice(top * width, width);
                var b = values.Slice(bottom * width, width);
                for (int x = 0; x < width; x++)
                {
                    (a[x], b[x]) = (b[x], a[x]);
                }
            }
        }

        if (transform.A < 0)
        {
            for (int y = 0; y < height; y++)
            {
                values.Slice(y * width, width).Reverse();
            }
        }
    }
}
