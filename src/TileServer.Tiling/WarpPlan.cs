using System.Buffers;
using TileServer.GeoZarr;

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
public sealed class WarpPlan : IDisposable
{
    private double[]? _cols;
    private double[]? _rows;

    internal WarpPlan(int width, int height, double[] cols, double[] rows)
    {
        Width = width;
        Height = height;
        _cols = cols;
        _rows = rows;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Source column per output pixel (row-major, row 0 = top of the tile); NaN = outside the data.</summary>
    public Span<double> SourceCols => _cols.AsSpan(0, Width * Height);

    /// <summary>Source row per output pixel; NaN = outside the data.</summary>
    public Span<double> SourceRows => _rows.AsSpan(0, Width * Height);

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

    public void Dispose()
    {
        if (_cols is not null)
        {
            ArrayPool<double>.Shared.Return(_cols);
            _cols = null;
        }

        if (_rows is not null)
        {
            ArrayPool<double>.Shared.Return(_rows);
            _rows = null;
        }
    }
}
