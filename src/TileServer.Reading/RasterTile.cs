using TileServer.Crs;
using TileServer.Tiling;

namespace TileServer.Reading;

/// <summary>
/// The result of reading a tile: <see cref="Bands"/> planes of <see cref="Width"/> × <see cref="Height"/>
/// decoded values (row 0 = the tile's top edge), NaN where there is no data. Tiles made by <see cref="TileReader"/>
/// hold a pooled buffer (<see cref="Values"/> may be longer than the planes): dispose them when done.
/// </summary>
public sealed class RasterTile : IDisposable
{
    private float[]? _pooled;

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

    /// <summary>Marks <see cref="Values"/> as rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/>: returned on dispose.</summary>
    internal bool IsPooled
    {
        init => _pooled = value ? Values : null;
    }

    /// <summary>The planes, band-major; may be longer than <c>Bands × Width × Height</c> (see <see cref="Span"/>).</summary>
    public float[] Values { get; }

    /// <summary>Exactly the tile's values: <see cref="Bands"/> planes of <see cref="Width"/> × <see cref="Height"/>.</summary>
    public Span<float> Span => Values.AsSpan(0, Bands * Width * Height);
    public int Bands { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>Tile bounds in the TileMatrixSet's CRS (GIS order).</summary>
    public Extent Bounds { get; }

    /// <summary>Per-stage timings of the read that produced this tile (for Server-Timing), when known.</summary>
    public TileReadTimings? Timings { get; init; }

    /// <summary>
    /// One per row when known: true when the row's values equal the row above in every band (nearest resampling
    /// of a magnified source repeats rows), so consumers can copy instead of recomputing. Null = not known.
    /// </summary>
    public bool[]? RepeatedRows { get; init; }

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

    public void Dispose()
    {
        if (_pooled is { } rented)
        {
            _pooled = null;
            System.Buffers.ArrayPool<float>.Shared.Return(rented);
        }
    }
}
