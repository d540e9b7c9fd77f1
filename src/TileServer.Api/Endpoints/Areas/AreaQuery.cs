namespace TileServer.Api.Endpoints.Areas;

/// <summary>What the area routes take from HTTP itself: the GeoJSON body.</summary>
public static class AreaQuery
{
    /// <summary>The request body, at most <paramref name="maxBytes"/> (GeoJSON: application/geo+json or application/json).</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        string? type = request.ContentType?.Split(';')[0].Trim();
        if (type is not null && !type.Equals("application/geo+json", StringComparison.OrdinalIgnoreCase) && !type.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadRequestException("Content-Type", $"The body must be GeoJSON (application/geo+json or application/json), not '{type}'.");
        }

        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.Length > 0 ? buffer.ToArray() : throw new BadRequestException("body", "The request has no body; send a GeoJSON Feature, FeatureCollection or (Multi)Polygon.");
    }

    private static TooLargeException TooLarge(int maxBytes)
        => new($"The body is larger than {maxBytes} bytes (TileServer:Tiles:MaxBodyBytes); simplify the geometry or send fewer features.", "body");
}
