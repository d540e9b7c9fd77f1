using TileServer.Storage;
using TileServer.Zarr;

namespace TileServer.Icechunk.Tests.Infrastructure;

/// <summary>Reads whole arrays through the project's Zarr v3 reader, which sees an Icechunk store as any other store.</summary>
internal static class ArrayReader
{
    public static async Task<double[]> ReadAllAsync(IByteStore store, string path)
    {
        var hierarchy = await ZarrHierarchy.OpenAsync(store, new ZarrReaderOptions());
        var array = await hierarchy.GetArrayAsync(path) ?? throw new InvalidOperationException($"no array at '{path}' in {store.Location}");
        var window = array.Metadata.Shape.Select(DimSlice.All).ToArray();
        var values = new double[array.Metadata.Shape.Aggregate(1L, (a, b) => a * b)];
        await array.ReadAsync<double>(window, values);
        return values;
    }
}
