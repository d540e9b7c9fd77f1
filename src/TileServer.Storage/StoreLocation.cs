namespace TileServer.Storage;

/// <summary>Pure string operations on store locations (paths, <c>file://</c>, <c>http(s)://</c>, <c>s3://</c> …).</summary>
public static class StoreLocation
{
    /// <summary>True for <c>scheme://…</c>; false for plain paths, including Windows drive paths.</summary>
    public static bool HasScheme(string location)
    {
        int colon = location.IndexOf("://", StringComparison.Ordinal);
        return colon > 1 && location.AsSpan(0, colon).IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") < 0;
    }

    /// <summary>
    /// Splits the location of one object into the location of its folder and its name:
    /// <c>s3://b/dir/f.nc</c> → (<c>s3://b/dir</c>, <c>f.nc</c>), <c>data/f.nc</c> → (<c>data</c>, <c>f.nc</c>).
    /// </summary>
    public static (string Parent, string Name) Split(string objectLocation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectLocation);
        string path = objectLocation;
        string query = string.Empty;
        int authorityEnd = 0;
        if (HasScheme(objectLocation))
        {
            int q = path.IndexOf('?', StringComparison.Ordinal);
            if (q >= 0)
            {
                query = path[q..];
                path = path[..q];
            }

            int schemeEnd = path.IndexOf("://", StringComparison.Ordinal) + 3;
            int firstSlash = path.IndexOf('/', schemeEnd);
            authorityEnd = firstSlash < 0 ? path.Length : firstSlash;
        }

        int slash = path.LastIndexOfAny(['/', '\\']);
        if (slash < authorityEnd || slash == path.Length - 1)
        {
            if (authorityEnd > 0)
            {
                throw new ArgumentException($"'{objectLocation}' does not name an object inside a store", nameof(objectLocation));
            }

            return (".", path);
        }

        string parent = slash == 0 ? path[..1] : path[..slash];
        return (parent + query, path[(slash + 1)..]);
    }

    /// <summary>
    /// Whether <paramref name="location"/> names an object inside the folder <paramref name="folder"/> (at any depth),
    /// after normalising both: a local path against a local folder, a URL against a URL of the same scheme and host.
    /// A URL with '.' or '..' segments is never inside. Queries (e.g. signatures) are ignored.
    /// </summary>
    public static bool IsWithin(string folder, string location)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(location);
        bool schemed = HasScheme(folder);
        if (schemed != HasScheme(location))
        {
            return false;
        }

        if (!schemed)
        {
            string root = Path.GetFullPath(folder);
            root = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
            return Path.GetFullPath(location).StartsWith(root, StringComparison.Ordinal);
        }

        string prefix = WithoutQuery(folder).TrimEnd('/') + "/";
        string path = WithoutQuery(location);
        return path.Length > prefix.Length
            && path.StartsWith(prefix, StringComparison.Ordinal)
            && !path[prefix.Length..].Split('/').Any(s => s is "." or "..");
    }

    private static string WithoutQuery(string url)
    {
        int q = url.IndexOf('?', StringComparison.Ordinal);
        return q >= 0 ? url[..q] : url;
    }

    /// <summary>
    /// Resolves a possibly relative reference (<c>file.nc</c>, <c>../x/file.nc</c>) against the folder
    /// location <paramref name="baseFolder"/>; absolute URLs and rooted paths are returned unchanged.
    /// </summary>
    public static string Resolve(string baseFolder, string reference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        if (HasScheme(reference) || Path.IsPathRooted(reference))
        {
            return reference;
        }

        if (!HasScheme(baseFolder))
        {
            return Path.Combine(baseFolder, reference.Replace('/', Path.DirectorySeparatorChar));
        }

        int q = baseFolder.IndexOf('?', StringComparison.Ordinal);
        string query = q >= 0 ? baseFolder[q..] : string.Empty;
        string folder = q >= 0 ? baseFolder[..q] : baseFolder;
        int schemeEnd = folder.IndexOf("://", StringComparison.Ordinal) + 3;
        int firstSlash = folder.IndexOf('/', schemeEnd);
        string root = firstSlash < 0 ? folder : folder[..firstSlash];
        string basePath = firstSlash < 0 ? string.Empty : folder[(firstSlash + 1)..];

        var segments = new List<string>(basePath.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var segment in reference.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    throw new ArgumentException($"'{reference}' climbs above the root of '{baseFolder}'", nameof(reference));
                }

                segments.RemoveAt(segments.Count - 1);
            }
            else if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        return root + "/" + string.Join('/', segments) + query;
    }
}
