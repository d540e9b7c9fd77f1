namespace TileServer.Icechunk.Format;

/// <summary>A Zarr key as an Icechunk store reads it: node metadata, a chunk, or neither.</summary>
internal abstract record StoreKey;

/// <summary><c>zarr.json</c> or <c>a/b/zarr.json</c>: the metadata of node <c>/</c> or <c>/a/b</c>.</summary>
internal sealed record MetadataKey(string NodePath) : StoreKey;

/// <summary>
/// <c>a/b/c/1/2</c> (Zarr v3 default chunk key encoding with '/'): chunk (1, 2) of array <c>/a/b</c>;
/// <c>a/b/c</c> is the single chunk of a zero-dimensional array.
/// </summary>
internal sealed record ChunkKey(string NodePath, uint[] Coords) : StoreKey
{
    /// <summary>The key's meaning, or null for a key that names nothing in an Icechunk store.</summary>
    public static StoreKey? Parse(string key)
    {
        if (key == "zarr.json")
        {
            return new MetadataKey("/");
        }

        if (key.EndsWith("/zarr.json", StringComparison.Ordinal))
        {
            return new MetadataKey("/" + key[..^"/zarr.json".Length]);
        }

        var segments = key.Split('/');
        // The last "c" segment followed only by integers separates the array path from the chunk index.
        for (int c = segments.Length - 1; c >= 0; c--)
        {
            if (segments[c] != "c")
            {
                if (!uint.TryParse(segments[c], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    return null;
                }

                continue;
            }

            var coords = new uint[segments.Length - c - 1];
            for (int d = 0; d < coords.Length; d++)
            {
                coords[d] = uint.Parse(segments[c + 1 + d], System.Globalization.CultureInfo.InvariantCulture);
            }

            return new ChunkKey("/" + string.Join('/', segments, 0, c), coords);
        }

        return null;
    }
}
