using System.Diagnostics.CodeAnalysis;

namespace TileServer.Storage;

/// <summary>
/// Where stored references may point: a reference is data, and the server must never fetch an arbitrary URL because
/// a store names it. A URL is readable only under a configured <see cref="VirtualChunkContainer"/>; one store is
/// opened per container, on first use, and shared by every reader.
/// </summary>
public sealed class VirtualChunkContainers
{
    private readonly (VirtualChunkContainer Container, Lazy<IByteStore> Store)[] _containers;

    public VirtualChunkContainers(IReadOnlyList<VirtualChunkContainer> containers, IByteStoreFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var errors = VirtualChunkContainer.Validate(containers);
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid virtual chunk containers: " + string.Join("; ", errors), nameof(containers));
        }

        // Longest prefix first, so that a container for s3://b/a/x/ wins over one for s3://b/a/.
        _containers = containers
            .OrderByDescending(c => c.Prefix.Length)
            .Select(c => (c, new Lazy<IByteStore>(() => factory.Open(c.Location), LazyThreadSafetyMode.ExecutionAndPublication)))
            .ToArray();
    }

    /// <summary>No containers: every reference outside its own store is refused.</summary>
    public static VirtualChunkContainers None { get; } = new([], new RefusingFactory());

    public int Count => _containers.Length;

    /// <summary>
    /// The container store and object key that <paramref name="url"/> maps to; false when no container covers it or
    /// the rest of the URL is empty or climbs out of the container ('.' or '..' segments). A rooted local path is
    /// matched as the <c>file://</c> URL of the same file.
    /// </summary>
    public bool TryResolve(string url, [NotNullWhen(true)] out IByteStore? store, out string objectKey)
    {
        ArgumentNullException.ThrowIfNull(url);
        string match = ToUrl(url);
        foreach (var (container, lazy) in _containers)
        {
            if (!match.StartsWith(container.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            objectKey = match[container.Prefix.Length..];
            if (objectKey.Length == 0 || objectKey.Split('/').Any(s => s is "." or ".." or ""))
            {
                break;
            }

            try
            {
                store = lazy.Value;
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or UriFormatException)
            {
                throw new StoreException(container.Location, objectKey, $"cannot open virtual chunk container '{container.Prefix}': {ex.Message}", ex);
            }

            return true;
        }

        store = null;
        objectKey = string.Empty;
        return false;
    }

    private static string ToUrl(string url)
    {
        if (StoreLocation.HasScheme(url) || !Path.IsPathRooted(url))
        {
            return url;
        }

        string full = Path.GetFullPath(url).Replace('\\', '/');
        return "file://" + (full.StartsWith('/') ? full : "/" + full);
    }

    private sealed class RefusingFactory : IByteStoreFactory
    {
        public IByteStore Open(string location) => throw new InvalidOperationException("no virtual chunk containers are configured");
    }
}

/// <summary>
/// A stored reference (an Icechunk virtual chunk, a kerchunk reference) whose URL falls under no configured
/// container. The server never fetches an arbitrary URL named by stored data, so the reference is refused; the
/// message names the URL and how to allow it.
/// </summary>
public sealed class VirtualChunkRefusedException : StoreException
{
    public VirtualChunkRefusedException(string location, string key, string url)
        : base(FailureKind.InvalidData, location, key,
            $"the reference to '{url}' is outside every configured virtual chunk container "
            + "(add one to TileServer:VirtualChunks:Containers whose Prefix starts that URL)", null)
    {
        Url = url;
    }

    /// <summary>The URL the stored reference points at.</summary>
    public string Url { get; }
}
