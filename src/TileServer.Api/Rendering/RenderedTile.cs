namespace TileServer.Api.Rendering;

/// <summary>Encoded tile bytes with what the response headers need.</summary>
public sealed record RenderedTile(byte[] Bytes, string ContentType, string ServerTiming, bool IsEmpty);
