using System.Buffers;
using TileServer.Crs;

namespace TileServer.Reading.Raster;

/// <summary>
/// What every read answers with: <see cref="Bands"/> planes of <see cref="Width"/> × <see cref="Height"/> decoded
/// values (row 0 = the top edge, north up), NaN where there is no data — NaN is the mask — with where they lie,
/// which bands they are and what reading them cost. The planes live in a pooled buffer: dispose when done.
/// </summary>
public sealed class RasterData : IDisposable
{
    private float[]? _pooled;

    internal RasterData(float[] pooledValues, int bands, int width, int height, Extent bounds, CrsInfo crs)
    {
        if (pooledValues.Length < (long)bands * width * height)
        {
            throw new ArgumentException("values shorter than bands × width × height", nameof(pooledValues));
        }

        _pooled = pooledValues;
        Values = pooledValues;
        Bands = bands;
        Width = width;
        Height = height;
        Bounds = bounds;
        Crs = crs;
    }

    /// <summary>The planes, band-major; may be longer than <c>Bands × Width × Height</c> (see <see cref="Span"/>).</summary>
    public float[] Values { get; }

    /// <summary>Exactly the values: <see cref="Bands"/> planes of <see cref="Width"/> × <see cref="Height"/>.</summary>
    public Span<float> Span => Values.AsSpan(0, Bands * Width * Height);
    public int Bands { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>Bounds of the outer pixel edges in <see cref="Crs"/> (GIS axis order).</summary>
    public Extent Bounds { get; }
    public CrsInfo Crs { get; }

    /// <summary>One name per band: the variable, with the band's dimension position when it has one (<c>L7_ETMs[band=3]</c>).</summary>
    public IReadOnlyList<string> BandNames { get; init; } = [];

    /// <summary>The pyramid level read (0 = finest) and its group path ("" for the root).</summary>
    public int LevelIndex { get; init; }
    public string LevelPath { get; init; } = "";

    /// <summary>Stride used when reading the level (1 = every pixel).</summary>
    public int Step { get; init; } = 1;

    /// <summary>What the read cost: store requests and bytes, chunks decoded, cache hits.</summary>
    public ReadDiagnostics Diagnostics { get; internal set; } = new();

    /// <summary>Wall-clock time of each stage of the read.</summary>
    public RasterTimings Timings { get; init; } = RasterTimings.None;

    /// <summary>
    /// One per row when known: true when the row equals the row above in every band (nearest resampling of a magnified
    /// source repeats rows), so consumers can copy instead of recomputing. Null = not known.
    /// </summary>
    public bool[]? RepeatedRows { get; init; }

    public Span<float> Band(int b) => Values.AsSpan(b * Width * Height, Width * Height);

    /// <summary>True when no pixel of any band has data.</summary>
    public bool IsEmpty => !ContainsNonNaN();

    /// <summary>A byte mask, 255 where every band has data, 0 elsewhere (for consumers that want one).</summary>
    public byte[] CreateMask()
    {
        int n = Width * Height;
        var mask = new byte[n];
        mask.AsSpan().Fill(255);
        for (int b = 0; b < Bands; b++)
        {
            var plane = Band(b);
            for (int i = 0; i < n; i++)
            {
                if (float.IsNaN(plane[i]))
                {
                    mask[i] = 0;
                }
            }
        }

        return mask;
    }

    /// <summary>Replaces a decoded value by NaN in every band (a request's extra nodata).</summary>
    public void MaskValue(double nodata)
    {
        if (double.IsNaN(nodata))
        {
            return;
        }

        float nd = (float)nodata;
        foreach (ref float v in Span)
        {
            if (v == nd)
            {
                v = float.NaN;
            }
        }
    }

    public void Dispose()
    {
        if (_pooled is { } rented)
        {
            _pooled = null;
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private bool ContainsNonNaN()
    {
        foreach (var v in Span)
        {
            if (!float.IsNaN(v))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Milliseconds per stage of one read (for Server-Timing): planning, reading (store + decode), resampling.</summary>
public sealed record RasterTimings(double PlanMs, double ReadMs, double ResampleMs)
{
    public static readonly RasterTimings None = new(0, 0, 0);
}
