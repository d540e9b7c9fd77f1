using TileServer.Delivery.Cache;

namespace TileServer.Delivery.Tiles;

/// <summary>Encoded tile bytes with what the response headers need.</summary>
public sealed record RenderedTile(byte[] Bytes, string ContentType, string ServerTiming, bool IsEmpty)
{
    /// <summary>False when drawn with the fallback stretch: the dataset's own rendering is not known yet, so no cache may keep this image.</summary>
    public bool Cacheable { get; init; } = true;
}

/// <summary>A tile as the cache answered it (rendered or kept), with its Server-Timing (the render's stages and the tier).</summary>
public sealed record DeliveredTile(CachedTile Tile, string ServerTiming);
