using System.Globalization;
using TileServer.Documents.Requests;
using TileServer.Reading;
using TileServer.Rendering;
using TileServer.Tiling;

namespace TileServer.Delivery.Tiles;

/// <summary>One tile of a dataset, checked against its TileMatrixSet, at a size and in a format, drawn as the query says.</summary>
public sealed record TileRequest(DatasetReader Reader, TileMatrixSet Tms, TileMatrix Matrix, long Col, long Row, int Size, ImageFormat Format, TileQuery Query)
{
    /// <summary>What names this answer within a dataset version: what the ETag hashes and, after the version, the cache key.</summary>
    public string Identity { get; } = string.Create(CultureInfo.InvariantCulture, $"tile/{Reader.Id}/{Tms.Id}/{Matrix.Id}/{Col}/{Row}/{Size}/{Format}?{Query.Normalized()}");

    /// <summary>The rendered-tile cache's key: the dataset version, then <see cref="Identity"/>.</summary>
    public string CacheKey => Reader.Version + "/" + Identity;
}
