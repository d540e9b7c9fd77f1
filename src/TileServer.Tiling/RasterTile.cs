using TileServer.GeoZarr;

namespace TileServer.Tiling;

/// <summary>
/// The result of reading a tile: <see cref="Bands"/> planes of <see cref="Width"/> × <see cref="Height"/>
/// decoded values (row 0 = the tile's top edge), NaN where there is no data.
/// </summary>
public sealed class RasterTile
{
    public RasterTile(float[] values, int bands, int width, int height, Extent bounds)
    {
        if (values.Length < (long)bands * width * height)
        {
            throw new ArgumentException("values shorter than bands × width × height", nameof(values));
        }

        Values = values;
        Bands = bands;
        Width = width;
        Height = height;
        Bounds = bounds;
    }

    public float[] Values { get; }
    public int Bands { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>Tile bounds in the TileMatrixSet's CRS (GIS order).</summary>
    public Extent Bounds { get; }

    /// <summary>Per-stage timings of the read that produced this tile (for Server-Timing), when known.</summary>
    public TileReadTimings? Timings { get; init; }

    /// <summary>Index of the dataset level the tile was made from (0 = finest), when known.</summary>
    public int? LevelIndex { get; init; }

    public Span<float> Band(int b) => Values.AsSpan(b * Width * Height, Width * Height);

    /// <summary>True when no pixel of any band has data.</summary>
    public bool IsEmpty
    {
        get
        {
            foreach (var v in Values.AsSpan(0, Bands * Width * Height))
            {
                if (!float.IsNaN(v))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
