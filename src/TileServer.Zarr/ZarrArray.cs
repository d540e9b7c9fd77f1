using TileServer.Storage;

namespace TileServer.Zarr;

/// <summary>An opened Zarr array. Reads windows, decoding only the chunks they touch, in parallel.</summary>
public sealed class ZarrArray
{
    internal ZarrArray(string path, ZarrArrayMetadata metadata)
    {
        Path = path;
        Metadata = metadata;
    }

    public string Path { get; }
    public ZarrArrayMetadata Metadata { get; }

    /// <summary>
    /// Reads a window (one <see cref="DimSlice"/> per dimension, inside the array) into <paramref name="destination"/>
    /// in C order, converting each element to <typeparamref name="T"/> (any numeric type; bool reads as 0/1).
    /// Missing chunks read as the fill value (0 when the fill value is null).
    /// </summary>
    public ValueTask ReadAsync<T>(IReadOnlyList<DimSlice> window, Memory<T> destination, IoStats? stats = null, CancellationToken cancellationToken = default)
        where T : unmanaged
        => throw new NotImplementedException();
}
