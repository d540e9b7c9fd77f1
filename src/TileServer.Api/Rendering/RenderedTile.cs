namespace TileServer.Api.Rendering;

/// <summary>Encoded tile bytes with what the response headers need.</summary>
public sealed record RenderedTile(byte[] Bytes, string ContentType, string ServerTiming, bool IsEmpty)
{
    /// <summary>False when drawn with the fallback stretch: the dataset's own rendering is not known yet, so no cache may keep this image.</summary>
    public bool Cacheable { get; init; } = true;
}
