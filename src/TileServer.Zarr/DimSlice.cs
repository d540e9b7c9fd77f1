namespace TileServer.Zarr;

/// <summary>
/// Selection along one dimension: <see cref="Count"/> indices <c>Start, Start+Step, …</c>. A window is one
/// slice per dimension; the result is laid out in C order with the counts as its shape.
/// </summary>
public readonly record struct DimSlice(long Start, long Count, long Step = 1)
{
    public static DimSlice Single(long index) => new(index, 1);

    public static DimSlice All(long length) => new(0, length);

    public long Last => Start + ((Count - 1) * Step);
}
