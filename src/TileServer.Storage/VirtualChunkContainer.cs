namespace TileServer.Storage;

/// <summary>
/// A place virtual references (Icechunk virtual chunks, kerchunk references to other objects) may be read from: a
/// reference whose URL starts with <see cref="Prefix"/> is read from <see cref="Location"/> followed by the rest of
/// the URL. Configured as <c>TileServer:VirtualChunks:Containers</c>.
/// </summary>
public sealed record VirtualChunkContainer
{
    /// <summary>A URL prefix ending in '/', e.g. <c>s3://bucket/path/</c> (local files: <c>file:///data/</c>).</summary>
    public required string Prefix { get; init; }

    /// <summary>A local folder, <c>http(s)://</c> or <c>s3://</c> location that holds the same objects.</summary>
    public required string Location { get; init; }

    /// <summary>Every problem with a list of containers, each saying how to fix it; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<VirtualChunkContainer> containers)
    {
        ArgumentNullException.ThrowIfNull(containers);
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < containers.Count; i++)
        {
            var c = containers[i];
            string at = $"TileServer:VirtualChunks:Containers:{i}";
            if (c is null)
            {
                errors.Add($"{at} is empty; give a Prefix and a Location");
                continue;
            }

            if (string.IsNullOrWhiteSpace(c.Prefix) || !StoreLocation.HasScheme(c.Prefix) || !c.Prefix.EndsWith('/'))
            {
                errors.Add($"{at}:Prefix '{c.Prefix}' must be a URL prefix with a scheme that ends in '/' (e.g. s3://bucket/path/), so that it cannot match a neighbouring bucket or folder");
            }
            else if (!seen.Add(c.Prefix))
            {
                errors.Add($"{at}:Prefix '{c.Prefix}' is configured twice");
            }

            if (string.IsNullOrWhiteSpace(c.Location))
            {
                errors.Add($"{at}:Location is empty; give a local folder, http(s):// or s3:// location");
            }
            else if (StoreLocation.HasScheme(c.Location) && !IsSupportedLocation(c.Location))
            {
                errors.Add($"{at}:Location '{c.Location}' is not a local folder, file://, http(s)://, s3://bucket/ or gs://bucket/ location");
            }
        }

        return errors;
    }

    private static bool IsSupportedLocation(string location)
    {
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.Scheme switch
        {
            "file" => true,
            "http" or "https" or "s3" or "gs" => uri.Host.Length > 0,
            _ => false,
        };
    }
}
