using System.Buffers;
using TileServer.Crs;

namespace TileServer.Tiling;

/// <summary>One read that fills columns [<see cref="DestCol"/>, DestCol + Window.Cols) of the plan's source buffer.</summary>
public readonly record struct WindowPiece(PixelWindow Window, int DestCol);

/// <summary>
/// How to make a <see cref="Width"/> × <see cref="Height"/> output tile from a source grid: for every output pixel
/// the continuous source pixel coordinate (full-resolution grid space, (0,0) = outer corner of the first cell,
/// NaN = no source), and the source buffer to read: <see cref="BufferRows"/> × <see cref="BufferCols"/> samples
/// taken every <see cref="Step"/> pixels from (<see cref="RowStart"/>, <see cref="ColStart"/>). For grids that wrap
/// in longitude <see cref="ColStart"/> may be negative or the buffer may run past the last column; the
/// <see cref="Pieces"/> then read the wrapped columns from the other end of the grid.
/// </summary>
/// <remarks>
/// Most tiles map each axis separately (same CRS on a north-up grid, geographic ↔ Mercator): such a plan is
/// <see cref="IsSeparable"/> and holds one source column per output column and one source row per output row,
/// 2 KB instead of 1 MB for a 256 px tile. The per-pixel arrays are then made only when a consumer asks for them.
/// </remarks>
public sealed class WarpPlan : IDisposable
{
    private double[]? _cols;
    private double[]? _rows;
    private double[]? _axisCols;
    private double[]? _axisRows;

    private WarpPlan(int width, int height, double[]? cols, double[]? rows, double[]? axisCols, double[]? axisRows)
    {
        Width = width;
        Height = height;
        _cols = cols;
        _rows = rows;
        _axisCols = axisCols;
        _axisRows = axisRows;
    }

    internal static WarpPlan PerPixel(int width, int height) =>
        new(width, height, ArrayPool<double>.Shared.Rent(width * height), ArrayPool<double>.Shared.Rent(width * height), null, null);

    internal static WarpPlan Separable(int width, int height) =>
        new(width, height, null, null, ArrayPool<double>.Shared.Rent(width), ArrayPool<double>.Shared.Rent(height));

    public int Width { get; }
    public int Height { get; }

    /// <summary>
    /// True when the source column depends on the output column alone and the source row on the output row alone:
    /// <see cref="AxisCols"/> and <see cref="AxisRows"/> then describe every pixel (a pixel has data when both are
    /// not NaN).
    /// </summary>
    public bool IsSeparable => _axisCols is not null;

    /// <summary>Source column per output column (separable plans only); NaN = outside the data.</summary>
    public Span<double> AxisCols => _axisCols is { } a ? a.AsSpan(0, Width) : throw new InvalidOperationException("the plan is not separable");

    /// <summary>Source row per output row (separable plans only); NaN = outside the data.</summary>
    public Span<double> AxisRows => _axisRows is { } a ? a.AsSpan(0, Height) : throw new InvalidOperationException("the plan is not separable");

    /// <summary>Source column per output pixel (row-major, row 0 = top of the tile); NaN = outside the data.</summary>
    public Span<double> SourceCols
    {
        get
        {
            EnsurePerPixel();
            return _cols.AsSpan(0, Width * Height);
        }
    }

    /// <summary>Source row per output pixel; NaN = outside the data.</summary>
    public Span<double> SourceRows
    {
        get
        {
            EnsurePerPixel();
            return _rows.AsSpan(0, Width * Height);
        }
    }

    /// <summary>False when no output pixel maps into the grid: nothing to read, the tile is empty.</summary>
    public bool AnyInside { get; internal set; }

    /// <summary>Source pixels per output pixel (smaller axis, near the tile centre).</summary>
    public double Ratio { get; internal set; } = 1;

    /// <summary>Footprint of one output pixel along the source column axis, in full-resolution source pixels.</summary>
    public double KernelScaleCol { get; internal set; } = 1;

    /// <summary>Footprint of one output pixel along the source row axis, in full-resolution source pixels.</summary>
    public double KernelScaleRow { get; internal set; } = 1;

    public int Step { get; internal set; } = 1;
    public long RowStart { get; internal set; }
    public long ColStart { get; internal set; }
    public int BufferRows { get; internal set; }
    public int BufferCols { get; internal set; }
    public IReadOnlyList<WindowPiece> Pieces { get; internal set; } = [];

    /// <summary>True when the single piece fills the whole buffer, so it can be read in place.</summary>
    public bool IsSingleWindow => Pieces.Count == 1 && Pieces[0].DestCol == 0 && Pieces[0].Window.Cols == BufferCols;

    public long BufferPixelCount => (long)BufferRows * BufferCols;

    private void EnsurePerPixel()
    {
        if (_cols is not null)
        {
            return;
        }

        ObjectDisposedException.ThrowIf(_axisCols is null || _axisRows is null, this);
        int w = Width, h = Height;
        var cols = ArrayPool<double>.Shared.Rent(w * h);
        var rows = ArrayPool<double>.Shared.Rent(w * h);
        var axisCols = _axisCols.AsSpan(0, w);
        for (int j = 0; j < h; j++)
        {
            var c = cols.AsSpan(j * w, w);
            var r = rows.AsSpan(j * w, w);
            double row = _axisRows[j];
            if (double.IsNaN(row))
            {
                c.Fill(double.NaN);
                r.Fill(double.NaN);
                continue;
            }

            axisCols.CopyTo(c);
            for (int i = 0; i < w; i++)
            {
                r[i] = double.IsNaN(axisCols[i]) ? double.NaN : row;
            }
        }

        _cols = cols;
        _rows = rows;
    }

    public void Dispose()
    {
        Return(ref _cols);
        Return(ref _rows);
        Return(ref _axisCols);
        Return(ref _axisRows);
    }

    private static void Return(ref double[]? array)
    {
        if (array is not null)
        {
            ArrayPool<double>.Shared.Return(array);
            array = null;
        }
    }
}
