namespace TileServer.Crs;

/// <summary>
/// A window of a grid in pixel indices: <see cref="Rows"/> × <see cref="Cols"/> samples starting at
/// (<see cref="Row"/>, <see cref="Col"/>), taking every <see cref="Step"/>-th pixel in both directions.
/// </summary>
public readonly record struct PixelWindow(long Row, long Col, int Rows, int Cols, int Step = 1)
{
    public long PixelCount => (long)Rows * Cols;
}
